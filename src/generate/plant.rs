//! Planted anomalies (which must become Insights) and decoys (ordinary or
//! out-of-scope behaviour which must not), with their labels.
//!
//! Everything is planted on day 7 or later, so the detector has a full week of
//! history; plants that fall beyond the generated days are left out.

use super::catalog::{self, PLACES};
use super::simulate::{uuid_bits, GenEvent};
use super::{Decoy, PlantedAnomaly};
use crate::format::record_time;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What a plant is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    CallRate,
    ErrorRate,
    /// A call-rate anomaly by silence: the API's calls stop.
    Drop,
    /// A decoy that adds events (read spike, single rare call).
    DecoyEvents(&'static str),
    /// A decoy that only labels ordinary background behaviour.
    DecoyLabel(&'static str),
}

struct Plant {
    what: What,
    place: usize,
    source: &'static str,
    name: &'static str,
    who: usize,
    error: Option<&'static str>,
    day: u32,
    hour: i64,
    minute: i64,
    minutes: i64,
    per_minute: f64,
    /// Exponent of `scale` applied to `per_minute` (1 = grows with the traffic).
    scale_exp: f64,
    description: &'static str,
}

use catalog::{ADMIN, ALICE, BACKEND, BACKUP, BOB, CI, INTRUDER, LEGACY, PIPELINE};

const fn plant(
    what: What,
    place: usize,
    source: &'static str,
    name: &'static str,
    who: usize,
    error: Option<&'static str>,
) -> Plant {
    Plant {
        what,
        place,
        source,
        name,
        who,
        error,
        day: 7,
        hour: 0,
        minute: 0,
        minutes: 1,
        per_minute: 1.0,
        scale_exp: 0.5,
        description: "",
    }
}

fn plants() -> Vec<Plant> {
    use What::*;
    vec![
        Plant { day: 7, hour: 5, minute: 50, minutes: 5, per_minute: 3.0, description: "ssm:SendCommand burst from an unfamiliar IAM user (AWS's worked example: 15 calls in five minutes against ~0.04/min)", ..plant(CallRate, 0, "ssm.amazonaws.com", "SendCommand", INTRUDER, None) },
        Plant { day: 7, hour: 21, minute: 30, minutes: 8, per_minute: 12.0, description: "ec2:RunInstances at night from a leaked key (crypto-mining pattern)", ..plant(CallRate, 2, "ec2.amazonaws.com", "RunInstances", INTRUDER, None) },
        Plant { day: 7, hour: 15, minute: 45, minutes: 4, per_minute: 25.0, description: "ec2:DescribeInstances Client.UnauthorizedOperation burst: reconnaissance with a low-privilege key", ..plant(ErrorRate, 1, "ec2.amazonaws.com", "DescribeInstances", INTRUDER, Some("Client.UnauthorizedOperation")) },
        Plant { day: 8, hour: 3, minute: 20, minutes: 6, per_minute: 18.0, description: "iam:GetRolePolicy NoSuchEntityException at 18/min (AWS's worked example) while enumerating roles", ..plant(ErrorRate, 0, "iam.amazonaws.com", "GetRolePolicy", INTRUDER, Some("NoSuchEntityException")) },
        Plant { day: 8, hour: 9, minute: 5, minutes: 6, per_minute: 40.0, description: "kms:Decrypt AccessDeniedException burst against a key the caller may not use", ..plant(ErrorRate, 4, "kms.amazonaws.com", "Decrypt", INTRUDER, Some("AccessDeniedException")) },
        Plant { day: 8, hour: 13, minute: 10, minutes: 3, per_minute: 8.0, description: "iam:AttachRolePolicy privilege-escalation burst", ..plant(CallRate, 3, "iam.amazonaws.com", "AttachRolePolicy", INTRUDER, None) },
        Plant { day: 8, hour: 16, minute: 0, minutes: 5, per_minute: 60.0, scale_exp: 1.0, description: "ec2:CreateTags runaway Terraform loop on a busy API", ..plant(CallRate, 0, "ec2.amazonaws.com", "CreateTags", CI, None) },
        Plant { day: 8, hour: 12, minute: 0, minutes: 20, description: "ssm:UpdateInstanceInformation stops for 20 minutes (the SSM agents lost their role): a drop", ..plant(Drop, 0, "ssm.amazonaws.com", "UpdateInstanceInformation", BACKEND, None) },
        // Decoys: must not fire.
        Plant { day: 7, hour: 11, minute: 0, minutes: 10, per_minute: 150.0, scale_exp: 1.0, description: "read-only spike: ec2:DescribeInstances x50 for ten minutes (read calls are not watched by call-rate Insights)", ..plant(DecoyEvents("read_spike"), 0, "ec2.amazonaws.com", "DescribeInstances", PIPELINE, None) },
        Plant { day: 7, hour: 14, minute: 2, minutes: 1, per_minute: 1.0, scale_exp: 0.0, description: "single call of an API never seen before (iam:DeleteUser)", ..plant(DecoyEvents("single_rare_call"), 0, "iam.amazonaws.com", "DeleteUser", ALICE, None) },
        Plant { day: 8, hour: 10, minute: 30, minutes: 1, per_minute: 1.0, scale_exp: 0.0, description: "single call of a rare API (iam:CreateAccessKey, ~2 a week)", ..plant(DecoyEvents("single_rare_call"), 3, "iam.amazonaws.com", "CreateAccessKey", BOB, None) },
        Plant { day: 8, hour: 14, minute: 40, minutes: 1, per_minute: 2.0, scale_exp: 0.0, description: "two errors of a code rarely seen (lambda:GetFunction ResourceNotFoundException)", ..plant(DecoyEvents("rare_errors"), 0, "lambda.amazonaws.com", "GetFunction20150331v2", CI, Some("ResourceNotFoundException")) },
        Plant { day: 7, hour: 9, minute: 0, minutes: 8 * 60, description: "ordinary weekday office-hours peak (logs:CreateLogStream, 3x at 10:00), first weekday after a weekend", ..plant(DecoyLabel("ordinary_peak"), 0, "logs.amazonaws.com", "CreateLogStream", BACKEND, None) },
        Plant { day: 7, hour: 2, minute: 0, minutes: 3, description: "nightly backup job: ec2:CreateSnapshot x30 at 02:00 every day", ..plant(DecoyLabel("scheduled_job"), 0, "ec2.amazonaws.com", "CreateSnapshot", BACKUP, None) },
        Plant { day: 7, hour: 0, minute: 0, minutes: 2 * 1440, description: "steady error noise: sts:AssumeRole AccessDenied ~5/min all week from a misconfigured function", ..plant(DecoyLabel("steady_errors"), 0, "sts.amazonaws.com", "AssumeRole", LEGACY, Some("AccessDenied")) },
        Plant { day: 7, hour: 0, minute: 0, minutes: 2 * 1440, description: "data events (s3:GetObject) are not management events", ..plant(DecoyLabel("data_events"), 0, "s3.amazonaws.com", "GetObject", PIPELINE, None) },
        Plant { day: 8, hour: 11, minute: 0, minutes: 60, description: "ordinary admin console session (ec2:DescribeSecurityGroups)", ..plant(DecoyLabel("ordinary_peak"), 0, "ec2.amazonaws.com", "DescribeSecurityGroups", ADMIN, None) },
    ]
}

/// The events of plant `p` in `minutes`: its rate (scaled by `scale` to the
/// power of its `scale_exp`) each minute, at random seconds.
fn push_burst(
    rng: &mut ChaCha8Rng,
    events: &mut Vec<GenEvent>,
    p: &Plant,
    minutes: std::ops::Range<i64>,
    scale: f64,
) {
    let per_minute = (p.per_minute * scale.max(0.0).powf(p.scale_exp)).max(1.0);
    for m in minutes {
        let n = if p.scale_exp == 0.0 {
            per_minute.round()
        } else {
            (per_minute * rng.gen_range(0.85..1.15)).round()
        };
        for _ in 0..n as u32 {
            events.push(GenEvent {
                ms: m * 60_000 + rng.gen_range(0..60) * 1000,
                place: p.place as u8,
                source: p.source,
                name: p.name,
                read_only: catalog::read_only(p.source, p.name),
                data: false,
                who: p.who as u8,
                agent: catalog::IDENTITIES[p.who].agent,
                error: p.error,
                id: uuid_bits(rng),
                request: uuid_bits(rng),
            });
        }
    }
}

/// Adds the planted events to `events` and returns the labels. Anomalies are
/// planted only when `anomalies` is set; decoys always.
pub(crate) fn plant_all(
    rng: &mut ChaCha8Rng,
    events: &mut Vec<GenEvent>,
    start_day: i64,
    days: u32,
    scale: f64,
    anomalies: bool,
) -> (Vec<PlantedAnomaly>, Vec<Decoy>) {
    let mut planted = Vec::new();
    let mut decoys = Vec::new();
    for p in plants() {
        if p.day >= days {
            continue;
        }
        let is_anomaly = matches!(p.what, What::CallRate | What::ErrorRate | What::Drop);
        if is_anomaly && !anomalies {
            continue;
        }
        // Below scale 1 the API is too quiet (< 2.5 calls a minute) for its
        // silence to be significant, so no drop is planted.
        if p.what == What::Drop && scale < 1.0 {
            continue;
        }
        let onset = (start_day + i64::from(p.day)) * 1440 + p.hour * 60 + p.minute;
        let end = onset + p.minutes;
        let place = &PLACES[p.place];
        if p.what == What::Drop {
            let (from, to) = (onset * 60_000, end * 60_000);
            events.retain(|e| {
                !(usize::from(e.place) == p.place
                    && e.name == p.name
                    && e.source == p.source
                    && e.ms >= from
                    && e.ms < to)
            });
        } else if !matches!(p.what, What::DecoyLabel(_)) {
            push_burst(rng, events, &p, onset..end, scale);
        }
        let (account, region) = (place.account.to_string(), place.region.to_string());
        match p.what {
            What::CallRate | What::ErrorRate | What::Drop => planted.push(PlantedAnomaly {
                kind: if p.what == What::ErrorRate {
                    "error_rate"
                } else {
                    "call_rate"
                }
                .to_string(),
                account,
                region,
                event_source: p.source.to_string(),
                event_name: p.name.to_string(),
                error_code: p.error.map(str::to_string),
                onset: record_time(onset),
                end: record_time(end),
                onset_minute: onset,
                end_minute: end,
                description: p.description.to_string(),
            }),
            What::DecoyEvents(kind) | What::DecoyLabel(kind) => decoys.push(Decoy {
                kind: kind.to_string(),
                description: p.description.to_string(),
                account,
                region,
                event_source: p.source.to_string(),
                event_name: p.name.to_string(),
                error_code: p.error.map(str::to_string),
                start: record_time(onset),
                end: record_time(end),
                start_minute: onset,
                end_minute: end,
            }),
        }
    }
    (planted, decoys)
}
