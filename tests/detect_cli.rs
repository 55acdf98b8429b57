//! `trailsight generate` and `trailsight detect` end to end: files and labels
//! written, records on stdout sorted by eventTime then eventID, the S3 layout
//! under --out, and the exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::Value;
use std::process::Command;

fn trailsight() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trailsight"))
}

#[allow(
    clippy::too_many_lines,
    reason = "one CLI session end to end: every step reads the files the previous one wrote"
)]
#[test]
fn generate_then_detect_finds_the_labelled_anomalies() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let out = trailsight()
        .arg("generate")
        .arg(&logs)
        .args(["--seed", "2", "--scale", "0.5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let labels: Value =
        serde_json::from_slice(&std::fs::read(logs.join("labels.json")).unwrap()).unwrap();
    let planted = labels["anomalies"].as_array().unwrap().len();
    assert!(planted >= 6);
    assert!(logs
        .join("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02")
        .is_dir());

    let insights = dir.path().join("insights");
    let out = trailsight()
        .arg("detect")
        .arg(&logs)
        .arg("--out")
        .arg(&insights)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2 * planted, "{stdout}");
    let order: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            (
                r["eventTime"].as_str().unwrap().to_string(),
                r["eventID"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The counts line, then what was analysed (every account/Region of the
    // generated set has days of history).
    let mut lines = stderr.lines();
    let counts = lines.next().unwrap_or_default();
    assert!(counts.contains(&format!("{planted} Insights")), "{stderr}");
    let headline = lines.next().unwrap_or_default();
    assert!(
        headline.contains("series tested over")
            && headline.ends_with(&format!(": {planted} Insights.")),
        "{stderr}"
    );
    let written = walk(&insights);
    assert!(
        !written.is_empty()
            && written
                .iter()
                .all(|p| p.contains("/CloudTrail-Insight/") && p.ends_with(".json.gz"))
    );

    // The same records in EventBridge envelopes, in the same order.
    let out = trailsight()
        .arg("detect")
        .arg(&logs)
        .args(["--format", "eventbridge"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let wrapped: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(wrapped.len(), records.len());
    let mut ids = std::collections::BTreeSet::new();
    for (env, record) in wrapped.iter().zip(&records) {
        let keys: Vec<&str> = env
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec![
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail",
        ];
        expected.sort();
        assert_eq!(keys, expected, "{env}");
        assert_eq!(env["version"], "0");
        assert_eq!(env["detail-type"], "AWS Insight via CloudTrail");
        assert_eq!(env["source"], "aws.cloudtrail");
        assert_eq!(env["account"], record["recipientAccountId"]);
        assert_eq!(env["region"], record["awsRegion"]);
        assert_eq!(env["time"], record["eventTime"]);
        assert_eq!(env["resources"], serde_json::json!([]));
        assert_eq!(&env["detail"], record);
        let id = env["id"].as_str().unwrap();
        assert!(id.len() == 36 && id != record["eventID"].as_str().unwrap());
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), records.len(), "one envelope ID per record");
    // Key order as EventBridge writes it, and byte-identical on a second run.
    let again = trailsight()
        .arg("detect")
        .arg(&logs)
        .args(["--format", "eventbridge"])
        .output()
        .unwrap();
    let text = String::from_utf8(again.stdout).unwrap();
    assert!(text.starts_with("{\"version\":\"0\",\"id\":\""), "{text}");
    assert_eq!(
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .collect::<Vec<_>>(),
        wrapped
    );

    // Only one type when asked.
    let out = trailsight()
        .arg("detect")
        .arg(&logs)
        .args(["--insight-types", "ApiErrorRateInsight"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.is_empty()
            && stdout
                .lines()
                .all(|l| l.contains("\"insightType\":\"ApiErrorRateInsight\""))
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    let out = trailsight().arg("detect").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = trailsight()
        .arg("detect")
        .arg(dir.path())
        .args(["--insight-types", "Bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = trailsight().arg("detect").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = trailsight()
        .arg("generate")
        .arg(dir.path())
        .args(["--scale", "-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
