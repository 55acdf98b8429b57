//! The Insights detector: per-minute series, seasonal baselines, Start/End
//! episodes, attributions and AWS's exact records.
//!
//! Pipeline (see "How detection works" in README.md for every parameter and why):
//! 1. `series`: one pass over the events of a [`Dataset`] ([`detect`]) or the
//!    rows of a [`CountsTable`] ([`detect_counts`]) files each under its
//!    call-rate and/or error-rate series (sparse per-minute counts) and records
//!    each account/Region's coverage and active minutes; from here on both
//!    paths are one;
//! 2. series that cannot reach the minimum excess are skipped unseen;
//! 3. `baseline`: per day, an hour-of-day × weekday/weekend expected rate from
//!    the 7 days before, and from up to 28 days before the series' burst
//!    memory (largest earlier counts at any hour) and its `dispersion`;
//! 4. `decide`: negative-binomial tail (`tails`) + minimum excess + guards on
//!    1- and 5-minute windows, hot minutes grouped into episodes (`episode`),
//!    each with the explanation of its Start; `drops`: the same for call rates
//!    far below their baseline (10- and 20-minute windows); every parameter
//!    lives in `params`;
//! 5. `attribution` and `insight_record`: AWS's statistics (from the counts),
//!    attributions (from the dataset's events, from an attributions table, or
//!    none) and JSON, with IDs derived from the counts.
//!
//! Everything is deterministic: series are visited in first-seen order of the
//! time-sorted input and the output is sorted.
//!
//! Hashing, one choice for the whole core (engine, counts, the interner in
//! `model`): rustc-hash's `FxHashMap`/`FxHashSet` (`FxBuildHasher`), and
//! hashbrown's `HashTable` where a table keyed by something other than its
//! entries is needed (the interner). The keys are interned integers and short
//! strings from the user's own files, so SipHash's resistance to chosen
//! collisions buys nothing and costs most of a per-event pass. Output never
//! depends on a map's iteration order: every list is sorted before it is written.

mod attribution;
mod attribution_rows;
mod baseline;
pub mod bursts;
pub mod coverage;
mod decide;
mod dispersion;
mod drops;
mod episode;
pub mod explain;
mod fact;
mod insight_record;
pub mod overview;
pub mod pairing;
mod params;
mod series;
mod tails;
mod window;

pub use crate::counts::{PeriodCounts, ATTRIBUTES};
pub use crate::model::MAX_SPAN_MINUTES;
pub use attribution_rows::{attribution_rows, window_period_counts};
pub use insight_record::format_number;
pub use window::{events_in_window, minute_series};

use crate::counts::{AttributionTable, CountsTable};
use crate::model::{Dataset, Insight, InsightType, Interner, SeriesKey};
use serde::{Deserialize, Serialize};

/// Minutes of account/Region history required before a minute is tested.
pub const MIN_HISTORY_MINUTES: i64 = 1440;
/// Full AWS baseline: seven days (plus the start day's minutes since midnight).
pub const FULL_BASELINE_MINUTES: i64 = 10_080;

/// What to watch: the two `PutInsightSelectors` types plus two options beyond
/// AWS. The one settings type: the CLI's flags, the dashboard's Settings panel
/// and the worker protocol ([`crate::session::protocol::Request::Finish`]) all
/// carry it to the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Insights with empty attribution lists because their source had nothing
    /// for them: counts without an attributions table, or a table that does not
    /// hold their `sharedEventID`. Always 0 on raw logs.
    pub insights_without_attributions: u64,
}

/// The result of [`detect`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub insights: Vec<Insight>,
    pub summary: DetectionSummary,
}

/// Where an Insight's attributions come from.
enum Source<'a> {
    /// The events of the dataset the series were built from (per series, event indexes).
    Events {
        ds: &'a Dataset,
        events: &'a [Vec<u32>],
    },
    /// An attributions table, looked up by `sharedEventID`.
    Table(&'a AttributionTable),
    /// Nothing: empty attribution lists.
    None,
}

