//! The generator's `realistic` option: determinism, the bursty shapes with the
//! counts and time windows of issue 9 (deploy pipeline, error storms,
//! overdispersed rates, nightly batch), the anomalies planted on them, a run
//! without it being exactly a run with it less its labelled events, and the
//! delivery files agreeing with the in-memory dataset on the new events.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use trailsight::generate::{generate, generate_dataset, Decoy, GenerateConfig, Labels, START_DAY};
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};
use trailsight::model::{Category, Dataset};

const SCALE: f64 = 0.25;

/// One event as strings, comparable across datasets (interners differ).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    ms: i64,
    id: u128,
    account: String,
    region: String,
    source: String,
    name: String,
    error: String,
    identity: String,
    agent: String,
    ip: String,
    read_only: bool,
    management: bool,
}

fn rows(ds: &Dataset) -> Vec<Row> {
    let s = |sym| ds.strings.resolve(sym).to_string();
    let mut out: Vec<Row> = ds
        .events
        .iter()
        .map(|e| Row {
            ms: e.time_ms,
            id: e.id,
            account: s(e.account),
            region: s(e.region),
            source: s(e.source),
            name: s(e.name),
            error: s(e.error_code),
            identity: s(e.identity),
            agent: s(e.user_agent),
            ip: s(e.source_ip),
            read_only: e.read_only,
            management: e.category == Category::Management,
        })
        .collect();
    out.sort();
    out
}

fn config(realistic: bool) -> GenerateConfig {
    GenerateConfig {
        days: 9,
        seed: 11,
        scale: SCALE,
        anomalies: true,
        realistic,
    }
}

fn run(realistic: bool) -> &'static (Vec<Row>, Labels) {
    static ON: OnceLock<(Vec<Row>, Labels)> = OnceLock::new();
    static OFF: OnceLock<(Vec<Row>, Labels)> = OnceLock::new();
    let cell = if realistic { &ON } else { &OFF };
    cell.get_or_init(|| {
        let (ds, labels) = generate_dataset(&config(realistic));
        (rows(&ds), labels)
    })
}

/// Calls a minute of a burst of `per_minute` at scale 1, at [`SCALE`]
/// (the documented rule: times `sqrt(scale)`, rounded, at least 1).
fn burst(per_minute: f64) -> usize {
    (per_minute * SCALE.sqrt()).round().max(1.0) as usize
}

fn minute(r: &Row) -> i64 {
    r.ms.div_euclid(60_000)
}

fn decoys<'a>(labels: &'a Labels, kind: &str) -> Vec<&'a Decoy> {
    labels.decoys.iter().filter(|d| d.kind == kind).collect()
}

/// The places (account, Region) of the generated set.
fn places(events: &[Row]) -> BTreeSet<(String, String)> {
    events
        .iter()
        .map(|r| (r.account.clone(), r.region.clone()))
        .collect()
}

fn role(account: &str, name: &str) -> String {
    format!("arn:aws:sts::{account}:assumed-role/{name}")
}

#[test]
fn same_seed_same_events_other_seed_other_events() {
    let (a, la) = generate_dataset(&config(true));
    let (b, lb) = generate_dataset(&config(true));
    assert_eq!(a.events, b.events);
    assert_eq!(la, lb);
    assert!(la.realistic);
    let (c, _) = generate_dataset(&GenerateConfig {
        seed: 12,
        ..config(true)
    });
    assert_ne!(rows(&a), rows(&c));
}

