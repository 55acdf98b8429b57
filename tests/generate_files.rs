//! The simulator's files: S3 layout, valid CloudTrail records, determinism,
//! volume, labels, and agreement with the in-memory dataset (files → ingest
//! gives the same detections as `generate_dataset`). Detection's cost against
//! ingest is measured by `trailsight bench`, not here: timings in tests are noise.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::Value;
use std::io::Read;
use trailsight::engine::{detect, DetectConfig};
use trailsight::export::json_lines;
use trailsight::generate::{generate, generate_dataset, GenerateConfig};
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .expect("gzip");
    s
}

#[allow(
    clippy::too_many_lines,
    reason = "one generated run, checked field by field against the delivery format"
)]
#[test]
fn small_runs_are_deterministic_and_well_formed() {
    let cfg = GenerateConfig {
        days: 2,
        seed: 3,
        scale: 0.3,
        anomalies: true,
        realistic: false,
    };
    let a = generate(&cfg);
    let b = generate(&cfg);
    assert_eq!(a.files, b.files);
    assert_eq!(a.labels, b.labels);
    assert!(
        a.labels.anomalies.is_empty(),
        "nothing is planted before day 7"
    );
    assert_ne!(
        generate(&GenerateConfig {
            seed: 4,
            ..cfg.clone()
        })
        .files,
        a.files
    );

    let mut kinds = std::collections::BTreeSet::new();
    let mut versions = std::collections::BTreeSet::new();
    for (name, gz) in &a.files {
        let parts: Vec<&str> = name.split('/').collect();
        assert_eq!(parts.len(), 8, "{name}");
        assert_eq!((parts[0], parts[2]), ("AWSLogs", "CloudTrail"));
        let file = parts[7];
        let prefix = format!(
            "{}_CloudTrail_{}_{}{}{}T",
            parts[1], parts[3], parts[4], parts[5], parts[6]
        );
        assert!(
            file.starts_with(&prefix) && file.ends_with("Z.json.gz")
                || file.len() == prefix.len() + 5 + 1 + 16 + 8,
            "{file}"
        );
        let body: Value = serde_json::from_str(&gunzip(gz)).expect("JSON body");
        for r in body["Records"].as_array().expect("Records") {
            for field in [
                "eventTime",
                "eventSource",
                "eventName",
                "awsRegion",
                "sourceIPAddress",
                "userAgent",
                "requestID",
                "eventID",
                "eventType",
                "recipientAccountId",
                "eventCategory",
            ] {
                assert!(r[field].is_string(), "{field} in {r}");
            }
            assert!(r["readOnly"].is_boolean() && r["managementEvent"].is_boolean());
            assert_eq!(r["recipientAccountId"], parts[1]);
            assert_eq!(r["awsRegion"], parts[3]);
            versions.insert(r["eventVersion"].as_str().unwrap().to_string());
            let ui = &r["userIdentity"];
            let kind = ui["type"].as_str().unwrap().to_string();
            match kind.as_str() {
                "AssumedRole" => {
                    let arn = ui["arn"].as_str().unwrap();
                    assert!(
                        arn.contains(":assumed-role/") && arn.matches('/').count() == 2,
                        "{arn}"
                    );
                    assert!(ui["sessionContext"]["sessionIssuer"]["arn"]
                        .as_str()
                        .unwrap()
                        .contains(":role/"));
                }
                "IAMUser" => assert!(ui["arn"].as_str().unwrap().contains(":user/")),
                "AWSService" => assert!(ui["invokedBy"]
                    .as_str()
                    .unwrap()
                    .ends_with(".amazonaws.com")),
                other => panic!("unexpected identity type {other}"),
            }
            kinds.insert(kind);
            if r.get("errorCode").is_some() {
                assert!(r["errorMessage"].is_string());
            }
        }
    }
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(
        versions.iter().all(|v| v == "1.08" || v == "1.09"),
        "{versions:?}"
    );
}

#[test]
fn control_runs_have_decoys_but_no_anomalies() {
    let (_, labels) = generate_dataset(&GenerateConfig {
        anomalies: false,
        ..Default::default()
    });
    assert!(labels.anomalies.is_empty());
    assert!(labels.decoys.len() >= 5);
    let (_, labels) = generate_dataset(&GenerateConfig::default());
    assert!(labels.anomalies.len() >= 6);
    assert!(
        labels.anomalies.iter().any(|a| a.kind == "call_rate")
            && labels.anomalies.iter().any(|a| a.kind == "error_rate")
    );
    let day7 = trailsight::generate::START_DAY * 1440 + 7 * 1440;
    assert!(labels.anomalies.iter().all(|a| a.onset_minute >= day7));
    let json = serde_json::to_string(&labels).unwrap();
    assert!(json.contains("\"onset\":\"2026-03-"));
}

/// The default 9-day set through real files and ingest: same detections as the
/// in-memory dataset and a realistic volume.
#[test]
fn files_through_ingest_match_the_dataset() {
    let cfg = GenerateConfig::default();
    let generated = generate(&cfg);
    assert!(
        generated.files.len() > 1000,
        "{} files",
        generated.files.len()
    );
    let mut builder = DatasetBuilder::new();
    for (n, (name, bytes)) in generated.files.iter().enumerate() {
        builder.add(
            name.clone(),
            parse_bytes(n as u32, name, bytes, &Limits::default()),
        );
    }
    let (ds, report) = builder.finish();
    assert_eq!(report.bad_records, 0);
    assert!(
        (200_000..1_000_000).contains(&ds.events.len()),
        "{} events",
        ds.events.len()
    );
    assert_eq!(ds.events.len() as u64, generated.labels.events);

    let det = detect(&ds, &DetectConfig::default());
    let (direct, _) = generate_dataset(&cfg);
    // Compared without printing the (long) records on failure.
    let (via_files, direct) = (
        json_lines(&det.insights),
        json_lines(&detect(&direct, &DetectConfig::default()).insights),
    );
    assert!(
        via_files == direct,
        "files and dataset disagree: {} vs {} bytes",
        via_files.len(),
        direct.len()
    );
    assert_eq!(det.insights.len(), generated.labels.anomalies.len());
}
