//! The at-scale path on real SQL engines: `trailsight sql` queries run by
//! DuckDB, by Spark (`local[2]`) and, for the Athena (Trino) dialect, by
//! DuckDB after sqlglot's Trino → DuckDB transpilation; their results (CSV and
//! Parquet) must equal `trailsight counts` on the raw files, and `detect
//! --counts [--attributions]` on them must print what `detect` prints on the
//! raw files, byte for byte (tests/sql/engines.py does the work).
//!
//! The engines live in the venv `target/sql-venv` (`scripts/setup.sh`, which
//! also installs Java 17). `scripts/test.sh` sets `TRAILSIGHT_SQL_TESTS=1`: then
//! a missing venv fails the test. Without it (a plain `cargo test`), the test
//! runs when the venv exists and is skipped with a message when it does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::path::PathBuf;
use std::process::Command;

#[test]
fn sql_engines_give_the_same_insights_as_the_raw_logs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/sql-venv/bin/python");
    let required = std::env::var("TRAILSIGHT_SQL_TESTS").is_ok_and(|v| v == "1");
    if !python.exists() {
        assert!(
            !required,
            "TRAILSIGHT_SQL_TESTS=1 but {} is missing: run scripts/setup.sh",
            python.display()
        );
        eprintln!(
            "skipped: no {} (scripts/setup.sh makes it; scripts/test.sh always runs this test)",
            python.display()
        );
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = Command::new(&python)
        .arg(root.join("tests/sql/engines.py"))
        .arg("--trailsight")
        .arg(env!("CARGO_BIN_EXE_trailsight"))
        .arg("--work")
        .arg(work.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tests/sql/engines.py failed:\n{stdout}\n{stderr}"
    );
    // The summary line names every engine and how many checks passed.
    assert!(
        stdout.contains("checks passed (duckdb, athena, spark)"),
        "{stdout}"
    );
    println!("{stdout}");
}