/// Without the option, the output is the option's output less its events and
/// labels: every smooth event is there unchanged, and every extra event lies in
/// the span of a new label on its own API.
#[test]
fn off_is_on_less_the_realistic_events() {
    let (on, on_labels) = run(true);
    let (off, off_labels) = run(false);
    assert!(!off_labels.realistic);
    assert_eq!(on_labels.events as usize, on.len());
    assert_eq!(
        on_labels.anomalies[..off_labels.anomalies.len()],
        off_labels.anomalies[..]
    );
    assert_eq!(
        on_labels.decoys[..off_labels.decoys.len()],
        off_labels.decoys[..]
    );
    let new_decoys = &on_labels.decoys[off_labels.decoys.len()..];
    let new_anomalies = &on_labels.anomalies[off_labels.anomalies.len()..];
    assert!(!new_decoys.is_empty() && !new_anomalies.is_empty());

    let off_set: BTreeSet<&Row> = off.iter().collect();
    let on_set: BTreeSet<&Row> = on.iter().collect();
    let missing = off_set.difference(&on_set).count();
    assert_eq!(
        missing, 0,
        "smooth events changed or lost with realistic on"
    );
    let extra: Vec<&&Row> = on_set.difference(&off_set).collect();
    assert_eq!(extra.len(), on.len() - off.len());
    assert!(extra.len() > on.len() / 20, "{} extra events", extra.len());
    for r in extra {
        let m = minute(r);
        let in_decoy = new_decoys.iter().any(|d| {
            (&d.account, &d.region, &d.event_source, &d.event_name)
                == (&r.account, &r.region, &r.source, &r.name)
                && (d.start_minute..d.end_minute).contains(&m)
        });
        let in_anomaly = new_anomalies.iter().any(|a| {
            (&a.account, &a.region, &a.event_source, &a.event_name)
                == (&r.account, &r.region, &r.source, &r.name)
                && (a.onset_minute..a.end_minute).contains(&m)
        });
        assert!(in_decoy || in_anomaly, "unlabelled extra event {r:?}");
    }
}

const DEPLOY_APIS: [(&str, &str); 5] = [
    ("ec2.amazonaws.com", "CreateTags"),
    ("elasticloadbalancing.amazonaws.com", "RegisterTargets"),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"),
    ("ssm.amazonaws.com", "PutParameter"),
    ("autoscaling.amazonaws.com", "UpdateAutoScalingGroup"),
];

/// 3–6 runs every weekday between 07:00 and 19:00, none on weekends, each 2–4
/// minutes of 10–30 calls a minute to each of the five APIs, as writes by
/// TerraformRole with a Terraform user agent.
#[test]
fn deploy_pipeline_runs_on_weekdays_in_office_hours() {
    let (events, labels) = run(true);
    let runs = decoys(labels, "deploy_pipeline");
    for (account, region) in places(events) {
        let mut by_day: BTreeMap<i64, BTreeSet<(i64, i64)>> = BTreeMap::new();
        for d in runs
            .iter()
            .filter(|d| (&d.account, &d.region) == (&account, &region))
        {
            by_day
                .entry(d.start_minute.div_euclid(1440) - START_DAY)
                .or_default()
                .insert((d.start_minute, d.end_minute));
        }
        for day in 0..9 {
            let n = by_day.get(&day).map_or(0, BTreeSet::len);
            if day % 7 < 5 {
                assert!(
                    (3..=6).contains(&n),
                    "{account}/{region} day {day}: {n} runs"
                );
            } else {
                assert_eq!(n, 0, "{account}/{region} weekend day {day}");
            }
            for &(start, end) in by_day.get(&day).into_iter().flatten() {
                let of_day = start - (START_DAY + day) * 1440;
                assert!(of_day >= 7 * 60 && of_day + (end - start) <= 19 * 60);
                assert!((2..=4).contains(&(end - start)));
                let apis: BTreeSet<&str> = runs
                    .iter()
                    .filter(|d| {
                        (&d.account, &d.region) == (&account, &region)
                            && (d.start_minute, d.end_minute) == (start, end)
                    })
                    .map(|d| d.event_name.as_str())
                    .collect();
                assert_eq!(apis.len(), 5, "one label per API of the run");
            }
        }
        let tf = role(&account, "TerraformRole");
        let mut per_minute: BTreeMap<(&str, i64), usize> = BTreeMap::new();
        for r in events
            .iter()
            .filter(|r| r.identity == tf && r.region == region)
        {
            assert!(DEPLOY_APIS.contains(&(r.source.as_str(), r.name.as_str())));
            assert!(!r.read_only && r.management && r.error.is_empty());
            assert!(r.agent.contains("Terraform/1.5.7"), "{}", r.agent);
            let m = minute(r);
            let day = m.div_euclid(1440) - START_DAY;
            assert!(
                by_day
                    .get(&day)
                    .into_iter()
                    .flatten()
                    .any(|&(s, e)| (s..e).contains(&m)),
                "TerraformRole call outside a run at {m}"
            );
            *per_minute.entry((r.name.as_str(), m)).or_default() += 1;
        }
        let expected: usize = by_day
            .values()
            .flatten()
            .map(|&(s, e)| (e - s) as usize * 5)
            .sum();
        assert_eq!(
            per_minute.len(),
            expected,
            "every API busy every run minute"
        );
        for ((name, m), n) in per_minute {
            assert!((burst(10.0)..=burst(30.0)).contains(&n), "{name} {m}: {n}");
        }
    }
}

