//! The Insights a JSON Lines file of records describes (the output of
//! `trailsight detect`): per `sharedEventID`, the series key, the Start minute
//! and the two durations, which is what an attributions query needs.

use crate::ingest::parse_time;
use crate::model::{InsightType, SeriesKey};
use serde_json::Value;

/// One Insight's series and windows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightWindow {
    pub shared_event_id: String,
    pub key: SeriesKey,
    pub start_minute: i64,
    pub insight_duration: i64,
    pub baseline_duration: i64,
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Result<&'a str, String> {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(p)
            .ok_or_else(|| format!("missing {}", path.join(".")))?;
    }
    cur.as_str()
        .ok_or_else(|| format!("{} is not a string", path.join(".")))
}

fn int(v: &Value, path: &[&str]) -> Result<i64, String> {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(p)
            .ok_or_else(|| format!("missing {}", path.join(".")))?;
    }
    cur.as_i64()
        .ok_or_else(|| format!("{} is not an integer", path.join(".")))
}

fn window(v: &Value) -> Result<InsightWindow, String> {
    let details = ["insightDetails"];
    let field = |k: &str| text(v, &[details[0], k]);
    let insight_type = match field("insightType")? {
        "ApiCallRateInsight" => InsightType::ApiCallRateInsight,
        "ApiErrorRateInsight" => InsightType::ApiErrorRateInsight,
        other => return Err(format!("unknown insightType {other:?}")),
    };
    let error_code = match insight_type {
        InsightType::ApiErrorRateInsight => Some(field("errorCode")?.to_string()),
        InsightType::ApiCallRateInsight => None,
    };
    let stats = ["insightDetails", "insightContext", "statistics"];
    let insight_duration = int(v, &[stats[0], stats[1], stats[2], "insightDuration"])?;
    let baseline_duration = int(v, &[stats[0], stats[1], stats[2], "baselineDuration"])?;
    let time = text(v, &["eventTime"])?;
    let minute = parse_time(time)
        .ok_or_else(|| format!("bad eventTime {time:?}"))?
        .div_euclid(60_000);
    // The End record's eventTime is the Start minute plus the duration.
    let start_minute = match field("state")? {
        "Start" => minute,
        "End" => minute.saturating_sub(insight_duration),
        other => return Err(format!("unknown state {other:?}")),
    };
    Ok(InsightWindow {
        shared_event_id: text(v, &["sharedEventID"])?.to_string(),
        key: SeriesKey {
            insight_type,
            account: text(v, &["recipientAccountId"])?.to_string(),
            region: text(v, &["awsRegion"])?.to_string(),
            source: field("eventSource")?.to_string(),
            name: field("eventName")?.to_string(),
            error_code,
            source_category: field("sourceEventCategory")?.to_string(),
        },
        start_minute,
        insight_duration,
        baseline_duration,
    })
}

/// The Insights of a JSON Lines text of Insights records (Start and End
/// records of one Insight give one window), in first-seen order; an error
/// names the line.
pub fn read_insight_windows(text_in: &str) -> Result<Vec<InsightWindow>, String> {
    let mut out: Vec<InsightWindow> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, line) in text_in.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
        let w = window(&v).map_err(|e| format!("line {}: {e}", i + 1))?;
        if seen.insert(w.shared_event_id.clone()) {
            out.push(w);
        }
    }
    Ok(out)
}
