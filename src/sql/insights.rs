//! Steps 3 and 4: queries over the events of exactly the Insights in a file of
//! Insights records (JSON Lines, as `trailsight detect` prints them; Start and
//! End records share `sharedEventID`). Each Insight is embedded as one row of
//! a `VALUES` list (its series key and its windows), so the engine scans the
//! table once whatever the number of Insights.
//!
//! - [`attributions_query`]: the attributions interchange, version 1
//!   (`version, shared_event_id, period, attribute, value, events`): events per
//!   identity, user agent and error code (the detector shows error codes for
//!   call-rate Insights only, as AWS does), over the Start minute (`start`), the whole Insight
//!   (`insight`) and the baseline window (`baseline`).
//! - [`events_query`]: the events of each Insight's own window (for the
//!   dashboard's events tab).
//!
//! The windows are the engine's: the Insight covers `[start, start +
//! insightDuration)` minutes and its baseline `[start - baselineDuration,
//! start)`; the events are the series' events, of the Insight's
//! `sourceEventCategory` (call rate: the API's management writes, reads too
//! with `--include-read-calls`, and a data API's reads and writes; error rate:
//! the API's calls with that error code).

use super::{events_ctes, Detail, Dialect};
use crate::ingest::parse_time;
use serde_json::Value;
use std::collections::BTreeMap;

/// The attributions interchange version [`attributions_query`] writes.
pub const ATTRIBUTIONS_VERSION: u32 = 1;

/// One Insight as the queries need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightWindow {
    pub shared_event_id: String,
    pub account: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub insight_type: String,
    /// '' for call-rate Insights.
    pub error_code: String,
    /// `Management` or `Data` (`sourceEventCategory`).
    pub category: String,
    pub start_minute: i64,
    pub insight_duration: i64,
    pub baseline_duration: i64,
}

/// What one record of the file says (Start and End records say the same
/// about the series; only the Start record gives the start minute).
struct Seen {
    window: InsightWindow,
    start_seen: bool,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

fn number(v: &Value, path: &[&str]) -> Option<i64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_i64()
}

/// One line of the file → (sharedEventID, state, what it says), or the reason.
fn parse_line(line: &str) -> Result<(String, String, InsightWindow), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let need = |path: &[&str]| text(&v, path).ok_or_else(|| format!("no {}", path.join(".")));
    if text(&v, &["eventType"]).as_deref() != Some("AwsCloudTrailInsight") {
        return Err("not an Insights record (eventType is not AwsCloudTrailInsight)".into());
    }
    let shared = need(&["sharedEventID"])?;
    let state = need(&["insightDetails", "state"])?;
    let time = need(&["eventTime"])?;
    let ms = parse_time(&time).ok_or_else(|| format!("eventTime {time:?} is not a timestamp"))?;
    let insight_type = need(&["insightDetails", "insightType"])?;
    let error_code = match insight_type.as_str() {
        "ApiCallRateInsight" => String::new(),
        "ApiErrorRateInsight" => need(&["insightDetails", "errorCode"])?,
        other => return Err(format!("unknown insightType {other:?}")),
    };
    let stats = ["insightDetails", "insightContext", "statistics"];
    let duration = |name: &str| {
        let path = [stats[0], stats[1], stats[2], name];
        number(&v, &path)
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("no positive {}", path.join(".")))
    };
    let category = text(&v, &["insightDetails", "sourceEventCategory"])
        .unwrap_or_else(|| "Management".to_string());
    let window = InsightWindow {
        shared_event_id: shared.clone(),
        account: need(&["recipientAccountId"])?,
        region: need(&["awsRegion"])?,
        event_source: need(&["insightDetails", "eventSource"])?,
        event_name: need(&["insightDetails", "eventName"])?,
        insight_type,
        error_code,
        category,
        start_minute: ms.div_euclid(60_000),
        insight_duration: duration("insightDuration")?,
        baseline_duration: duration("baselineDuration")?,
    };
    Ok((shared, state, window))
}

