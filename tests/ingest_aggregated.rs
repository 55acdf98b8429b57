//! CloudTrail aggregated events (`eventCategory: "Aggregated"`, `eventType:
//! "AwsAggregatedEvent"`): 5-minute summaries of data events with a
//! `timeWindow` and no `eventTime`. They are recognised, counted in
//! `aggregated_event_records` and never become events or bad records.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use serde_json::{json, Value};
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits, LoadReport};

/// An aggregated event as AWS documents its fields (API_ACTIVITY template).
fn aggregated(n: u32, name: &str) -> Value {
    json!({
        "eventVersion": "1.0",
        "accountId": "111122223333",
        "eventId": uuid(1000 + n),
        "eventCategory": "Aggregated",
        "eventType": "AwsAggregatedEvent",
        "awsRegion": "us-east-1",
        "eventSource": "s3.amazonaws.com",
        "timeWindow": {
            "windowStart": "2025-11-20T10:00:00Z",
            "windowEnd": "2025-11-20T10:05:00Z",
            "windowSize": "PT5M"
        },
        "summary": {
            "primaryDimension": {"dimension": "eventName", "value": name},
            "statistics": {"totalCount": 1520, "errorCount": 12},
            "details": [
                {"dimension": "userAgent", "values": [{"value": "aws-cli/2.15", "count": 1200}]},
                {"dimension": "sourceIpAddress", "values": [{"value": "203.0.113.7", "count": 1520}]},
                {"dimension": "errorCodes", "values": [{"value": "AccessDenied", "count": 12}]}
            ]
        }
    })
}

fn load(name: &str, bytes: &[u8]) -> LoadReport {
    let batch = parse_bytes(0, name, bytes, &Limits::default());
    reconciled(&batch.report);
    let mut b = DatasetBuilder::new();
    b.add(name.into(), batch);
    let (ds, r) = b.finish();
    reconciled(&r);
    assert_eq!(ds.events.len() as u64, r.events);
    r
}

#[test]
fn aggregated_events_are_counted_apart_in_every_shape() {
    let mixed = [
        event(1, "2025-11-20T10:01:00Z", "RunInstances"),
        aggregated(1, "GetObject"),
        event(2, "2025-11-20T10:02:00Z", "StopInstances"),
        aggregated(2, "PutObject"),
    ];
    // A Records file (the fast reader's path).
    let r = load("mixed.json", &records(&mixed));
    assert_eq!(
        (
            r.events,
            r.records,
            r.bad_records,
            r.aggregated_event_records
        ),
        (2, 2, 0, 2),
        "{r:?}"
    );
    assert!(r.skipped_files.is_empty(), "{r:?}");

    // JSON Lines, one with an escape in a kept field (serde's path).
    let mut lines: String = mixed.iter().map(|v| format!("{v}\n")).collect();
    lines.push_str(
        &aggregated(3, "DeleteObject")
            .to_string()
            .replace("s3.amazonaws.com", "s3.amazonaws\\u002ecom"),
    );
    let r = load("mixed.jsonl", lines.as_bytes());
    assert_eq!(
        (
            r.events,
            r.records,
            r.bad_records,
            r.aggregated_event_records
        ),
        (2, 2, 0, 3),
        "{r:?}"
    );

    // A file of aggregated events only: skipped, with the reason, not "no eventTime".
    let r = load("agg.json", &records(&[aggregated(4, "GetObject")]));
    assert_eq!((r.events, r.records, r.bad_records), (0, 0, 0));
    assert_eq!(r.aggregated_event_records, 1);
    assert_eq!(r.skipped_files.len(), 1);
    assert!(
        r.skipped_files[0]
            .reason
            .contains("aggregated-event records"),
        "{r:?}"
    );
}
