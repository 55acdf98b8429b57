//! The queries the dashboard shows for Insights it found on counts: the
//! step-3 attributions query and the events query, made by the same code as
//! `trailsight sql attributions|events` from the loaded [`Insight`]s instead of
//! a file of their records, so a query copied from the page is the query the
//! CLI prints for the same Insights.

use super::insights::{attributions_query, events_query, InsightWindow, SeriesOptions};
use super::Dialect;
use crate::model::{Insight, InsightType};

/// The table name the dashboard's queries read (the CLI's default).
pub const DEFAULT_TABLE: &str = "cloudtrail_logs";

/// What a query needs of an Insight: what `parse_insights` reads from its Start record.
pub fn window_of(i: &Insight) -> InsightWindow {
    let k = &i.key;
    let (insight_type, error_code) = match k.insight_type {
        InsightType::ApiCallRateInsight => ("ApiCallRateInsight", String::new()),
        InsightType::ApiErrorRateInsight => (
            "ApiErrorRateInsight",
            k.error_code.clone().unwrap_or_default(),
        ),
    };
    InsightWindow {
        shared_event_id: i.shared_event_id.clone(),
        account: k.account.clone(),
        region: k.region.clone(),
        event_source: k.source.clone(),
        event_name: k.name.clone(),
        insight_type: insight_type.to_string(),
        error_code,
        category: k.source_category.clone(),
        start_minute: i.start_minute,
        insight_duration: i64::from(i.insight_duration),
        baseline_duration: i64::from(i.baseline_duration),
    }
}

/// `trailsight sql attributions --engine D --insights FILE` for `insights`.
pub fn attributions_for(
    d: Dialect,
    insights: &[Insight],
    opts: SeriesOptions,
) -> Result<String, String> {
    let windows: Vec<InsightWindow> = insights.iter().map(window_of).collect();
    attributions_query(d, DEFAULT_TABLE, &windows, opts)
}

/// `trailsight sql events --engine D --insights FILE` for `insights`.
pub fn events_for(d: Dialect, insights: &[Insight], opts: SeriesOptions) -> Result<String, String> {
    let windows: Vec<InsightWindow> = insights.iter().map(window_of).collect();
    events_query(d, DEFAULT_TABLE, &windows, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SeriesKey;
    use crate::sql::insights::parse_insights;

    fn insight(error_code: Option<&str>) -> Insight {
        let start = r#"{"eventVersion":"1.09","eventTime":"2026-03-09T10:05:00Z","awsRegion":"us-east-1","eventID":"e1","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s1","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"TYPE"ERROR,"sourceEventCategory":"Management","insightContext":{"statistics":{"baseline":{"average":0.1},"insight":{"average":5},"insightDuration":7,"baselineDuration":10080},"attributions":[]}},"eventCategory":"Insight"}"#;
        let (ty, kind, err) = match error_code {
            Some(c) => (
                "ApiErrorRateInsight",
                InsightType::ApiErrorRateInsight,
                format!(r#","errorCode":"{c}""#),
            ),
            None => (
                "ApiCallRateInsight",
                InsightType::ApiCallRateInsight,
                String::new(),
            ),
        };
        let start = start.replace("TYPE", ty).replace("ERROR", &err);
        Insight {
            key: SeriesKey {
                insight_type: kind,
                account: "111122223333".into(),
                region: "us-east-1".into(),
                source: "ec2.amazonaws.com".into(),
                name: "RunInstances".into(),
                error_code: error_code.map(str::to_string),
                source_category: "Management".into(),
            },
            shared_event_id: "s1".into(),
            start_event_id: "e1".into(),
            end_event_id: "e2".into(),
            start_minute: crate::ingest::parse_time("2026-03-09T10:05:00Z").unwrap() / 60_000,
            end_minute: 0,
            baseline_average: 0.1,
            start_average: 5.0,
            insight_average: 5.0,
            insight_duration: 7,
            baseline_duration: 10080,
            attributions: Vec::new(),
            explanation: Default::default(),
            start_record_json: start,
            end_record_json: String::new(),
        }
    }

    #[test]
    fn the_window_of_an_insight_is_what_its_start_record_says() {
        for code in [None, Some("AccessDenied")] {
            let i = insight(code);
            let parsed = parse_insights(&i.start_record_json).unwrap();
            assert_eq!(parsed, vec![window_of(&i)], "{code:?}");
            let opts = SeriesOptions::default();
            assert_eq!(
                attributions_for(Dialect::DuckDb, std::slice::from_ref(&i), opts).unwrap(),
                attributions_query(Dialect::DuckDb, DEFAULT_TABLE, &parsed, opts).unwrap()
            );
            assert!(events_for(Dialect::Athena, &[i], opts)
                .unwrap()
                .contains("'s1'"));
        }
    }
}