/// The Insights of a JSON Lines file of Insights records, in order of first
/// appearance. Every non-blank line must be an Insights record; every
/// `sharedEventID` needs its Start record. Errors name the line.
pub fn parse_insights(text: &str) -> Result<Vec<InsightWindow>, String> {
    let mut seen: BTreeMap<String, (usize, Seen)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (shared, state, window) =
            parse_line(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        let is_start = state == "Start";
        if !is_start && state != "End" {
            return Err(format!("line {}: unknown state {state:?}", i + 1));
        }
        let order = seen.len();
        let entry = seen.entry(shared).or_insert((
            order,
            Seen {
                window: window.clone(),
                start_seen: false,
            },
        ));
        if is_start {
            entry.1.window = window;
            entry.1.start_seen = true;
        }
    }
    let mut out: Vec<(usize, Seen)> = seen.into_values().collect();
    out.sort_by_key(|(order, _)| *order);
    out.into_iter()
        .map(|(_, s)| {
            if s.start_seen {
                Ok(s.window)
            } else {
                Err(format!(
                    "Insight {} has an End record but no Start record",
                    s.window.shared_event_id
                ))
            }
        })
        .collect()
}

/// The options of `detect` that decide which events are the series' events.
#[derive(Clone, Copy, Debug, Default)]
pub struct SeriesOptions {
    pub include_read_calls: bool,
    pub include_data_events: bool,
}

/// `insights (shared_event_id, …) AS (VALUES …)`; with no Insights, one
/// placeholder row (shared_event_id '') that the joins drop, so the query
/// stays valid and returns no rows.
fn insights_cte(d: Dialect, insights: &[InsightWindow]) -> String {
    let row = |w: &InsightWindow| {
        format!(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
            d.string(&w.shared_event_id),
            d.string(&w.account),
            d.string(&w.region),
            d.string(&w.event_source),
            d.string(&w.event_name),
            d.string(&w.insight_type),
            d.string(&w.error_code),
            d.string(&w.category),
            w.start_minute,
            w.start_minute + w.insight_duration,
            w.start_minute - w.baseline_duration,
        )
    };
    let rows: Vec<String> = if insights.is_empty() {
        vec!["('', '', '', '', '', '', '', '', 0, 0, 0)".to_string()]
    } else {
        insights.iter().map(row).collect()
    };
    format!(
        "insights AS (\n  SELECT * FROM (VALUES\n    {}\n  ) AS v(shared_event_id, account, region, event_source, event_name, \
         insight_type, error_code, event_category, start_minute, end_minute, baseline_start)\n)",
        rows.join(",\n    ")
    )
}

/// The join of events to the Insights they feed, from `from_column` (of
/// `insights`) to `end_minute`.
fn series_join(opts: SeriesOptions, from_column: &str) -> String {
    format!(
        "FROM events e\n  JOIN insights i\n    ON i.shared_event_id <> '' AND e.account = i.account AND e.region = i.region\n    \
         AND e.event_source = i.event_source AND e.event_name = i.event_name AND e.event_category = i.event_category\n    \
         AND e.minute >= i.{from_column} AND e.minute < i.end_minute\n  \
         WHERE (i.insight_type = 'ApiCallRateInsight' AND {calls})\n     \
         OR (i.insight_type = 'ApiErrorRateInsight' AND e.error_code = i.error_code)",
        // Data-event call rates count reads and writes (engine/series.rs).
        calls = if opts.include_read_calls {
            "true"
        } else {
            "(NOT e.read_only OR e.event_category = 'Data')"
        },
    )
}

/// A data-event Insight only exists with `--include-data-events`; asking for
/// its attributions without the flag is a mistake worth naming.
fn check_options(insights: &[InsightWindow], opts: SeriesOptions) -> Result<(), String> {
    match insights.iter().find(|w| w.category != "Management") {
        Some(w) if !opts.include_data_events => Err(format!(
            "Insight {} is a {} event Insight: pass --include-data-events (as to detect)",
            w.shared_event_id, w.category
        )),
        _ => Ok(()),
    }
}

