//! The CloudTrail simulator behind `trailsight generate` and the dashboard's
//! demo data: several accounts and Regions, ~40 APIs with realistic rates and
//! daily/weekly rhythm, IAM users, assumed roles and service principals,
//! console/CLI/SDK/Terraform user agents, steady background errors, and, after
//! a week of history, labelled planted anomalies plus decoys that must not fire.
//! With [`GenerateConfig::realistic`], also the bursty shapes real accounts
//! have (deploy pipeline, error storms, overdispersed rates, nightly batch:
//! see `realistic`) as decoys, and anomalies planted on those bursty APIs.
//!
//! Pure and in-memory (it runs in the web worker too). Randomness comes only
//! from `ChaCha8Rng` seeded by [`GenerateConfig::seed`], so the output is the
//! same on every platform.

mod catalog;
mod plant;
mod realistic;
mod simulate;
mod write;

use crate::model::Dataset;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// First simulated day: 2026-03-02, a Monday (days since 1970-01-01).
pub const START_DAY: i64 = 20_514;

/// What to simulate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateConfig {
    pub days: u32,
    pub seed: u64,
    /// Traffic multiplier (1.0 ≈ a few hundred thousand events over 9 days).
    pub scale: f64,
    /// Plant anomalies (false = a quiet control run; decoys are always there).
    pub anomalies: bool,
    /// Add the recurring bursty shapes of real accounts (labelled as decoys)
    /// and anomalies planted on them. Off, the output is what it was before
    /// the option existed, byte for byte.
    #[serde(default)]
    pub realistic: bool,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            days: 9,
            seed: 1,
            scale: 1.0,
            anomalies: true,
            realistic: false,
        }
    }
}

/// A planted anomaly: the detector must report it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlantedAnomaly {
    /// `call_rate` or `error_rate`.
    pub kind: String,
    pub account: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub error_code: Option<String>,
    pub onset: String,
    pub end: String,
    pub onset_minute: i64,
    pub end_minute: i64,
    pub description: String,
}

/// A decoy: behaviour that must not produce an Insight on its API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decoy {
    /// `read_spike`, `ordinary_peak`, `scheduled_job`, `single_rare_call`,
    /// `rare_errors`, `steady_errors`, `data_events`; with `realistic`, one
    /// per occurrence of `deploy_pipeline` (one per run and API),
    /// `error_storm` (one per storm; it covers the API's call-rate series as
    /// well as its `error_code` series), `nightly_batch` (one per night), and
    /// `overdispersed` (one per place and API, spanning every generated day).
    /// An Insight on a decoy's account, Region and API overlapping
    /// `[start_minute, end_minute)` is on that decoy.
    pub kind: String,
    pub description: String,
    pub account: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub error_code: Option<String>,
    pub start: String,
    pub end: String,
    pub start_minute: i64,
    pub end_minute: i64,
}

/// `labels.json`: what was planted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub start: String,
    pub days: u32,
    pub seed: u64,
    pub scale: f64,
    /// The run had [`GenerateConfig::realistic`] on (absent from the JSON when off).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub realistic: bool,
    pub events: u64,
    pub anomalies: Vec<PlantedAnomaly>,
    pub decoys: Vec<Decoy>,
}

/// Generated logs: S3-layout relative paths with gzip bytes, and the labels.
pub struct Generated {
    pub files: Vec<(String, Vec<u8>)>,
    pub labels: Labels,
}

fn simulate(cfg: &GenerateConfig) -> (Vec<simulate::GenEvent>, Labels) {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let scale = if cfg.scale.is_finite() {
        cfg.scale.clamp(0.0, 1000.0)
    } else {
        1.0
    };
    let days = cfg.days.min(366);
    let mut events = simulate::background(&mut rng, START_DAY, days, scale);
    // Its own rng streams, and added before the plants so that a planted drop
    // silences these events too.
    let extra = if cfg.realistic {
        realistic::realistic(cfg.seed, START_DAY, days, scale, cfg.anomalies)
    } else {
        realistic::Realistic::default()
    };
    events.extend(extra.events);
    let (mut anomalies, mut decoys) =
        plant::plant_all(&mut rng, &mut events, START_DAY, days, scale, cfg.anomalies);
    anomalies.extend(extra.anomalies);
    decoys.extend(extra.decoys);
    events.sort_by(|a, b| a.ms.cmp(&b.ms).then(a.id.cmp(&b.id)));
    let labels = Labels {
        start: crate::format::record_time(START_DAY * 1440),
        days,
        seed: cfg.seed,
        scale,
        realistic: cfg.realistic,
        events: events.len() as u64,
        anomalies,
        decoys,
    };
    (events, labels)
}

/// Simulates and writes the delivery files.
pub fn generate(cfg: &GenerateConfig) -> Generated {
    let (events, labels) = simulate(cfg);
    // A separate stream for file names and order, so the events do not depend on it.
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5eed_f11e_5eed_f11e);
    Generated {
        files: write::files(&events, &mut rng),
        labels,
    }
}

/// Simulates and returns the dataset ingest would load from [`generate`]'s
/// files (without writing or parsing JSON): for fast tests and benchmarks.
pub fn generate_dataset(cfg: &GenerateConfig) -> (Dataset, Labels) {
    let (events, labels) = simulate(cfg);
    (write::dataset(&events), labels)
}
