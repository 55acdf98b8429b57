//! Realistic bursty traffic, on with [`GenerateConfig::realistic`](super::GenerateConfig):
//! the recurring shapes real accounts have and a person calls normal, each
//! occurrence labelled with a [`Decoy`], and anomalies planted on those bursty
//! APIs that must still be found.
//!
//! In every account/Region ("place"):
//! - `deploy_pipeline`: `assumed-role/TerraformRole` (a Terraform user agent)
//!   runs 3–6 times every weekday, at uniformly random, non-overlapping times
//!   between 07:00 and 19:00 UTC; each run lasts 2–4 minutes and makes 10–30
//!   calls a minute (uniform per minute) to each of five write APIs.
//! - `error_storm`: `assumed-role/log-router` gets `logs:CreateLogStream`
//!   `ResourceAlreadyExistsException`, 10–20 a minute for 3–6 minutes, 2–4
//!   times a day at random non-overlapping times, every day.
//! - `overdispersed`: busy APIs get extra calls from their usual callers at
//!   [`OVERDISPERSED_EXTRA`] times their catalog rate, multiplied by a gamma
//!   factor (mean 1, shape [`GAMMA_SHAPE`]) redrawn every 10 minutes, so the
//!   rate swings 2–3x between 10-minute stretches.
//! - `nightly_batch`: `assumed-role/capacity-batch` calls `dynamodb:UpdateTable`
//!   8 a minute for 3 minutes from a random minute between 01:00 and 02:57
//!   every day (so it is over by 03:00).
//!
//! Planted on them (with anomalies on, day 7 or later): `ec2:CreateTags` at
//! ~200 a minute by an IAM user new to it; a `logs:CreateLogStream`
//! `ResourceAlreadyExistsException` flood at ~150 a minute by the storms' own
//! role (labelled as an error-rate and a call-rate anomaly: failed writes are
//! calls); `dynamodb:UpdateTable` at ~60 a minute in the afternoon by a
//! console user.
//!
//! Burst sizes (calls a minute of the deploy runs, storms, batch and plants) are
//! multiplied by `sqrt(scale)`, as most planted anomalies are, and rounded (at
//! least 1); the overdispersed extra traffic is a rate and is multiplied by
//! `scale` and the place's volume, as the background is.
//!
//! Randomness comes from its own `ChaCha8Rng` streams (derived from the seed,
//! one per shape), and its events are only added to the background, so the
//! main stream, and a run without this option, are untouched: a run without it
//! is exactly a run with it less its events (and a planted drop silences them
//! too: they are added before the plants).

use super::catalog::{self, Stream, IDENTITIES, PLACES, STREAMS};
use super::catalog::{ALICE, BATCH, INTRUDER, LOG_ROUTER, TERRAFORM_ROLE};
use super::simulate::{is_weekend, poisson, stream_event, uuid_bits, GenEvent};
use super::{Decoy, PlantedAnomaly};
use crate::format::record_time;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};

/// Mixed into the seed for this module's streams (the file writer uses another).
const SEED_MIX: u64 = 0x8ea1_157c_b0a5_7e55;

/// The deploy pipeline's APIs (all write, management events).
const DEPLOY_APIS: [(&str, &str); 5] = [
    ("ec2.amazonaws.com", "CreateTags"),
    ("elasticloadbalancing.amazonaws.com", "RegisterTargets"),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"),
    ("ssm.amazonaws.com", "PutParameter"),
    ("autoscaling.amazonaws.com", "UpdateAutoScalingGroup"),
];

/// Busy APIs given overdispersed extra traffic. `sts:AssumeRole` and
/// `kms:Decrypt` are read-only in real CloudTrail (`readOnly: true`), so they
/// matter with read calls watched; `ssm:UpdateInstanceInformation` is a write.
const OVERDISPERSED_APIS: [(&str, &str); 3] = [
    ("sts.amazonaws.com", "AssumeRole"),
    ("kms.amazonaws.com", "Decrypt"),
    ("ssm.amazonaws.com", "UpdateInstanceInformation"),
];

