//! Bursts on the Stratus Red Team detonations in `../shared/data/real`
//! (skipped cleanly when that folder is absent; never copied into the repo).
//! The set is 35 short captures (one anonymised account/Region per
//! technique, 1 to 3 minutes each), so none has a baseline and every account/
//! Region is searched for bursts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::path::PathBuf;
use std::process::Command;
use trailsight::engine::bursts::{bursts, Burst};
use trailsight::engine::{detect, DetectConfig};
use trailsight::ingest::{load_paths, Limits};
use trailsight::model::{Dataset, InsightType};

fn stratus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real/stratus-red-team-detonations");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} absent; test skipped", p.display());
        None
    }
}

fn load(p: PathBuf) -> Dataset {
    load_paths(&[p], &Limits::default()).0
}

/// (type, API, error code, events) of a burst.
fn short(b: &Burst) -> (InsightType, &str, Option<&str>, u64) {
    (
        b.key.insight_type,
        b.key.name.as_str(),
        b.key.error_code.as_deref(),
        b.events,
    )
}

#[test]
fn stratus_bursts_lead_with_what_a_responder_would_name() {
    let Some(p) = stratus() else {
        return;
    };
    let ds = load(p);
    let cfg = DetectConfig::default();
    // No account/Region has a day of history: no Insights, only bursts.
    assert!(detect(&ds, &cfg).insights.is_empty());
    let got = bursts(&ds, &cfg, 10);
    let top: Vec<_> = got.iter().map(short).collect();
    assert_eq!(
        top,
        [
            (
                InsightType::ApiErrorRateInsight,
                "GetPasswordData",
                Some("Client.UnauthorizedOperation"),
                30
            ),
            (
                InsightType::ApiErrorRateInsight,
                "DescribeInstanceAttribute",
                Some("Client.UnauthorizedOperation"),
                15
            ),
        ]
    );
    let first = &got[0];
    assert!(first.top_identities[0]
        .value
        .ends_with("assumed-role/stratus-red-team-ec2-get-password-data-role"));
    assert!(first.top_user_agents[0]
        .value
        .starts_with("stratus-red-team_"));
    assert_eq!(first.minutes.len(), 1);

    // With read calls: the discovery and credential-access reads join.
    let reads = DetectConfig {
        include_read_calls: true,
        ..DetectConfig::default()
    };
    let got = bursts(&ds, &reads, 10);
    let names: Vec<_> = got.iter().map(|b| b.key.name.as_str()).collect();
    assert_eq!(
        names[..4],
        [
            "DescribeInstanceInformation",
            "GetPasswordData",
            "GetPasswordData",
            "GetSecretValue"
        ]
    );
    assert_eq!(got[0].events, 49);
    assert_eq!(got[0].key.source, "ssm.amazonaws.com");
}

#[test]
fn stratus_bursts_cli_prints_marked_lines() {
    let Some(p) = stratus() else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_trailsight"))
        .arg("bursts")
        .arg(&p)
        .args(["--limit", "1"])
        .output()
        .expect("run trailsight bursts");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON line");
    assert_eq!(v["kind"], "burst");
    assert_eq!(v["rank"], 1);
    assert_eq!(v["key"]["name"], "GetPasswordData");
    assert!(v.get("eventVersion").is_none(), "not an Insights record");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no baseline: compared with the rest of this capture"));
}
