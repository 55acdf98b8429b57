//! The output side: writes each Insight found as AWS's Insights event records
//! (the Start and the End record), byte for byte in the shape of the current
//! documentation (eventVersion 1.09, see the spec §1.5.5), with the deterministic
//! IDs they carry. (The input CloudTrail records are read by `ingest::record`.)
//! Times are written by [`crate::format::record_time`].

use crate::format::record_time;
use crate::model::{Attribution, AttributionValue, InsightType, SeriesKey};
use uuid::Uuid;

/// Namespace of every Trailsight Insight ID (uuid v5).
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x6a1c_51e4_8d2b_4f0e_9b7a_3c5d_2e1f_0a9b);

/// Record version written (the newest documented Insights shape).
pub(crate) const EVENT_VERSION: &str = "1.09";

/// What an Insight's IDs are derived from: only what every input path shares
/// (raw logs or counts from a SQL engine), never input event IDs.
pub(crate) struct IdBasis<'a> {
    pub key: &'a SeriesKey,
    pub start_minute: i64,
    pub end_minute: i64,
    pub baseline_duration: u32,
    /// Events of the series in the baseline window.
    pub baseline_events: u64,
    /// The series' per-minute counts from the Start minute to the End minute (exclusive).
    pub counts: &'a [u32],
}

/// A deterministic UUID (v5) of the series key, the Start and End minutes, the
/// baseline window's duration and count, the episode's per-minute counts and a
/// role (`shared`, `start`, `end`). The same Insight found from raw logs or
/// from counts gets the same IDs; different data almost always different ones.
pub(crate) fn insight_id(b: &IdBasis, role: &str) -> String {
    let key = b.key;
    // Each string is length-prefixed, so no value can imitate a separator.
    let mut name = String::from("trailsight-insight-v1");
    for part in [
        key.insight_type.as_str(),
        &key.account,
        &key.region,
        &key.source,
        &key.name,
        key.error_code.as_deref().unwrap_or(""),
        &key.source_category,
    ] {
        name.push_str(&format!("|{}:{part}", part.len()));
    }
    name.push_str(&format!(
        "|{}|{}|{}|{}|",
        b.start_minute, b.end_minute, b.baseline_duration, b.baseline_events
    ));
    for (i, c) in b.counts.iter().enumerate() {
        if i > 0 {
            name.push(',');
        }
        name.push_str(&c.to_string());
    }
    name.push('|');
    name.push_str(role);
    Uuid::new_v5(&ID_NAMESPACE, name.as_bytes()).to_string()
}

/// A JSON number the way AWS prints averages: integers without a fraction,
/// others with at most 10 decimals and no trailing zeros.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn values(out: &mut String, list: &[AttributionValue]) {
    out.push('[');
    for (i, v) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"value\":{},\"average\":{}}}",
            json_str(&v.value),
            format_number(v.average)
        ));
    }
    out.push(']');
}

/// What differs between the Start and the End record.
pub(crate) struct RecordPart<'a> {
    pub state: &'a str,
    pub event_id: &'a str,
    pub minute: i64,
    pub insight_average: f64,
    pub attributions: &'a [Attribution],
}

/// What the Start and the End record share.
pub(crate) struct RecordCommon<'a> {
    pub key: &'a SeriesKey,
    pub shared_event_id: &'a str,
    pub baseline_average: f64,
    pub insight_duration: u32,
    pub baseline_duration: u32,
}

/// One compact Insights record.
pub(crate) fn record_json(c: &RecordCommon, p: &RecordPart) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str(&format!(
        "{{\"eventVersion\":\"{EVENT_VERSION}\",\"eventTime\":\"{}\",\"awsRegion\":{},\"eventID\":{},\
         \"eventType\":\"AwsCloudTrailInsight\",\"recipientAccountId\":{},\"sharedEventID\":{},\
         \"insightDetails\":{{\"state\":\"{}\",\"eventSource\":{},\"eventName\":{},\"insightType\":\"{}\",",
        record_time(p.minute),
        json_str(&c.key.region),
        json_str(p.event_id),
        json_str(&c.key.account),
        json_str(c.shared_event_id),
        p.state,
        json_str(&c.key.source),
        json_str(&c.key.name),
        c.key.insight_type.as_str(),
    ));
    if c.key.insight_type == InsightType::ApiErrorRateInsight {
        out.push_str(&format!(
            "\"errorCode\":{},",
            json_str(c.key.error_code.as_deref().unwrap_or(""))
        ));
    }
    out.push_str(&format!(
        "\"sourceEventCategory\":{},\"insightContext\":{{\"statistics\":{{\"baseline\":{{\"average\":{}}},\
         \"insight\":{{\"average\":{}}},\"insightDuration\":{},\"baselineDuration\":{}}},\"attributions\":[",
        json_str(&c.key.source_category),
        format_number(c.baseline_average),
        format_number(p.insight_average),
        c.insight_duration,
        c.baseline_duration,
    ));
    for (i, a) in p.attributions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"attribute\":{},\"insight\":",
            json_str(&a.attribute)
        ));
        values(&mut out, &a.insight);
        out.push_str(",\"baseline\":");
        values(&mut out, &a.baseline);
        out.push('}');
    }
    out.push_str("]}},\"eventCategory\":\"Insight\"}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_aws() {
        assert_eq!(format_number(6.0), "6");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(1.2), "1.2");
        assert_eq!(format_number(1.0 / 11336.0), "0.0000882145");
        assert_eq!(format_number(85.42023809523), "85.4202380952");
    }
}