/// The overdispersed extra rate, as a multiple of the stream's catalog rate:
/// the series' mean becomes 1 + this times its smooth rate.
pub(crate) const OVERDISPERSED_EXTRA: f64 = 1.0;
/// Shape of the gamma factor (its mean is 1, its variance 1 / shape).
pub(crate) const GAMMA_SHAPE: f64 = 2.0;
/// Minutes between two draws of the gamma factor.
const GAMMA_MINUTES: i64 = 10;

const STORM_ERROR: &str = "ResourceAlreadyExistsException";

/// What this module adds: events, decoys, and (with anomalies on) plants.
#[derive(Default)]
pub(crate) struct Realistic {
    pub events: Vec<GenEvent>,
    pub anomalies: Vec<PlantedAnomaly>,
    pub decoys: Vec<Decoy>,
}

/// The period simulated and the size of bursts.
#[derive(Clone, Copy)]
struct Span {
    start_day: i64,
    days: u32,
    scale: f64,
}

impl Span {
    /// Calls a minute: `per_minute` of the spec at scale 1, times `sqrt(scale)`.
    fn burst(self, per_minute: f64) -> u32 {
        (per_minute * self.scale.max(0.0).sqrt()).round().max(1.0) as u32
    }

    fn day(self, d: u32) -> i64 {
        self.start_day + i64::from(d)
    }
}

/// The realistic shapes of `days` days from absolute day `start_day`, and the
/// plants on them when `anomalies` is set.
pub(crate) fn realistic(
    seed: u64,
    start_day: i64,
    days: u32,
    scale: f64,
    anomalies: bool,
) -> Realistic {
    let span = Span {
        start_day,
        days,
        scale,
    };
    // One stream per shape, so changing one shape leaves the others' draws alone.
    let rng = |stream: u64| {
        let mut r = ChaCha8Rng::seed_from_u64(seed ^ SEED_MIX);
        r.set_stream(stream);
        r
    };
    let mut out = Realistic::default();
    deploy_pipeline(&mut rng(1), span, &mut out);
    error_storms(&mut rng(2), span, &mut out);
    overdispersed(&mut rng(3), span, &mut out);
    nightly_batch(&mut rng(4), span, &mut out);
    if anomalies {
        plants(&mut rng(5), span, &mut out);
    }
    out
}

/// One event of `who` calling `source:name` in `minute`, at a random second.
fn event(
    rng: &mut ChaCha8Rng,
    place: usize,
    (source, name): (&'static str, &'static str),
    who: usize,
    error: Option<&'static str>,
    minute: i64,
) -> GenEvent {
    GenEvent {
        ms: minute * 60_000 + rng.gen_range(0..60) * 1000,
        place: place as u8,
        source,
        name,
        read_only: catalog::read_only(source, name),
        data: false,
        who: who as u8,
        agent: IDENTITIES[who].agent,
        error,
        id: uuid_bits(rng),
        request: uuid_bits(rng),
    }
}

/// A decoy label on `source:name` (and its `error` series, if any) in `place`
/// over minutes `[start, end)`.
fn decoy(
    kind: &str,
    description: String,
    place: usize,
    (source, name): (&str, &str),
    error: Option<&str>,
    (start, end): (i64, i64),
) -> Decoy {
    Decoy {
        kind: kind.to_string(),
        description,
        account: PLACES[place].account.to_string(),
        region: PLACES[place].region.to_string(),
        event_source: source.to_string(),
        event_name: name.to_string(),
        error_code: error.map(str::to_string),
        start: record_time(start),
        end: record_time(end),
        start_minute: start,
        end_minute: end,
    }
}

/// Up to `n` runs `[start, end)` with lengths drawn from `len`, inside
/// `[from, to)`, at least a minute apart (a job does not overlap itself), in
/// time order. A run that finds no free place in 100 draws is left out, which
/// cannot happen with the sizes used here (at most 36 of 720 minutes taken).
fn runs(
    rng: &mut ChaCha8Rng,
    n: u32,
    len: std::ops::RangeInclusive<i64>,
    from: i64,
    to: i64,
) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for _ in 0..n {
        let l = rng.gen_range(len.clone());
        for _ in 0..100 {
            let s = rng.gen_range(from..=to - l);
            if out.iter().all(|&(a, b)| s + l < a || s > b) {
                out.push((s, s + l));
                break;
            }
        }
    }
    out.sort_unstable();
    out
}