/// Detects Insights on raw events. Insights are sorted by start time, then
/// start event ID; identical input gives byte-identical records.
pub fn detect(ds: &Dataset, cfg: &DetectConfig) -> Detection {
    let (built, events) = series::from_dataset(ds, cfg);
    let source = Source::Events {
        ds,
        events: &events,
    };
    let mut detection = run(&ds.strings, &built, &source);
    detection.summary.coverage =
        coverage::report_built(&ds.strings, cfg, &built, &series_per_place(&built));
    detection
}

/// How many series each account/Region has (for the coverage report).
fn series_per_place(built: &series::SeriesSet) -> coverage::SeriesPerPlace {
    let mut out = coverage::SeriesPerPlace::default();
    for s in &built.series {
        *out.entry((s.key.account, s.key.region)).or_default() += 1;
    }
    out
}

/// Detects Insights on a counts table (the interchange file of a SQL engine,
/// or [`CountsTable::from_dataset`]). With `attributions` the Insights found in
/// it get their attributions; without, their attribution lists are empty. On
/// the same events this gives exactly [`detect`]'s records.
pub fn detect_counts(
    counts: &CountsTable,
    attributions: Option<&AttributionTable>,
    cfg: &DetectConfig,
) -> Detection {
    let built = series::from_counts(counts, cfg);
    let source = attributions.map_or(Source::None, Source::Table);
    let mut detection = run(&counts.strings, &built, &source);
    detection.summary.coverage =
        coverage::report_built(&counts.strings, cfg, &built, &series_per_place(&built));
    detection
}

