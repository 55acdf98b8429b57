//! Quality of detection on generated data: every planted anomaly is found with
//! the right type, API and error code, its Start within 10 minutes of onset;
//! nothing else fires (in particular no decoy); a run without anomalies is quiet.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod quality_fixtures;

use quality_fixtures::{describe, matches};
use trailsight::engine::{detect, DetectConfig};
use trailsight::generate::{generate_dataset, GenerateConfig, Labels};
use trailsight::model::Insight;

/// Returns a list of problems (empty = perfect).
fn check(insights: &[Insight], labels: &Labels) -> Vec<String> {
    let mut problems = Vec::new();
    for a in &labels.anomalies {
        if !insights.iter().any(|i| matches(i, a)) {
            problems.push(format!(
                "missed {} {}:{} {:?} at {}",
                a.kind, a.event_source, a.event_name, a.error_code, a.onset
            ));
        }
    }
    for i in insights {
        if !labels.anomalies.iter().any(|a| matches(i, a)) {
            let decoy = labels
                .decoys
                .iter()
                .find(|d| d.event_name == i.key.name && d.account == i.key.account);
            problems.push(format!(
                "unexpected {} (decoy: {:?})",
                describe(i),
                decoy.map(|d| &d.kind)
            ));
        }
    }
    problems
}

fn run(cfg: GenerateConfig) -> Vec<String> {
    let (ds, labels) = generate_dataset(&cfg);
    let det = detect(&ds, &DetectConfig::default());
    let mut problems = check(&det.insights, &labels);
    if !cfg.anomalies && !det.insights.is_empty() {
        problems.push(format!(
            "control run produced {} Insights",
            det.insights.len()
        ));
    }
    problems
        .iter()
        .map(|p| format!("seed {} scale {}: {p}", cfg.seed, cfg.scale))
        .collect()
}

#[test]
fn planted_anomalies_found_and_nothing_else_several_seeds() {
    let mut problems = Vec::new();
    for seed in 1..=4 {
        problems.extend(run(GenerateConfig {
            seed,
            ..Default::default()
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn planted_anomalies_found_at_five_times_the_scale() {
    let problems = run(GenerateConfig {
        seed: 7,
        scale: 5.0,
        ..Default::default()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn control_runs_without_anomalies_are_quiet() {
    let mut problems = Vec::new();
    for seed in [1, 2, 3] {
        problems.extend(run(GenerateConfig {
            seed,
            anomalies: false,
            ..Default::default()
        }));
    }
    problems.extend(run(GenerateConfig {
        seed: 5,
        scale: 5.0,
        anomalies: false,
        ..Default::default()
    }));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A wider sweep (40 seeds, scales 0.5 to 10), slow: `cargo test --release
/// --test detect_quality -- --ignored`.
#[test]
#[ignore]
fn wide_sweep() {
    let mut problems = Vec::new();
    for seed in 10..50 {
        problems.extend(run(GenerateConfig {
            seed,
            ..Default::default()
        }));
    }
    for (seed, scale) in [(60, 0.5), (61, 2.0), (62, 3.0), (63, 10.0)] {
        problems.extend(run(GenerateConfig {
            seed,
            scale,
            ..Default::default()
        }));
        problems.extend(run(GenerateConfig {
            seed,
            scale,
            anomalies: false,
            ..Default::default()
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
