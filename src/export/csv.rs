//! The Insights list as CSV (RFC 4180 quoting), one row per Insight, in the
//! dashboard list's column order: the file the Insights page downloads.

use crate::format::{rate_change_percent, record_time};
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
                record_time(i.start_minute),
                format!("{}", i.baseline_average),
                format!("{}", i.insight_average),
                rate_change_percent(i.baseline_average, i.insight_average)
                    .map(|p| format!("{p:.0}%"))
                    .unwrap_or_default(),
                i.key.region.clone(),
                i.key.account.clone(),
                i.insight_duration.to_string(),
                i.key.error_code.clone().unwrap_or_default(),
                record_time(i.end_minute),
                i.shared_event_id.clone(),
            ]
            .into_iter(),
        );
    }
    out
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
