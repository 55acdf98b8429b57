//! What a detection run says it analysed (`engine::coverage` and
//! `engine::explain`): a short capture, a partial one, one with every
//! account/Region tested, a type switched off, read calls and data events in
//! the data but not watched, and a real incident capture (Stratus Red Team).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::json;
use trailsight::engine::explain::{explain, Explanation, Setting};
use trailsight::engine::{detect, DetectConfig, Detection};
use trailsight::format::record_time;
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};

/// 2026-03-02 00:00 UTC, in minutes.
const DAY0: i64 = 20_514 * 1440;
const A: &str = "111122223333";
const B: &str = "444455556666";

/// One event: (account, Region, minute, eventName, readOnly, errorCode, eventCategory).
type Spec<'a> = (&'a str, &'a str, i64, &'a str, bool, &'a str, &'a str);

fn run(specs: &[Spec], cfg: &DetectConfig) -> (Detection, Explanation) {
    let mut text = String::new();
    for (n, &(account, region, minute, name, read_only, error, category)) in
        specs.iter().enumerate()
    {
        let mut e = json!({
            "eventVersion": "1.09",
            "eventTime": record_time(minute),
            "eventSource": "ec2.amazonaws.com",
            "eventName": name,
            "awsRegion": region,
            "eventID": format!("{n:08x}-0000-4000-8000-000000000000"),
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "recipientAccountId": account,
            "eventCategory": category,
            "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{account}:user/alice")}
        });
        if !error.is_empty() {
            e["errorCode"] = json!(error);
        }
        text.push_str(&e.to_string());
        text.push('\n');
    }
    let mut b = DatasetBuilder::new();
    b.add(
        "t.jsonl".into(),
        parse_bytes(0, "t.jsonl", text.as_bytes(), &Limits::default()),
    );
    let (ds, report) = b.finish();
    assert_eq!(report.events as usize, specs.len());
    let det = detect(&ds, cfg);
    let cov = &det.summary.coverage;
    // The report agrees with the detector's own counts.
    assert_eq!(cov.events_considered, det.summary.events_considered);
    assert_eq!(cov.series_seen(), det.summary.series_examined);
    assert_eq!(
        cov.series_seen() - cov.series_tested(),
        det.summary.series_without_enough_history
    );
    assert_eq!(
        cov.events_considered + cov.not_considered.total(),
        cov.events
    );
    let why = explain(cov, det.insights.len());
    (det, why)
}

fn note_for(why: &Explanation, setting: Option<Setting>, contains: &str) -> bool {
    why.notes
        .iter()
        .any(|n| n.setting == setting && n.text.contains(contains))
}

/// A write every 10 minutes from `from` for `minutes`, in account/Region.
fn steady(
    out: &mut Vec<Spec<'static>>,
    account: &'static str,
    region: &'static str,
    from: i64,
    minutes: i64,
) {
    for m in (0..minutes).step_by(10) {
        out.push((
            account,
            region,
            from + m,
            "RunInstances",
            false,
            "",
            "Management",
        ));
    }
}

#[test]
fn a_short_capture_says_nothing_could_be_tested() {
    let specs = [
        (
            A,
            "us-east-1",
            DAY0 + 600,
            "RunInstances",
            false,
            "",
            "Management",
        ),
        (
            A,
            "us-east-1",
            DAY0 + 620,
            "DescribeInstances",
            true,
            "",
            "Management",
        ),
        (
            A,
            "us-east-1",
            DAY0 + 640,
            "GetPasswordData",
            true,
            "Client.UnauthorizedOperation",
            "Management",
        ),
        (
            A,
            "us-east-1",
            DAY0 + 654,
            "CreateUser",
            false,
            "",
            "Management",
        ),
    ];
    let (det, why) = run(&specs, &DetectConfig::default());
    assert!(det.insights.is_empty());
    assert_eq!(
        why.headline,
        "This capture covers 55 minutes of account 111122223333 in us-east-1; Insights need 24 hours \
         of history in an account and Region, so none of its 3 series could be tested."
    );
    assert!(!why.headline.contains("nothing unusual"));
    // The read call is not watched: said, with the setting that would watch it.
    assert!(
        note_for(
            &why,
            Some(Setting::ReadCalls),
            "1 event not considered: read-only calls"
        ),
        "{why:?}"
    );
}

#[test]
fn a_partial_capture_names_what_was_not_tested() {
    let mut specs = Vec::new();
    steady(&mut specs, A, "us-east-1", DAY0, 2 * 1440 + 720);
    steady(&mut specs, B, "eu-west-1", DAY0 + 600, 55);
    specs.push((
        B,
        "eu-west-1",
        DAY0 + 654,
        "RunInstances",
        false,
        "",
        "Management",
    ));
    let (det, why) = run(&specs, &DetectConfig::default());
    assert!(det.insights.is_empty());
    // Two days and a half of history: the whole coverage is the baseline.
    assert_eq!(
        why.headline,
        "1 series tested in 1 of 2 accounts and Regions, over 2.5 days of baseline: nothing unusual."
    );
    assert!(
        note_for(
            &why,
            None,
            "Not tested, less than 24 hours of history: account 444455556666 in eu-west-1 (55 minutes, 1 series)."
        ),
        "{why:?}"
    );
}

