//! Tests on the third-party logs in `../shared/data/real` (skipped cleanly when
//! that folder is absent). Never copied into the repo.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::reconciled;
use std::path::PathBuf;
use trailsight::ingest::{load_paths, read_event_json_from_path, Limits, LoadReport};
use trailsight::model::Dataset;

fn real(set: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real")
        .join(set);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} absent; test skipped", p.display());
        None
    }
}

fn load(p: PathBuf) -> (Dataset, LoadReport) {
    let (ds, r) = load_paths(&[p], &Limits::default());
    reconciled(&r);
    (ds, r)
}

#[test]
fn sans504_loads_every_record() {
    let Some(p) = real("sans504-s3-ransomware-lab") else {
        return;
    };
    let (ds, r) = load(p);
    // 30,477 records in 3,872 files. 6,496 of them are byte-identical copies of
    // global-service events delivered in two Regions' files (same eventID), so
    // deduplication by eventID keeps 23,981 unique events.
    assert_eq!(r.records, 30_477);
    assert_eq!(r.events + r.duplicates, 30_477);
    assert_eq!((r.events, r.duplicates, r.bad_records), (23_981, 6_496, 0));
    assert_eq!((r.files_seen, r.files), (3_872, 3_872));
    assert_eq!(r.accounts, ["342082656213"]);
    assert_eq!(crate_iso(r.first_event_ms), "2021-07-28T15:28");
    assert_eq!(crate_iso(r.last_event_ms), "2021-08-02T09:50");
    let errors = ds.events.iter().filter(|e| e.is_error()).count();
    assert!(errors > 7_000, "{errors}");
    // A sample of events re-read from their .json.gz files.
    for e in ds.events.iter().step_by(997) {
        let path = PathBuf::from(&ds.inputs[e.origin.input as usize]);
        let text = read_event_json_from_path(&path, &e.origin).unwrap();
        assert!(text.starts_with('{') && text.ends_with('}'));
    }
}

fn crate_iso(ms: Option<i64>) -> String {
    let ms = ms.unwrap();
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[test]
fn stratus_bare_arrays_load() {
    let Some(p) = real("stratus-red-team-detonations") else {
        return;
    };
    let (_, r) = load(p);
    assert_eq!(
        (r.files, r.records, r.events, r.bad_records),
        (35, 310, 310, 0)
    );
}

#[test]
fn panther_junk_timestamps_are_bad_records_not_fatal() {
    let Some(p) = real("panther-rule-test-events") else {
        return;
    };
    let (_, r) = load(p);
    assert_eq!(r.records, 453);
    assert_eq!(r.files, 1);
    let bad_time = r
        .bad_reasons
        .iter()
        .find(|(k, _)| k == "bad eventTime")
        .map(|x| x.1);
    assert_eq!(
        bad_time,
        Some(2),
        "\"redacted\" and \"...\": {:?}",
        r.bad_reasons
    );
    assert!(r
        .bad_record_samples
        .iter()
        .any(|b| b.reason.contains("\"redacted\"")));
    assert!(r.events > 100);
    // labels.json is not CloudTrail and says so.
    assert!(r
        .skipped_files
        .iter()
        .any(|s| s.path.ends_with("labels.json") && s.reason.contains("not CloudTrail")));
}

#[test]
fn otrf_logstash_flattened_maps_at_timestamp() {
    let Some(p) = real("otrf-ec2-proxy-s3-exfiltration") else {
        return;
    };
    let (ds, r) = load(p);
    assert_eq!((r.records, r.events, r.bad_records), (103, 103, 0));
    // Most of these records lack readOnly; it is inferred from the verb.
    assert_eq!(
        ds.events.iter().filter(|e| e.read_only_inferred).count(),
        90
    );
    assert_eq!(crate_iso(r.first_event_ms), "2020-09-14T00:44");
}

#[test]
fn aws_docs_insights_are_kept_apart() {
    let Some(p) = real("aws-docs-insights-examples") else {
        return;
    };
    let (ds, r) = load(p);
    assert_eq!((r.events, r.records, r.aws_insight_records), (0, 0, 4));
    assert_eq!(ds.aws_insights.len(), 4);
}