fn deploy_pipeline(rng: &mut ChaCha8Rng, span: Span, out: &mut Realistic) {
    let (lo, hi) = (span.burst(10.0), span.burst(30.0));
    for place in 0..PLACES.len() {
        for d in 0..span.days {
            let day = span.day(d);
            if is_weekend(day) {
                continue;
            }
            let n = rng.gen_range(3..=6);
            for (start, end) in runs(rng, n, 2..=4, day * 1440 + 7 * 60, day * 1440 + 19 * 60) {
                for api in DEPLOY_APIS {
                    for m in start..end {
                        for _ in 0..rng.gen_range(lo..=hi) {
                            out.events
                                .push(event(rng, place, api, TERRAFORM_ROLE, None, m));
                        }
                    }
                    let text = format!(
                        "deploy pipeline run by assumed-role/TerraformRole: {} minutes of {lo}-{hi} calls a minute (3-6 runs every weekday, 07:00-19:00)",
                        end - start
                    );
                    out.decoys.push(decoy(
                        "deploy_pipeline",
                        text,
                        place,
                        api,
                        None,
                        (start, end),
                    ));
                }
            }
        }
    }
}

fn error_storms(rng: &mut ChaCha8Rng, span: Span, out: &mut Realistic) {
    let (lo, hi) = (span.burst(10.0), span.burst(20.0));
    let api = ("logs.amazonaws.com", "CreateLogStream");
    for place in 0..PLACES.len() {
        for d in 0..span.days {
            let day = span.day(d);
            let n = rng.gen_range(2..=4);
            for (start, end) in runs(rng, n, 3..=6, day * 1440, day * 1440 + 1440) {
                for m in start..end {
                    for _ in 0..rng.gen_range(lo..=hi) {
                        out.events
                            .push(event(rng, place, api, LOG_ROUTER, Some(STORM_ERROR), m));
                    }
                }
                let text = format!(
                    "recurring error storm: assumed-role/log-router gets {STORM_ERROR} {lo}-{hi} times a minute for {} minutes (2-4 storms a day); covers the API's call-rate series too",
                    end - start
                );
                out.decoys.push(decoy(
                    "error_storm",
                    text,
                    place,
                    api,
                    Some(STORM_ERROR),
                    (start, end),
                ));
            }
        }
    }
}

/// The catalog stream of `source:name` that runs in every place.
fn stream_of(source: &str, name: &str) -> Option<&'static Stream> {
    STREAMS
        .iter()
        .find(|st| st.source == source && st.name == name && st.only.is_none() && !st.data)
}

fn overdispersed(rng: &mut ChaCha8Rng, span: Span, out: &mut Realistic) {
    let Ok(gamma) = Gamma::new(GAMMA_SHAPE, 1.0 / GAMMA_SHAPE) else {
        return;
    };
    let first = span.start_day * 1440;
    let last = first + i64::from(span.days) * 1440;
    for (p, place) in PLACES.iter().enumerate() {
        for (source, name) in OVERDISPERSED_APIS {
            let Some(stream) = stream_of(source, name) else {
                continue;
            };
            if stream.global && place.region != "us-east-1" {
                continue;
            }
            let base = OVERDISPERSED_EXTRA * stream.rate * span.scale * place.volume;
            for window in (first..last).step_by(GAMMA_MINUTES as usize) {
                let factor: f64 = gamma.sample(rng);
                for m in window..(window + GAMMA_MINUTES).min(last) {
                    let hour = (m.rem_euclid(1440) / 60) as usize;
                    let weekend = is_weekend(m.div_euclid(1440));
                    let lambda = base * stream.rhythm.factor(hour, weekend) * factor;
                    for _ in 0..poisson(rng, lambda) {
                        out.events.push(stream_event(rng, stream, p, m));
                    }
                }
            }
            let text = format!(
                "overdispersed rate: extra calls by the usual callers at {OVERDISPERSED_EXTRA}x the smooth rate times a gamma factor (mean 1, shape {GAMMA_SHAPE}) redrawn every {GAMMA_MINUTES} minutes"
            );
            out.decoys.push(decoy(
                "overdispersed",
                text,
                p,
                (source, name),
                None,
                (first, last),
            ));
        }
    }
}

