//! The Insights list as CSV (RFC 4180 quoting), one row per Insight, in the
//! dashboard list's column order: the file the Insights page downloads.

use crate::engine::format_minute;
use crate::model::Insight;

/// The columns of the Insights list, in on-screen order, plus the IDs.
pub const CSV_HEADER: [&str; 13] = [
    "Event name",
    "Insight type",
    "Event source",
    "Event start time",
    "Baseline average",
    "Insight average",
    "Rate change",
    "Region",
    "Account",
    "Duration (minutes)",
    "Error code",
    "Event end time",
    "Shared event ID",
];

/// The list as CSV (RFC 4180 quoting), one row per Insight.
pub fn csv(insights: &[Insight]) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.iter().map(|s| s.to_string()));
    for i in insights {
        push_row(
            &mut out,
            [
                i.key.name.clone(),
                i.key.insight_type.as_str().to_string(),
                i.key.source.clone(),
                format_minute(i.start_minute),
                format!("{}", i.baseline_average),
                format!("{}", i.insight_average),
                rate_change_percent(i.baseline_average, i.insight_average)
                    .map(|p| format!("{p:.0}%"))
                    .unwrap_or_default(),
                i.key.region.clone(),
                i.key.account.clone(),
                i.insight_duration.to_string(),
                i.key.error_code.clone().unwrap_or_default(),
                format_minute(i.end_minute),
                i.shared_event_id.clone(),
            ]
            .into_iter(),
        );
    }
    out
}

/// AWS's "Rate change": insight average over baseline average, as a percentage
/// (their example: baseline 1.0, insight 3.0 → 300%). `None` for a zero baseline.
pub fn rate_change_percent(baseline: f64, insight: f64) -> Option<f64> {
    (baseline > 0.0).then(|| insight / baseline * 100.0)
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (n, field) in fields.enumerate() {
        if n > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}