/// 2–4 storms a day of 3–6 minutes, 10–20 ResourceAlreadyExistsException a
/// minute by the log-router role; the planted flood is far larger.
#[test]
fn error_storms_recur_every_day_and_the_flood_is_larger() {
    let (events, labels) = run(true);
    let storms = decoys(labels, "error_storm");
    let flood = labels
        .anomalies
        .iter()
        .find(|a| a.event_name == "CreateLogStream" && a.kind == "error_rate")
        .expect("the planted error flood");
    // Labelled as a call-rate anomaly too: failed writes are calls.
    assert!(labels.anomalies.iter().any(|a| {
        (
            a.kind.as_str(),
            &a.event_name,
            a.onset_minute,
            &a.error_code,
        ) == ("call_rate", &flood.event_name, flood.onset_minute, &None)
    }));
    let mut flood_minutes = Vec::new();
    for (account, region) in places(events) {
        let here: Vec<&&Decoy> = storms
            .iter()
            .filter(|d| (&d.account, &d.region) == (&account, &region))
            .collect();
        for day in 0..9 {
            let n = here
                .iter()
                .filter(|d| d.start_minute.div_euclid(1440) - START_DAY == day)
                .count();
            assert!(
                (2..=4).contains(&n),
                "{account}/{region} day {day}: {n} storms"
            );
        }
        let router = role(&account, "log-router");
        let mut per_minute: BTreeMap<i64, usize> = BTreeMap::new();
        for r in events
            .iter()
            .filter(|r| r.identity == router && r.region == region)
        {
            assert_eq!(
                (r.name.as_str(), r.error.as_str()),
                ("CreateLogStream", "ResourceAlreadyExistsException")
            );
            assert!(!r.read_only);
            *per_minute.entry(minute(r)).or_default() += 1;
        }
        for d in &here {
            assert!((3..=6).contains(&(d.end_minute - d.start_minute)));
            assert_eq!(
                d.start_minute.div_euclid(1440),
                (d.end_minute - 1).div_euclid(1440),
                "a storm within one day"
            );
        }
        // The flood first (the same role; a storm may overlap it).
        if (&flood.account, &flood.region) == (&account, &region) {
            for m in flood.onset_minute..flood.end_minute {
                flood_minutes.push(per_minute.remove(&m).unwrap_or(0));
            }
        }
        for d in &here {
            for m in d.start_minute..d.end_minute {
                if let Some(n) = per_minute.remove(&m) {
                    assert!(
                        (burst(10.0)..=burst(20.0)).contains(&n),
                        "storm minute {m}: {n}"
                    );
                } else {
                    assert!((flood.onset_minute..flood.end_minute).contains(&m));
                }
            }
        }
        assert!(
            per_minute.is_empty(),
            "log-router calls outside storms: {per_minute:?}"
        );
    }
    assert_eq!(flood_minutes.len(), 5);
    assert!(
        flood_minutes.iter().all(|&n| n >= 3 * burst(20.0)),
        "flood {flood_minutes:?} not clearly above storms of up to {}",
        burst(20.0)
    );
}