fn nightly_batch(rng: &mut ChaCha8Rng, span: Span, out: &mut Realistic) {
    let per_minute = span.burst(8.0);
    let api = ("dynamodb.amazonaws.com", "UpdateTable");
    for place in 0..PLACES.len() {
        for d in 0..span.days {
            let day = span.day(d) * 1440;
            let start = rng.gen_range(day + 60..=day + 3 * 60 - 3);
            for m in start..start + 3 {
                for _ in 0..per_minute {
                    out.events.push(event(rng, place, api, BATCH, None, m));
                }
            }
            let text = format!(
                "nightly batch by assumed-role/capacity-batch: {per_minute} calls a minute for 3 minutes at a random minute between 01:00 and 03:00"
            );
            out.decoys.push(decoy(
                "nightly_batch",
                text,
                place,
                api,
                None,
                (start, start + 3),
            ));
        }
    }
}

/// An anomaly planted on a bursty API.
struct Plant {
    kind: &'static str,
    place: usize,
    api: (&'static str, &'static str),
    who: usize,
    error: Option<&'static str>,
    day: u32,
    /// Minute of the day of the onset.
    at: i64,
    minutes: i64,
    /// Calls a minute at scale 1 (times `sqrt(scale)`, ±15% a minute).
    per_minute: f64,
    description: &'static str,
}

#[rustfmt::skip]
const PLANTS: &[Plant] = &[
    Plant { kind: "call_rate", place: 1, api: DEPLOY_APIS[0], who: INTRUDER, error: None, day: 7, at: 10 * 60 + 20, minutes: 5, per_minute: 200.0, description: "ec2:CreateTags at ~200 a minute for 5 minutes by an IAM user never seen on it, in office hours when the deploy pipeline tags at 10-30 a minute" },
    Plant { kind: "error_rate", place: 2, api: ("logs.amazonaws.com", "CreateLogStream"), who: LOG_ROUTER, error: Some(STORM_ERROR), day: 8, at: 4 * 60 + 10, minutes: 5, per_minute: 150.0, description: "logs:CreateLogStream ResourceAlreadyExistsException flood at ~150 a minute by the role whose recurring storms are 10-20 a minute" },
    Plant { kind: "call_rate", place: 3, api: ("dynamodb.amazonaws.com", "UpdateTable"), who: ALICE, error: None, day: 8, at: 14 * 60 + 30, minutes: 4, per_minute: 60.0, description: "dynamodb:UpdateTable at ~60 a minute for 4 minutes in the afternoon by a console user, on the API whose nightly batch makes 8 a minute" },
];

fn plants(rng: &mut ChaCha8Rng, span: Span, out: &mut Realistic) {
    let root = span.scale.max(0.0).sqrt();
    for p in PLANTS.iter().filter(|p| p.day < span.days) {
        let onset = span.day(p.day) * 1440 + p.at;
        let end = onset + p.minutes;
        for m in onset..end {
            let n = (p.per_minute * root * rng.gen_range(0.85..1.15))
                .round()
                .max(1.0);
            for _ in 0..n as u32 {
                out.events
                    .push(event(rng, p.place, p.api, p.who, p.error, m));
            }
        }
        out.anomalies
            .push(label(p, p.kind, p.error, onset, p.description.to_string()));
        // Failed calls to a write API are calls too: the flood is also a
        // call-rate anomaly, and an Insight on it must not count as false.
        if p.error.is_some() && !catalog::read_only(p.api.0, p.api.1) {
            let text = format!("{} (the same calls, as a call rate)", p.description);
            out.anomalies.push(label(p, "call_rate", None, onset, text));
        }
    }
}

fn label(
    p: &Plant,
    kind: &str,
    error: Option<&str>,
    onset: i64,
    description: String,
) -> PlantedAnomaly {
    let place = &PLACES[p.place];
    PlantedAnomaly {
        kind: kind.to_string(),
        account: place.account.to_string(),
        region: place.region.to_string(),
        event_source: p.api.0.to_string(),
        event_name: p.api.1.to_string(),
        error_code: error.map(str::to_string),
        onset: record_time(onset),
        end: record_time(onset + p.minutes),
        onset_minute: onset,
        end_minute: onset + p.minutes,
        description,
    }
}