#[test]
fn a_long_capture_reports_series_tested_and_baseline() {
    let mut specs = Vec::new();
    steady(&mut specs, A, "us-east-1", DAY0, 8 * 1440 + 721);
    steady(&mut specs, A, "eu-west-1", DAY0, 8 * 1440 + 721);
    let (det, why) = run(&specs, &DetectConfig::default());
    assert!(det.insights.is_empty());
    // Ends at 12:00 on day 8: seven days plus half a day.
    assert_eq!(
        why.headline,
        "2 series tested over 7.5 days of baseline: nothing unusual."
    );
    assert!(why.notes.is_empty(), "{why:?}");
}

#[allow(
    clippy::too_many_lines,
    reason = "one scenario with every kind of event that coverage counts, checked together"
)]
#[test]
fn switched_off_types_and_unwatched_events_are_counted() {
    let mut specs = Vec::new();
    steady(&mut specs, A, "us-east-1", DAY0, 1500);
    for m in 0..7 {
        specs.push((
            A,
            "us-east-1",
            DAY0 + m,
            "DescribeInstances",
            true,
            "",
            "Management",
        ));
    }
    specs.push((
        A,
        "us-east-1",
        DAY0 + 30,
        "DescribeInstances",
        true,
        "AccessDenied",
        "Management",
    ));
    for m in 0..3 {
        specs.push((A, "us-east-1", DAY0 + m, "GetObject", true, "", "Data"));
    }
    specs.push((
        A,
        "us-east-1",
        DAY0 + 5,
        "CreateVpcEndpoint",
        false,
        "",
        "NetworkActivity",
    ));
    let writes = 150;

    let cfg = DetectConfig {
        call_rate: false,
        ..DetectConfig::default()
    };
    let (_, why) = run(&specs, &cfg);
    assert_eq!(
        why.headline,
        "1 series tested over 1.0 days of baseline: nothing unusual."
    );
    // Writes and successful reads only call rate would count.
    let off = format!(
        "ApiCallRateInsight is switched off: call volumes were not tested ({} events left out).",
        writes + 7
    );
    assert!(note_for(&why, Some(Setting::CallRate), &off), "{why:?}");
    assert!(
        note_for(
            &why,
            Some(Setting::DataEvents),
            "3 events not considered: data events"
        ),
        "{why:?}"
    );
    assert!(
        note_for(
            &why,
            None,
            "1 event not considered: neither management nor data"
        ),
        "{why:?}"
    );

    let (_, why) = run(&specs, &DetectConfig::default());
    assert!(
        note_for(
            &why,
            Some(Setting::ReadCalls),
            "7 events not considered: read-only calls"
        ),
        "{why:?}"
    );
    assert!(
        !why.notes.iter().any(|n| n.text.contains("switched off")),
        "{why:?}"
    );

    let watched = DetectConfig {
        include_read_calls: true,
        include_data_events: true,
        ..DetectConfig::default()
    };
    let (_, why) = run(&specs, &watched);
    assert!(!why.notes.iter().any(|n| n.setting.is_some()), "{why:?}");

    let none = DetectConfig {
        call_rate: false,
        error_rate: false,
        ..DetectConfig::default()
    };
    let (_, why) = run(&specs, &none);
    assert_eq!(
        why.headline,
        "Both Insight types are switched off in Settings, so nothing was tested."
    );
}

#[test]
fn stratus_red_team_detonations_are_too_short_to_test() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real/stratus-red-team-detonations");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let (ds, report) = trailsight::ingest::load_paths(&[dir], &Limits::default());
    assert!(report.events > 0);
    let det = detect(&ds, &DetectConfig::default());
    let cov = &det.summary.coverage;
    let pairs: std::collections::BTreeSet<(u32, u32)> = ds
        .events
        .iter()
        .map(|e| (e.account.0, e.region.0))
        .collect();
    assert_eq!(cov.regions.len(), pairs.len());
    assert!(cov.regions.iter().all(|r| !r.enough_history));
    assert_eq!(cov.series_seen(), det.summary.series_without_enough_history);
    let why = explain(cov, det.insights.len());
    eprintln!("{}", why.headline);
    for n in &why.notes {
        eprintln!("  {}", n.text);
    }
    let expected_end = format!(
        "Insights need 24 hours of history in an account and Region, so none of its {} series could be tested.",
        cov.series_seen()
    );
    assert!(
        why.headline.starts_with(&format!(
            "This capture covers {} accounts and Regions for at most ",
            pairs.len()
        )),
        "{}",
        why.headline
    );
    assert!(why.headline.ends_with(&expected_end), "{}", why.headline);
    assert!(
        note_for(&why, Some(Setting::ReadCalls), "read-only calls"),
        "{why:?}"
    );
}