/// One batch a night in every place, 3 minutes of 8 a minute, starting between
/// 01:00 and 02:57.
#[test]
fn nightly_batch_at_a_random_minute_between_one_and_three() {
    let (events, labels) = run(true);
    let batches = decoys(labels, "nightly_batch");
    let mut starts = BTreeSet::new();
    for (account, region) in places(events) {
        let batch = role(&account, "capacity-batch");
        let mut per_minute: BTreeMap<i64, usize> = BTreeMap::new();
        for r in events
            .iter()
            .filter(|r| r.identity == batch && r.region == region)
        {
            assert_eq!(r.name, "UpdateTable");
            *per_minute.entry(minute(r)).or_default() += 1;
        }
        for day in 0..9 {
            let tonight: Vec<&&Decoy> = batches
                .iter()
                .filter(|d| {
                    (&d.account, &d.region) == (&account, &region)
                        && d.start_minute.div_euclid(1440) - START_DAY == day
                })
                .collect();
            assert_eq!(tonight.len(), 1, "{account}/{region} day {day}");
            let d = tonight[0];
            let of_day = d.start_minute.rem_euclid(1440);
            assert!((60..=177).contains(&of_day), "starts at minute {of_day}");
            assert_eq!(d.end_minute - d.start_minute, 3);
            starts.insert(of_day);
            for m in d.start_minute..d.end_minute {
                assert_eq!(per_minute.remove(&m), Some(burst(8.0)));
            }
        }
        assert!(per_minute.is_empty());
    }
    assert!(
        starts.len() > 10,
        "batch minutes are not random: {starts:?}"
    );
}

/// Variance over mean of the 10-minute counts of `name` in the busiest place,
/// on weekday daytime (one level of the APIs' flat rhythm), and the counts.
fn dispersion<'a>(events: impl Iterator<Item = &'a Row>, name: &str) -> (f64, Vec<f64>) {
    let mut windows: BTreeMap<i64, f64> = BTreeMap::new();
    for r in
        events.filter(|r| r.name == name && r.account == "111122223333" && r.region == "us-east-1")
    {
        let m = minute(r);
        let (day, hour) = (m.div_euclid(1440) - START_DAY, m.rem_euclid(1440) / 60);
        if day % 7 < 5 && (7..19).contains(&hour) {
            *windows.entry(m.div_euclid(10)).or_default() += 1.0;
        }
    }
    let counts: Vec<f64> = windows.into_values().collect();
    let n = counts.len() as f64;
    let mean = counts.iter().sum::<f64>() / n;
    let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (var / mean, counts)
}

/// The extra calls on the overdispersed APIs vary between 10-minute stretches
/// far more than Poisson counts do (variance/mean: 1 for Poisson, 1 + mean /
/// shape for a gamma-mixed Poisson: about 3.2 to 5.5 here), while the smooth
/// run's counts stay Poisson.
#[test]
fn overdispersed_rates_swing_between_ten_minute_stretches() {
    let (on, _) = run(true);
    let (off, _) = run(false);
    let smooth: BTreeSet<&Row> = off.iter().collect();
    for name in ["UpdateInstanceInformation", "AssumeRole", "Decrypt"] {
        let (plain, _) = dispersion(off.iter(), name);
        let (extra, counts) = dispersion(on.iter().filter(|r| !smooth.contains(r)), name);
        assert!(plain < 1.4, "{name}: smooth dispersion {plain:.2}");
        assert!(extra > 2.5, "{name}: extra calls' dispersion {extra:.2}");
        assert!(counts.len() > 300, "{name}: {} windows", counts.len());
    }
    // Real CloudTrail marks AssumeRole read-only; the extra calls follow it.
    assert!(on
        .iter()
        .filter(|r| r.name == "AssumeRole")
        .all(|r| r.read_only));
    let labelled = decoys(&run(true).1, "overdispersed");
    assert_eq!(labelled.len(), 5 * 3, "one label per place and API");
}

