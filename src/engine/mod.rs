//! The Insights detector: per-minute series, seasonal baselines, Start/End
//! episodes, attributions and AWS's exact records.
//!
//! Pipeline (see "How detection works" in README.md for every parameter and why):
//! 1. `series`: one pass over the events files each one under its call-rate
//!    and/or error-rate series and records each account/Region's coverage;
//! 2. series that cannot reach the minimum excess are skipped unseen;
//! 3. `baseline`: per day, an hour-of-day × weekday/weekend expected rate and
//!    a same-time-of-day guard from the 7 days before;
//! 4. `decide`: Poisson tail + minimum excess + guards on 1- and 5-minute
//!    windows, hot minutes grouped into episodes; `drops`: the same for call
//!    rates far below their baseline (10-minute windows);
//! 5. `attribution` and `records`: AWS's statistics, attributions and JSON.
//!
//! Everything is deterministic: series are visited in first-seen order of the
//! time-sorted events and the output is sorted.

mod attribution;
mod baseline;
pub mod coverage;
mod decide;
mod dispersion;
mod drops;
mod episode;
mod params;
pub mod explain;
mod records;
mod series;
mod tails;
mod window;

pub use records::{format_minute, format_number};
pub use window::{events_in_window, minute_series};

use crate::model::{Dataset, Insight, InsightType, SeriesKey};
use serde::{Deserialize, Serialize};

/// Minutes of account/Region history required before a minute is tested.
pub const MIN_HISTORY_MINUTES: i64 = 1440;
/// Longest span analysed per account and Region (400 days); older events are
/// ignored by detection.
pub const MAX_SPAN_MINUTES: i64 = 400 * 1440;
/// Full AWS baseline: seven days (plus the start day's minutes since midnight).
pub const FULL_BASELINE_MINUTES: i64 = 10_080;

/// What to watch: the two `PutInsightSelectors` types plus two options beyond AWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectConfig {
    /// `ApiCallRateInsight` (write management APIs).
    pub call_rate: bool,
    /// `ApiErrorRateInsight` (read and write management APIs).
    pub error_rate: bool,
    /// Beyond AWS: count read-only calls in call-rate series too.
    pub include_read_calls: bool,
    /// Beyond AWS: watch data events too (`sourceEventCategory: "Data"`).
    pub include_data_events: bool,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            call_rate: true,
            error_rate: true,
            include_read_calls: false,
            include_data_events: false,
        }
    }
}

/// Counts that explain a detection run (shown in the CLI summary and the UI).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DetectionSummary {
    /// Series (API, or API + error code, per account and Region) seen.
    pub series_examined: u64,
    /// Series whose counts could pass the minimum excess and were tested minute by minute.
    pub series_tested: u64,
    /// Series whose account/Region has less than [`MIN_HISTORY_MINUTES`] of data.
    pub series_without_enough_history: u64,
    /// Shortest and longest baseline (days) of the tested series at the end of the data.
    pub min_baseline_days: f64,
    pub max_baseline_days: f64,
    /// Events that fed at least one series.
    pub events_considered: u64,
    pub call_rate_insights: u64,
    pub error_rate_insights: u64,
    /// Insights whose baseline is shorter than AWS's seven days.
    pub insights_with_short_baseline: u64,
    /// What was and was not analysed, per account and Region ([`coverage`]).
    pub coverage: coverage::CoverageReport,
}

/// The result of [`detect`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub insights: Vec<Insight>,
    pub summary: DetectionSummary,
}

