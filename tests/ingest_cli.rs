//! `trailsight stats`: one JSON object on stdout and the exit-status contract.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use std::process::Command;

fn stats(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailsight"))
        .arg("stats")
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn stats_prints_one_json_object() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, bytes) in tree() {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let (code, out) = stats(&[tmp.path().as_os_str()]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"], 29);
    assert_eq!(v["files"], 4);
    assert_eq!(v["duplicates"], 2);
    assert_eq!(v["bad_records"], 0);
    assert_eq!(v["skipped_files"].as_array().unwrap().len(), 2);
    assert!(
        v["skipped_files"][0]["path"].is_string() && v["skipped_files"][0]["reason"].is_string()
    );
    assert_eq!(v["first_event_time"], "2024-01-01T10:00:00.000Z");
    assert_eq!(v["last_event_time"], "2024-01-03T10:09:00.000Z");
    assert_eq!(
        v["accounts"],
        serde_json::json!(["111122223333", "222233334444"])
    );
    assert_eq!(v["regions"], serde_json::json!(["eu-west-1", "us-east-1"]));
}

#[test]
fn stats_exit_codes() {
    let (code, out) = stats(&[std::ffi::OsStr::new("/nonexistent/trailsight")]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"], 0);
    assert_eq!(stats(&[]).0, Some(2));
}
