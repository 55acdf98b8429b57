//! Why an Insight fired, in words: the details page's "Why unusual" panel
//! renders these sentences from the [`Explanation`] the detector attached to
//! the Insight's Start (the first test that fired, with the numbers it compared).

use crate::model::{Explanation, Insight, InsightType};

/// `3`, `2.5`, `0.044`, `0.00017`: enough digits to compare, no more.
fn number(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let a = v.abs();
    let s = if a >= 100.0 || a == a.round() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.1e}")
            .parse::<f64>()
            .map_or_else(|_| format!("{v}"), |r| format!("{r}"))
    };
    s.trim_end_matches(".0").to_string()
}

/// `1 minute`, `5 minutes`.
fn window(minutes: u32) -> String {
    if minutes == 1 {
        "1 minute".to_string()
    } else {
        format!("{minutes} minutes")
    }
}

/// `1e-14`, `3e-10`: the tail probability, as an order of magnitude.
fn probability(log10: f64) -> String {
    if !log10.is_finite() || log10 < -300.0 {
        return "below 1e-300".to_string();
    }
    let exponent = log10.floor();
    let mantissa = 10f64.powf(log10 - exponent).round();
    let (mantissa, exponent) = if mantissa >= 10.0 {
        (1.0, exponent + 1.0)
    } else {
        (mantissa, exponent)
    };
    format!("{mantissa:.0}e{exponent:.0}")
}

/// The sentences of the "Why unusual" panel, or none when the Insight carries
/// no explanation (one loaded from an older export).
pub fn why_unusual(insight: &Insight) -> Vec<String> {
    let e: &Explanation = &insight.explanation;
    if e.window_minutes == 0 {
        return Vec::new();
    }
    let noun = match insight.key.insight_type {
        InsightType::ApiCallRateInsight => "calls",
        InsightType::ApiErrorRateInsight => "errors",
    };
    let model = if e.dispersion > 0.0 {
        format!(
            "a negative binomial with this series' own dispersion ({}, variance = mean + {} × mean²)",
            number(e.dispersion),
            number(e.dispersion)
        )
    } else {
        "a Poisson (this series' history is not bursty)".to_string()
    };
    let mut out = vec![format!(
        "{} {noun} in {} against {} expected by the seasonal baseline.",
        e.observed,
        window(e.window_minutes),
        number(e.expected)
    )];
    let direction = if e.drop { "this few" } else { "this many" };
    out.push(format!(
        "Under {model}, {direction} has a probability of about {}; the detector fires below 1e-9.",
        probability(e.log10_tail_probability)
    ));
    if e.drop {
        out.push(if e.usual_extreme == u32::MAX {
            "No earlier low at this time of day to compare with.".to_string()
        } else {
            format!(
                "The fewest in {} at about this time of day on the baseline days was {}.",
                window(e.window_minutes),
                e.usual_extreme
            )
        });
    } else {
        out.push(format!(
            "It beats the burst memory: the most in any {} of the {} days before was {}; and the recent past: the most in the previous hour was {}.",
            window(e.window_minutes),
            e.model_days,
            e.usual_extreme,
            e.recent_peak
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SeriesKey;

    fn insight(kind: InsightType, explanation: Explanation) -> Insight {
        Insight {
            key: SeriesKey {
                insight_type: kind,
                account: "1".into(),
                region: "r".into(),
                source: "s".into(),
                name: "n".into(),
                error_code: None,
                source_category: "Management".into(),
            },
            shared_event_id: String::new(),
            start_event_id: String::new(),
            end_event_id: String::new(),
            start_minute: 0,
            end_minute: 1,
            baseline_average: 0.0,
            start_average: 0.0,
            insight_average: 0.0,
            insight_duration: 1,
            baseline_duration: 1,
            attributions: Vec::new(),
            explanation,
            start_record_json: String::new(),
            end_record_json: String::new(),
        }
    }

    #[test]
    fn an_increase_names_its_numbers_and_the_guards_it_beat() {
        let e = Explanation {
            window_minutes: 5,
            observed: 15,
            expected: 0.221,
            dispersion: 0.0,
            log10_tail_probability: -13.6,
            usual_extreme: 2,
            recent_peak: 1,
            model_days: 7,
            ..Default::default()
        };
        let s = why_unusual(&insight(InsightType::ApiCallRateInsight, e)).join(" ");
        assert!(
            s.contains("15 calls in 5 minutes against 0.22 expected"),
            "{s}"
        );
        assert!(s.contains("Poisson") && s.contains("about 3e-14"), "{s}");
        assert!(
            s.contains("7 days before was 2") && s.contains("previous hour was 1"),
            "{s}"
        );
    }

    #[test]
    fn a_bursty_series_and_a_drop_say_so() {
        let e = Explanation {
            window_minutes: 1,
            observed: 200,
            expected: 3.0,
            dispersion: 0.4,
            log10_tail_probability: -40.0,
            ..Default::default()
        };
        let s = why_unusual(&insight(InsightType::ApiErrorRateInsight, e)).join(" ");
        assert!(
            s.contains("200 errors in 1 minute against 3 expected"),
            "{s}"
        );
        assert!(s.contains("negative binomial") && s.contains("0.4"), "{s}");
        let d = Explanation {
            drop: true,
            window_minutes: 10,
            observed: 0,
            expected: 200.0,
            log10_tail_probability: -86.9,
            usual_extreme: 150,
            ..Default::default()
        };
        let s = why_unusual(&insight(InsightType::ApiCallRateInsight, d)).join(" ");
        assert!(
            s.contains("0 calls in 10 minutes against 200 expected"),
            "{s}"
        );
        assert!(
            s.contains("this few") && s.contains("fewest") && s.contains("150"),
            "{s}"
        );
        assert!(why_unusual(&insight(
            InsightType::ApiCallRateInsight,
            Explanation::default()
        ))
        .is_empty());
    }

    #[test]
    fn numbers_and_probabilities_read_well() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.54), "2.5");
        assert_eq!(number(0.0442), "0.044");
        assert_eq!(number(0.000171), "0.00017");
        assert_eq!(probability(-13.6), "3e-14");
        assert_eq!(probability(-9.0), "1e-9");
        assert_eq!(probability(f64::NEG_INFINITY), "below 1e-300");
    }
}