/// Detects Insights. Insights are sorted by start time, then start event ID;
/// identical input gives byte-identical records.
pub fn detect(ds: &Dataset, cfg: &DetectConfig) -> Detection {
    let built = series::build(ds, cfg);
    let mut summary = DetectionSummary {
        series_examined: built.series.len() as u64,
        events_considered: built.events_considered,
        min_baseline_days: f64::INFINITY,
        coverage: coverage::report(ds, cfg),
        ..Default::default()
    };
    let mut insights = Vec::new();
    for s in &built.series {
        let cov = built.coverage[s.coverage];
        // Only the most recent MAX_SPAN_MINUTES are analysed: bounded memory
        // even when a stray timestamp stretches the coverage over decades.
        let first = cov.first_minute.max(cov.last_minute - MAX_SPAN_MINUTES);
        let test_from = first + MIN_HISTORY_MINUTES;
        if cov.last_minute < test_from {
            summary.series_without_enough_history += 1;
            continue;
        }
        let (max1, max_w) = series::max_counts(ds, &s.events, decide::WINDOW as i64);
        if f64::from(max1) < decide::MIN_EXCESS_1 && f64::from(max_w) < decide::MIN_EXCESS_W {
            continue;
        }
        summary.series_tested += 1;
        let available = (cov.last_minute - baseline_from(cov.last_minute, first)) as f64 / 1440.0;
        summary.min_baseline_days = summary.min_baseline_days.min(available);
        summary.max_baseline_days = summary.max_baseline_days.max(available);

        let counts = series::dense_counts(ds, &s.events, first, cov.last_minute);
        let profile = baseline::build(&counts, first);
        let mut episodes = decide::episodes(&counts, first, test_from, &profile);
        if s.key.kind == InsightType::ApiCallRateInsight
            && series::max_counts(ds, &s.events, drops::DROP_WINDOW as i64).1 >= 25
        {
            let active = series::dense_active(&built.active[s.coverage], first, cov.last_minute);
            episodes.extend(drops::drop_episodes(
                &counts, &active, first, test_from, &profile,
            ));
        }
        for ep in episodes {
            insights.push(make_insight(ds, &built, s, first, ep));
        }
    }
    if !summary.min_baseline_days.is_finite() {
        summary.min_baseline_days = 0.0;
    }
    insights.sort_by(|a, b| {
        a.start_minute
            .cmp(&b.start_minute)
            .then_with(|| a.start_event_id.cmp(&b.start_event_id))
    });
    for i in &insights {
        match i.key.insight_type {
            InsightType::ApiCallRateInsight => summary.call_rate_insights += 1,
            InsightType::ApiErrorRateInsight => summary.error_rate_insights += 1,
        }
        if i64::from(i.baseline_duration) < FULL_BASELINE_MINUTES {
            summary.insights_with_short_baseline += 1;
        }
    }
    Detection { insights, summary }
}

/// Start of the AWS baseline window of an Insight starting at `start`: UTC
/// midnight seven days before the start day, or the start of the data if later.
fn baseline_from(start: i64, coverage_first: i64) -> i64 {
    (start.div_euclid(1440) * 1440 - FULL_BASELINE_MINUTES).max(coverage_first)
}

fn series_key(ds: &Dataset, k: &series::RawKey) -> SeriesKey {
    let s = |sym| ds.strings.resolve(sym).to_string();
    SeriesKey {
        insight_type: k.kind,
        account: s(k.account),
        region: s(k.region),
        source: s(k.source),
        name: s(k.name),
        error_code: (k.kind == InsightType::ApiErrorRateInsight).then(|| s(k.error)),
        source_category: if k.data { "Data" } else { "Management" }.to_string(),
    }
}

fn make_insight(
    ds: &Dataset,
    built: &series::Built,
    s: &series::Series,
    coverage_first: i64,
    ep: decide::Episode,
) -> Insight {
    let key = series_key(ds, &s.key);
    let b_from = baseline_from(ep.start, coverage_first);
    let baseline_duration = (ep.start - b_from).max(1);
    let insight_duration = (ep.end - ep.start).max(1);
    let base_events = series::slice_minutes(ds, &s.events, b_from, ep.start);
    let all_events = series::slice_minutes(ds, &s.events, ep.start, ep.end);
    let first_events = series::slice_minutes(ds, &s.events, ep.start, ep.start + 1);

    let baseline_average = base_events.len() as f64 / baseline_duration as f64;
    let start_average = first_events.len() as f64;
    let insight_average = all_events.len() as f64 / insight_duration as f64;
    let (bd, idur) = (baseline_duration as f64, insight_duration as f64);
    let attributions =
        attribution::attributions(ds, key.insight_type, all_events, idur, base_events, bd);
    let start_attributions =
        attribution::attributions(ds, key.insight_type, first_events, 1.0, base_events, bd);

    let shared = records::insight_id(built.fingerprint, &key, ep.start, "shared");
    let start_id = records::insight_id(built.fingerprint, &key, ep.start, "start");
    let end_id = records::insight_id(built.fingerprint, &key, ep.start, "end");
    let common = records::RecordCommon {
        key: &key,
        shared_event_id: &shared,
        baseline_average,
        insight_duration: insight_duration as u32,
        baseline_duration: baseline_duration as u32,
    };
    let start_record_json = records::record_json(
        &common,
        &records::RecordPart {
            state: "Start",
            event_id: &start_id,
            minute: ep.start,
            insight_average: start_average,
            attributions: &start_attributions,
        },
    );
    let end_record_json = records::record_json(
        &common,
        &records::RecordPart {
            state: "End",
            event_id: &end_id,
            minute: ep.end,
            insight_average,
            attributions: &attributions,
        },
    );
    Insight {
        key,
        shared_event_id: shared,
        start_event_id: start_id,
        end_event_id: end_id,
        start_minute: ep.start,
        end_minute: ep.end,
        baseline_average,
        start_average,
        insight_average,
        insight_duration: insight_duration as u32,
        baseline_duration: baseline_duration as u32,
        attributions,
        explanation: ep.why,
        start_record_json,
        end_record_json,
    }
}