/// The step-3 `SELECT`: the attributions interchange for `insights`.
pub fn attributions_query(
    d: Dialect,
    table: &str,
    insights: &[InsightWindow],
    opts: SeriesOptions,
) -> Result<String, String> {
    check_options(insights, opts)?;
    Ok(format!(
        "-- Trailsight attributions, version {ATTRIBUTIONS_VERSION} ({d:?}) for {n} Insights: for `trailsight detect --counts C --attributions A`.\n\
         WITH\n{ctes},\n{values},\n\
         tagged AS (\n  SELECT i.shared_event_id, i.start_minute, i.end_minute, e.minute,\n    \
         e.identity, e.user_agent, e.error_code\n  {join}\n)\n\
         SELECT {ATTRIBUTIONS_VERSION} AS version, t.shared_event_id, p.period, a.attribute,\n  \
         CASE a.attribute WHEN 'userIdentityArn' THEN t.identity WHEN 'userAgent' THEN t.user_agent ELSE t.error_code END AS value,\n  \
         count(*) AS events\n\
         FROM tagged t\n\
         CROSS JOIN (VALUES ('start'), ('insight'), ('baseline')) AS p(period)\n\
         CROSS JOIN (VALUES ('userIdentityArn'), ('userAgent'), ('errorCode')) AS a(attribute)\n\
         WHERE ((p.period = 'start' AND t.minute = t.start_minute)\n    \
         OR (p.period = 'insight' AND t.minute >= t.start_minute)\n    \
         OR (p.period = 'baseline' AND t.minute < t.start_minute))\n\
         GROUP BY t.shared_event_id, p.period, a.attribute,\n  \
         CASE a.attribute WHEN 'userIdentityArn' THEN t.identity WHEN 'userAgent' THEN t.user_agent ELSE t.error_code END\n",
        n = insights.len(),
        ctes = events_ctes(d, table, Detail::Attributes),
        values = insights_cte(d, insights),
        join = series_join(opts, "baseline_start"),
    ))
}

/// The step-4 `SELECT`: every event of each Insight's own window (Start to
/// End), ordered by Insight, time and `eventID`.
pub fn events_query(
    d: Dialect,
    table: &str,
    insights: &[InsightWindow],
    opts: SeriesOptions,
) -> Result<String, String> {
    check_options(insights, opts)?;
    Ok(format!(
        "-- Trailsight events of {n} Insights ({d:?}): the events of each Insight's window.\n\
         WITH\n{ctes},\n{values}\n\
         SELECT i.shared_event_id, e.event_time, e.event_id, e.account, e.region, e.event_source, e.event_name,\n  \
         e.identity AS user_identity_arn, e.user_agent, e.source_ip_address, e.error_code, e.read_only\n  \
         {join}\n\
         ORDER BY i.shared_event_id, e.minute, e.event_time, e.event_id\n",
        n = insights.len(),
        ctes = events_ctes(d, table, Detail::Events),
        values = insights_cte(d, insights),
        join = series_join(opts, "start_minute"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = r#"{"eventVersion":"1.09","eventTime":"2026-03-09T10:05:00Z","awsRegion":"us-east-1","eventID":"e1","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s1","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiErrorRateInsight","errorCode":"Client.Unauthorized'Op","sourceEventCategory":"Management","insightContext":{"statistics":{"baseline":{"average":0.1},"insight":{"average":5},"insightDuration":7,"baselineDuration":10080},"attributions":[]}},"eventCategory":"Insight"}"#;

    #[test]
    fn start_records_give_the_windows_and_end_records_alone_are_refused() {
        let end = START
            .replace("\"Start\"", "\"End\"")
            .replace("10:05:00Z", "10:12:00Z");
        let w = parse_insights(&format!("{end}\n\n{START}\n")).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].start_minute,
            parse_time("2026-03-09T10:05:00Z").unwrap() / 60_000
        );
        assert_eq!((w[0].insight_duration, w[0].baseline_duration), (7, 10080));
        assert_eq!(w[0].error_code, "Client.Unauthorized'Op");
        let err = parse_insights(&end).unwrap_err();
        assert!(err.contains("no Start record"), "{err}");
        let err =
            parse_insights(&format!("{START}\n{{\"eventType\":\"AwsApiCall\"}}")).unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn values_are_escaped_per_dialect_and_data_insights_need_the_flag() {
        let w = parse_insights(START).unwrap();
        let opts = SeriesOptions::default();
        let q = attributions_query(Dialect::Spark, "t", &w, opts).unwrap();
        assert!(q.contains(r"'Client.Unauthorized\'Op'"));
        let q = attributions_query(Dialect::Athena, "t", &w, opts).unwrap();
        assert!(q.contains("'Client.Unauthorized''Op'"));
        let data = parse_insights(&START.replace("\"Management\"", "\"Data\"")).unwrap();
        assert!(events_query(Dialect::DuckDb, "t", &data, opts).is_err());
        let with_data = SeriesOptions {
            include_data_events: true,
            ..opts
        };
        assert!(events_query(Dialect::DuckDb, "t", &data, with_data).is_ok());
    }
}
