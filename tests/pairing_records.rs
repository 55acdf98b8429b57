//! AWS's own Insights beside ours (issue 12), natively: the records
//! Trailsight writes (in AWS's format and S3 layout) read back as AWS's
//! Insights, equal to ours field by field, and every one pairs with ours
//! ("both"), whether read from the records or loaded from the
//! `CloudTrail-Insight` files next to the logs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use trailsight::engine::pairing::{pairing, read_aws_insights, FoundBy};
use trailsight::engine::{detect, DetectConfig};
use trailsight::export::{json_lines, s3_objects};
use trailsight::generate::{generate_dataset, GenerateConfig};
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};

fn small() -> GenerateConfig {
    GenerateConfig {
        days: 9,
        seed: 1,
        scale: 0.2,
        anomalies: true,
        realistic: false,
    }
}

#[test]
fn our_records_read_back_as_the_same_insights_and_all_pair() {
    let (ds, _) = generate_dataset(&small());
    let ours = detect(&ds, &DetectConfig::default()).insights;
    assert!(ours.len() > 3, "{} Insights", ours.len());
    let records: Vec<String> = json_lines(&ours).lines().map(str::to_string).collect();
    let (aws, bad) = read_aws_insights(&records);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(aws.len(), ours.len());
    for a in &aws {
        let o = ours
            .iter()
            .find(|o| o.shared_event_id == a.shared_event_id)
            .expect("the same sharedEventID");
        assert_eq!(a.key, o.key);
        assert_eq!(
            (a.start_minute, a.end_minute),
            (o.start_minute, o.end_minute)
        );
        assert_eq!(
            (a.insight_duration, a.baseline_duration),
            (o.insight_duration, o.baseline_duration)
        );
        assert_eq!(
            (a.start_event_id.as_str(), a.end_event_id.as_str()),
            (o.start_event_id.as_str(), o.end_event_id.as_str())
        );
        assert_eq!(a.start_record_json, o.start_record_json);
        assert_eq!(a.end_record_json, o.end_record_json);
        let values = |i: &trailsight::model::Insight| -> Vec<String> {
            i.attributions
                .iter()
                .flat_map(|x| x.insight.iter().map(|v| v.value.clone()))
                .collect()
        };
        assert_eq!(values(a), values(o));
    }
    let p = pairing(&ours, &records);
    assert_eq!(p.pairs.len(), ours.len());
    assert!(p.pairs.iter().all(|x| x.ours == x.aws));
    assert!(ours
        .iter()
        .all(|o| p.found_by(&o.shared_event_id) == FoundBy::Both));
    assert_eq!(p.aws_only().count(), 0);
}

#[test]
fn insight_files_beside_the_logs_load_apart_and_pair() {
    let (ds, _) = generate_dataset(&small());
    let cfg = DetectConfig::default();
    let ours = detect(&ds, &cfg).insights;
    let limits = Limits::default();
    let mut builder = DatasetBuilder::new();
    for (n, (path, bytes)) in s3_objects(&ours).into_iter().enumerate() {
        builder.add(path.clone(), parse_bytes(n as u32, &path, &bytes, &limits));
    }
    let (loaded, report) = builder.finish();
    assert!(
        loaded.events.is_empty(),
        "Insights records are never events"
    );
    assert_eq!(report.aws_insight_records as usize, 2 * ours.len());
    let p = pairing(&ours, &loaded.aws_insights);
    assert!(p.unreadable.is_empty(), "{:?}", p.unreadable);
    assert_eq!(p.counts(ours.len()), (ours.len(), 0, 0));
    // Without ours (say, other settings), every one is AWS's alone.
    let p = pairing(&[], &loaded.aws_insights);
    assert_eq!(p.counts(0), (0, 0, ours.len()));
    assert!(p
        .aws
        .iter()
        .all(|a| p.found_by(&a.shared_event_id) == FoundBy::Aws));
}
