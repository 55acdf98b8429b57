//! `trailsight sql` as a command: the queries name the table given, bad
//! engines and table names are usage errors (2), and an unreadable or wrong
//! Insights file is an input error (1) naming the file and line. (The queries'
//! results are checked by real engines in `tests/sql_engines.rs`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::process::{Command, Output};

fn sql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailsight"))
        .arg("sql")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn each_engine_gets_a_query_on_the_table_named() {
    for engine in ["athena", "spark", "duckdb"] {
        let out = sql(&["counts", "--engine", engine, "--table", "sec.trail_logs"]);
        assert!(out.status.success(), "{engine}");
        let q = String::from_utf8(out.stdout).unwrap();
        assert!(q.contains("FROM sec.trail_logs"), "{engine}");
        assert!(q.contains("AS version"), "{engine}");
    }
    let out = sql(&["duckdb-view", "--files", "logs/*.json.gz"]);
    let view = String::from_utf8(out.stdout).unwrap();
    assert!(view.starts_with("CREATE OR REPLACE VIEW cloudtrail_logs AS"));
    assert!(view.contains("read_json('logs/*.json.gz'"));
}

#[test]
fn bad_engines_tables_and_insights_files_are_refused() {
    let out = sql(&["counts", "--engine", "postgres"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown engine"));
    let out = sql(&["counts", "--engine", "duckdb", "--table", "t; DROP TABLE t"]);
    assert_eq!(out.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.jsonl");
    let out = sql(&[
        "attributions",
        "--engine",
        "athena",
        "--insights",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"eventType\":\"AwsApiCall\"}\n").unwrap();
    let out = sql(&[
        "events",
        "--engine",
        "spark",
        "--insights",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl: line 1:"), "{err}");
}

#[test]
fn an_empty_insights_file_gives_a_query_with_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let out = sql(&[
        "attributions",
        "--engine",
        "duckdb",
        "--insights",
        empty.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let q = String::from_utf8(out.stdout).unwrap();
    // The placeholder row the join drops.
    assert!(q.contains("('', '', '', '', '', '', '', '', 0, 0, 0)"));
    assert!(q.contains("i.shared_event_id <> ''"));
}
