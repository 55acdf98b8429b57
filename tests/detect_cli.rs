//! `trailsight generate` and `trailsight detect` end to end: files and labels
//! written, records on stdout sorted by eventTime then eventID, the S3 layout
//! under --out, and the exit codes.

use serde_json::Value;
use std::process::Command;

fn trailsight() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trailsight"))
}

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
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("{planted} Insights")), "{stderr}");
    let written = walk(&insights);
    assert!(
        !written.is_empty()
            && written
                .iter()
                .all(|p| p.contains("/CloudTrail-Insight/") && p.ends_with(".json.gz"))
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
