//! Numbers as the dashboard shows them: per-minute averages, the rate change,
//! shares, counts, bytes and milliseconds. The JSON numbers inside Insight
//! records follow AWS's own form instead (`engine::insight_record::format_number`).

use crate::model::InsightType;

/// A per-minute average as the console shows it: up to two decimals from 1 up,
/// up to four below 1, trailing zeros dropped (`18`, `12.33`, `0.0442`); a
/// non-zero value too small for four decimals in scientific form (`4.4e-5`, so
/// it never reads as `0`); `–` when not a number.
pub fn average(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let s = if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "0" || s == "-0" {
        format!("{x:.1e}")
    } else {
        s
    }
}

/// AWS's "Rate change": the Insight average over the baseline average as a
/// percentage, a ratio (their example: baseline 1.0, Insight 3.0 → 300). `None`
/// without a positive, finite baseline (and for a non-finite Insight average).
/// The CSV export writes this number; [`rate_change`] is its display form.
pub fn rate_change_percent(baseline: f64, insight: f64) -> Option<f64> {
    (baseline.is_finite() && insight.is_finite() && baseline > 0.0)
        .then(|| insight / baseline * 100.0)
}

/// The rate change as the list and the details page show it: the rounded
/// percentage, grouped, then the direction (`300% ↑`, `50% ↓`, `12,345% ↑`; up
/// when the Insight average is at or above the baseline, as the console's
/// arrows). `new ↑` when there was no baseline activity, `–` when unknown.
pub fn rate_change(baseline: f64, insight: f64) -> String {
    match rate_change_percent(baseline, insight) {
        Some(pct) => {
            let arrow = if insight >= baseline { '↑' } else { '↓' };
            format!("{}% {arrow}", group_thousands(pct.round() as i64))
        }
        None if insight.is_finite() && insight > 0.0 && baseline == 0.0 => "new ↑".to_string(),
        None => "–".to_string(),
    }
}

/// A share of a total as a whole percentage, `<1%` for small non-zero shares.
pub fn share(share: f64) -> String {
    let pct = share * 100.0;
    if pct > 0.0 && pct < 0.5 {
        "<1%".to_string()
    } else {
        format!("{}%", pct.round() as i64)
    }
}

/// `12345` → `12,345`.
pub fn group_thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as `12.3 MB` (decimal units, as file managers show sizes).
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.0} kB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// Milliseconds as `1.2 s` / `340 ms`.
pub fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// `API call rate` / `API error rate`, as the console labels Insight types.
pub fn insight_type_label(t: InsightType) -> &'static str {
    match t {
        InsightType::ApiCallRateInsight => "API call rate",
        InsightType::ApiErrorRateInsight => "API error rate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_to_two_or_four_decimals() {
        assert_eq!(average(18.0), "18");
        assert_eq!(average(12.3333), "12.33");
        assert_eq!(average(12.335_01), "12.34");
        assert_eq!(average(123.456), "123.46");
        assert_eq!(average(0.6), "0.6");
        assert_eq!(average(0.0442), "0.0442");
        assert_eq!(average(0.023_333), "0.0233");
        assert_eq!(average(0.999_99), "1");
        assert_eq!(average(0.0), "0");
        assert_eq!(average(-0.0), "0");
    }

    #[test]
    fn tiny_and_odd_averages_never_read_as_zero_or_panic() {
        assert_eq!(average(0.000_044), "4.4e-5");
        assert_eq!(average(-0.000_01), "-1.0e-5");
        assert_eq!(average(f64::NAN), "–");
        assert_eq!(average(f64::INFINITY), "–");
    }

    #[test]
    fn rate_change_is_one_ratio_with_one_display() {
        assert_eq!(rate_change_percent(1.0, 3.0), Some(300.0));
        assert_eq!(rate_change_percent(2.0, 1.0), Some(50.0));
        assert_eq!(rate_change(1.0, 3.0), "300% ↑");
        assert_eq!(rate_change(2.0, 1.0), "50% ↓");
        assert_eq!(rate_change(3.0, 3.0), "100% ↑");
        assert_eq!(rate_change(0.001, 12.345), "1,234,500% ↑");
        assert_eq!(rate_change(3.0, 1.0), "33% ↓");
        assert_eq!(rate_change(3.0, 0.0), "0% ↓");
    }

    #[test]
    fn rate_change_without_a_baseline() {
        assert_eq!(rate_change_percent(0.0, 1.0), None);
        assert_eq!(rate_change_percent(-1.0, 1.0), None);
        assert_eq!(rate_change_percent(f64::NAN, 1.0), None);
        assert_eq!(rate_change_percent(1.0, f64::INFINITY), None);
        assert_eq!(rate_change(0.0, 1.0), "new ↑");
        assert_eq!(rate_change(0.0, 0.0), "–");
        assert_eq!(rate_change(f64::NAN, 1.0), "–");
    }

    #[test]
    fn shares_counts_bytes_and_millis() {
        assert_eq!(share(0.001), "<1%");
        assert_eq!(share(0.666), "67%");
        assert_eq!(share(0.0), "0%");
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-1_234), "-1,234");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(12_345), "12 kB");
        assert_eq!(bytes(12_345_678), "12.3 MB");
        assert_eq!(bytes(1_500_000_000), "1.50 GB");
        assert_eq!(millis(340.4), "340 ms");
        assert_eq!(millis(1_234.0), "1.2 s");
    }

    #[test]
    fn insight_type_labels() {
        assert_eq!(
            insight_type_label(InsightType::ApiCallRateInsight),
            "API call rate"
        );
        assert_eq!(
            insight_type_label(InsightType::ApiErrorRateInsight),
            "API error rate"
        );
    }
}