/// The anomalies planted on bursty APIs: on day 7 or later, by a principal new
/// to the API or far above its recurring bursts.
#[test]
fn anomalies_are_planted_on_the_bursty_apis() {
    let (events, labels) = run(true);
    let (_, smooth) = run(false);
    let new = &labels.anomalies[smooth.anomalies.len()..];
    let day7 = (START_DAY + 7) * 1440;
    assert!(new.iter().all(|a| a.onset_minute >= day7));
    let tags = new
        .iter()
        .find(|a| a.event_name == "CreateTags")
        .expect("CreateTags plant");
    assert_eq!(
        (tags.kind.as_str(), tags.error_code.as_ref()),
        ("call_rate", None)
    );
    let in_plant = |r: &&Row| {
        (&r.account, &r.region, &r.name) == (&tags.account, &tags.region, &tags.event_name)
            && (tags.onset_minute..tags.end_minute).contains(&minute(r))
    };
    let callers: BTreeSet<&str> = events
        .iter()
        .filter(|r| in_plant(r))
        .map(|r| r.identity.as_str())
        .collect();
    let before: BTreeSet<&str> = events
        .iter()
        .filter(|r| {
            (&r.account, &r.region, &r.name) == (&tags.account, &tags.region, &tags.event_name)
                && minute(r) < tags.onset_minute
        })
        .map(|r| r.identity.as_str())
        .collect();
    assert!(
        callers.iter().any(|c| !before.contains(c)),
        "a principal new to CreateTags: {callers:?} vs {before:?}"
    );
    let planted = events.iter().filter(|r| in_plant(r)).count();
    assert!(
        planted >= 5 * 3 * burst(30.0),
        "{planted} calls in the plant"
    );
}

/// The delivery files carry the new identities, user agents, errors, readOnly
/// and category exactly as the in-memory dataset does.
#[test]
fn files_match_the_dataset_on_realistic_events() {
    let cfg = GenerateConfig {
        days: 2,
        seed: 5,
        scale: 0.1,
        anomalies: true,
        realistic: true,
    };
    let generated = generate(&cfg);
    let mut builder = DatasetBuilder::new();
    for (n, (name, bytes)) in generated.files.iter().enumerate() {
        builder.add(
            name.clone(),
            parse_bytes(n as u32, name, bytes, &Limits::default()),
        );
    }
    let (via_files, report) = builder.finish();
    assert_eq!(report.bad_records, 0);
    let (direct, labels) = generate_dataset(&cfg);
    assert_eq!(generated.labels, labels);
    let (a, b) = (rows(&via_files), rows(&direct));
    assert_eq!(a.len(), b.len());
    let new_roles = ["TerraformRole", "log-router", "capacity-batch"];
    let mut seen = BTreeSet::new();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
        for role in new_roles {
            if x.identity.ends_with(&format!("assumed-role/{role}")) {
                seen.insert(role);
            }
        }
    }
    assert_eq!(seen.len(), new_roles.len(), "{seen:?}");
}

/// `trailsight generate --realistic` writes the realistic labels; without the
/// flag `labels.json` has no `realistic` key and no realistic decoys.
#[test]
fn cli_flag_turns_the_shapes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let labels = |flag: Option<&str>| {
        let out_dir = dir.path().join(flag.unwrap_or("plain"));
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_trailsight"));
        cmd.arg("generate")
            .arg(&out_dir)
            .args(["--days", "1", "--scale", "0.1"]);
        cmd.args(flag);
        let out = cmd.output().expect("run trailsight");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(out_dir.join("labels.json")).expect("labels.json");
        let labels: Labels = serde_json::from_str(&text).expect("labels");
        (text, labels)
    };
    let (text, on) = labels(Some("--realistic"));
    assert!(on.realistic && text.contains("\"realistic\": true"));
    for kind in [
        "deploy_pipeline",
        "error_storm",
        "overdispersed",
        "nightly_batch",
    ] {
        assert!(on.decoys.iter().any(|d| d.kind == kind), "{kind}");
    }
    let (text, off) = labels(None);
    assert!(!off.realistic && !text.contains("realistic"));
    assert!(off.events < on.events);
}