fn run(strings: &Interner, built: &series::SeriesSet, source: &Source) -> Detection {
    let mut summary = DetectionSummary {
        series_examined: built.series.len() as u64,
        events_considered: built.events_considered,
        min_baseline_days: f64::INFINITY,
        ..Default::default()
    };
    let mut insights = Vec::new();
    for (index, s) in built.series.iter().enumerate() {
        let cov = built.coverage[s.coverage];
        // Only the most recent MAX_SPAN_MINUTES are analysed: bounded memory
        // even when a stray timestamp stretches the coverage over decades.
        let first = cov.first_minute.max(cov.last_minute - MAX_SPAN_MINUTES);
        let test_from = first + MIN_HISTORY_MINUTES;
        if cov.last_minute < test_from {
            summary.series_without_enough_history += 1;
            continue;
        }
        let (max1, max_w) = series::max_counts(&s.minutes, decide::WINDOW as i64);
        if f64::from(max1) < decide::MIN_EXCESS_1 && f64::from(max_w) < decide::MIN_EXCESS_W {
            continue;
        }
        summary.series_tested += 1;
        let available = (cov.last_minute - baseline_from(cov.last_minute, first)) as f64 / 1440.0;
        summary.min_baseline_days = summary.min_baseline_days.min(available);
        summary.max_baseline_days = summary.max_baseline_days.max(available);

        let counts = series::dense_counts(&s.minutes, first, cov.last_minute);
        let profile = baseline::build(&counts, first);
        let mut episodes = decide::episodes(&counts, first, test_from, &profile);
        if s.key.kind == InsightType::ApiCallRateInsight
            && series::max_counts(&s.minutes, drops::DROP_WINDOW as i64).1 >= 25
        {
            let active = series::dense_active(&built.active[s.coverage], first, cov.last_minute);
            episodes.extend(drops::drop_episodes(
                &counts, &active, first, test_from, &profile,
            ));
        }
        for ep in episodes {
            let found = SeriesFound {
                strings,
                series: s,
                index,
                counts: &counts,
                first,
            };
            let (insight, attributed) = make_insight(&found, ep, source);
            summary.insights_without_attributions += u64::from(!attributed);
            insights.push(insight);
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

fn series_key(strings: &Interner, k: &series::RawKey) -> SeriesKey {
    let s = |sym| strings.resolve(sym).to_string();
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

/// A tested series, for making its Insights.
struct SeriesFound<'a> {
    strings: &'a Interner,
    series: &'a series::Series,
    /// Its index in `SeriesSet::series` (and in the raw path's event lists).
    index: usize,
    /// Dense counts from `first` to the end of its coverage.
    counts: &'a [u32],
    first: i64,
}

/// The (Start, whole duration, baseline) counts per attribute value of an
/// Insight, or `None` when the source has nothing for it.
fn period_counts(
    source: &Source,
    f: &SeriesFound,
    shared_id: &str,
    (b_from, start, end): (i64, i64, i64),
) -> Option<[PeriodCounts; 3]> {
    match source {
        Source::Events { ds, events } => {
            let events = events.get(f.index)?;
            let period = |from, to| {
                PeriodCounts::from_events(ds, series::slice_minutes(ds, events, from, to))
            };
            Some([
                period(start, start + 1),
                period(start, end),
                period(b_from, start),
            ])
        }
        Source::Table(table) => table.get(shared_id).cloned(),
        Source::None => None,
    }
}

/// The Insight of episode `ep`, and whether its attributions were available.
fn make_insight(f: &SeriesFound, ep: decide::Episode, source: &Source) -> (Insight, bool) {
    let key = series_key(f.strings, &f.series.key);
    let minutes = &f.series.minutes;
    let b_from = baseline_from(ep.start, f.first);
    let baseline_duration = (ep.start - b_from).max(1);
    let insight_duration = (ep.end - ep.start).max(1);
    let base_events = series::sum_minutes(minutes, b_from, ep.start);
    let all_events = series::sum_minutes(minutes, ep.start, ep.end);
    let first_events = series::sum_minutes(minutes, ep.start, ep.start + 1);

    let baseline_average = base_events as f64 / baseline_duration as f64;
    let start_average = first_events as f64;
    let insight_average = all_events as f64 / insight_duration as f64;

    let lo = (ep.start - f.first).clamp(0, f.counts.len() as i64) as usize;
    let hi = (ep.end - f.first).clamp(lo as i64, f.counts.len() as i64) as usize;
    let [shared, start_id, end_id] = ["shared", "start", "end"].map(|role| {
        let basis = insight_record::IdBasis {
            key: &key,
            start_minute: ep.start,
            end_minute: ep.end,
            baseline_duration: baseline_duration as u32,
            baseline_events: base_events,
            counts: &f.counts[lo..hi],
        };
        insight_record::insight_id(&basis, role)
    });

    let periods = period_counts(source, f, &shared, (b_from, ep.start, ep.end));
    let attributed = periods.is_some();
    let (attributions, start_attributions) = periods.map_or_else(Default::default, |p| {
        let minutes = (insight_duration as f64, baseline_duration as f64);
        ranked_attributions(key.insight_type, &p, minutes)
    });
    let common = insight_record::RecordCommon {
        key: &key,
        shared_event_id: &shared,
        baseline_average,
        insight_duration: insight_duration as u32,
        baseline_duration: baseline_duration as u32,
    };
    let start_record_json = insight_record::record_json(
        &common,
        &insight_record::RecordPart {
            state: "Start",
            event_id: &start_id,
            minute: ep.start,
            insight_average: start_average,
            attributions: &start_attributions,
        },
    );
    let end_record_json = insight_record::record_json(
        &common,
        &insight_record::RecordPart {
            state: "End",
            event_id: &end_id,
            minute: ep.end,
            insight_average,
            attributions: &attributions,
        },
    );
    let insight = Insight {
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
    };
    (insight, attributed)
}

/// The whole duration's and the Start minute's attributions from the
/// (Start, whole duration, baseline) counts; `minutes` = (insight, baseline).
fn ranked_attributions(
    kind: InsightType,
    [first, all, base]: &[PeriodCounts; 3],
    (insight_minutes, baseline_minutes): (f64, f64),
) -> (
    Vec<crate::model::Attribution>,
    Vec<crate::model::Attribution>,
) {
    (
        attribution::attributions(kind, all, insight_minutes, base, baseline_minutes),
        attribution::attributions(kind, first, 1.0, base, baseline_minutes),
    )
}
