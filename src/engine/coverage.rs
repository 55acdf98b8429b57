//! What a detection run could and could not analyse, per account and Region:
//! the facts behind "this capture covers 55 minutes … so none of its 152
//! series could be tested" (the sentences themselves are
//! [`explain`](super::explain)'s).
//!
//! Computed from the [`Dataset`] and the [`DetectConfig`] alone, with the
//! same rules as detection (`series.rs` and `detect`): an account/Region is
//! covered from its first to its last event minute; it has enough history
//! when that span reaches [`MIN_HISTORY_MINUTES`]; a series is one API (call
//! rate) or one API and error code (error rate) of an account/Region. Every
//! event that feeds no series gets exactly one reason, so
//! `events_considered + not_considered.total() == events`.

pub use super::fact::NotConsidered;
use super::fact::{feeds, reason, Fact};
use super::{DetectConfig, FULL_BASELINE_MINUTES, MAX_SPAN_MINUTES, MIN_HISTORY_MINUTES};
use crate::counts::CountsTable;
use crate::model::{Category, Dataset, InsightType, Interner, Sym};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// One account and Region of the loaded data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionCoverage {
    pub account: String,
    pub region: String,
    /// First and last minute with any event (minutes since the Unix epoch).
    pub first_minute: i64,
    pub last_minute: i64,
    /// Events of this account and Region (watched or not).
    pub events: u64,
    /// Series (API, or API + error code) that the watched events form.
    pub series_seen: u64,
    /// Series checked against the rule: all of them with enough history,
    /// none without. (A series that never reaches the minimum excess passes
    /// that check without per-minute work, so `DetectionSummary::series_tested`
    /// can be smaller.)
    pub series_tested: u64,
    /// At least [`MIN_HISTORY_MINUTES`] from the first to the last minute.
    pub enough_history: bool,
    /// Days of AWS baseline available at the last minute (0 without enough history).
    pub baseline_days: f64,
}

impl RegionCoverage {
    /// Minutes covered, counting both ends (one event covers one minute).
    pub fn minutes_covered(&self) -> i64 {
        self.last_minute - self.first_minute + 1
    }

    /// [`Self::minutes_covered`] in hours.
    pub fn hours_covered(&self) -> f64 {
        self.minutes_covered() as f64 / 60.0
    }
}

/// What was and was not analysed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// The settings the report was computed for.
    pub config: DetectConfig,
    /// The history an account/Region needs before its minutes are tested.
    pub min_history_minutes: i64,
    /// Per account and Region, sorted by account then Region.
    pub regions: Vec<RegionCoverage>,
    pub events: u64,
    /// Events that fed at least one series.
    pub events_considered: u64,
    pub not_considered: NotConsidered,
}

impl CoverageReport {
    /// Series of every account/Region.
    pub fn series_seen(&self) -> u64 {
        self.regions.iter().map(|r| r.series_seen).sum()
    }

    /// Series checked against the rule.
    pub fn series_tested(&self) -> u64 {
        self.regions.iter().map(|r| r.series_tested).sum()
    }
}

/// The series key of [`super::series`], without the account and Region
/// (series are counted per account/Region).
type LocalKey = (InsightType, Sym, Sym, Sym, bool);

struct Acc {
    first: i64,
    last: i64,
    events: u64,
    series: FxHashSet<LocalKey>,
}

impl Acc {
    fn new(minute: i64) -> Acc {
        Acc {
            first: minute,
            last: minute,
            events: 0,
            series: FxHashSet::default(),
        }
    }

    /// Notes the series `e` feeds under `cfg` (`last`: the call-rate and
    /// error-rate keys noted last in this place).
    fn note_series(&mut self, last: &mut [Option<LocalKey>; 2], e: &Fact, cfg: &DetectConfig) {
        let data = e.key.category == Category::Data;
        let (call, error) = feeds(e, cfg);
        if call {
            let key = (
                InsightType::ApiCallRateInsight,
                e.key.source,
                e.key.name,
                Interner::EMPTY,
                data,
            );
            self.note(&mut last[0], key);
        }
        if error {
            let key = (
                InsightType::ApiErrorRateInsight,
                e.key.source,
                e.key.name,
                e.key.error_code,
                data,
            );
            self.note(&mut last[1], key);
        }
    }

    /// Adds a series key unless it is the one `last` holds.
    fn note(&mut self, last: &mut Option<LocalKey>, key: LocalKey) {
        if *last != Some(key) {
            self.series.insert(key);
            *last = Some(key);
        }
    }
}

/// The coverage report of `ds` under `cfg`.
pub fn report(ds: &Dataset, cfg: &DetectConfig) -> CoverageReport {
    report_of(
        &ds.strings,
        ds.events.iter().map(|e| Fact::of_event(&e)),
        cfg,
        None,
    )
}

/// Series per account/Region (interned), when the caller has built them
/// already: the report then counts nothing per series itself, which saves a
/// hash lookup per event.
pub(crate) type SeriesPerPlace = FxHashMap<(Sym, Sym), u64>;

/// The coverage report of a counts table under `cfg` (the same as [`report`]
/// on the events the table counts).
pub fn report_counts(counts: &CountsTable, cfg: &DetectConfig) -> CoverageReport {
    report_of(
        &counts.strings,
        counts.rows.iter().map(Fact::of_row),
        cfg,
        None,
    )
}

/// The report of the facts the series builder saw: the same figures as
/// [`report_known`] / [`report_counts_known`] on those facts, from `built`'s
/// coverage and tally.
pub(crate) fn report_built(
    strings: &Interner,
    cfg: &DetectConfig,
    built: &super::series::SeriesSet,
    series: &SeriesPerPlace,
) -> CoverageReport {
    let tally = &built.tally;
    let mut regions: Vec<RegionCoverage> = tally
        .places
        .iter()
        .zip(&tally.events)
        .zip(&built.coverage)
        .map(|((place, &events), cov)| {
            let acc = Acc {
                first: cov.first_minute,
                last: cov.last_minute,
                events,
                series: FxHashSet::default(),
            };
            let seen = series.get(place).copied().unwrap_or(0);
            region_coverage(strings, place.0, place.1, &acc, seen)
        })
        .collect();
    regions.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    CoverageReport {
        config: *cfg,
        min_history_minutes: MIN_HISTORY_MINUTES,
        regions,
        events: tally.total,
        events_considered: built.events_considered,
        not_considered: tally.not_considered,
    }
}

fn report_of(
    strings: &Interner,
    facts: impl Iterator<Item = Fact>,
    cfg: &DetectConfig,
    known: Option<&SeriesPerPlace>,
) -> CoverageReport {
    let mut index: FxHashMap<(Sym, Sym), usize> = FxHashMap::default();
    let mut accs: Vec<((Sym, Sym), Acc)> = Vec::new();
    let mut not_considered = NotConsidered::default();
    let mut considered = 0u64;
    // Consecutive events mostly share their account/Region and often their
    // series: remembering the last ones skips most hash lookups.
    let mut last: Option<((Sym, Sym), usize)> = None;
    let mut last_keys: [Option<LocalKey>; 2] = [None, None];
    let mut total = 0u64;
    for e in facts {
        let minute = e.key.minute;
        total = total.saturating_add(e.events);
        let place = (e.key.account, e.key.region);
        let at = match last {
            Some((p, at)) if p == place => at,
            _ => {
                let at = *index.entry(place).or_insert_with(|| {
                    accs.push((place, Acc::new(minute)));
                    accs.len() - 1
                });
                last = Some((place, at));
                last_keys = [None, None];
                at
            }
        };
        let acc = &mut accs[at].1;
        acc.first = acc.first.min(minute);
        acc.last = acc.last.max(minute);
        acc.events = acc.events.saturating_add(e.events);
        if let Some(slot) = reason(&e, cfg) {
            let n = slot(&mut not_considered);
            *n = n.saturating_add(e.events);
            continue;
        }
        considered = considered.saturating_add(e.events);
        if known.is_some() {
            continue;
        }
        acc.note_series(&mut last_keys, &e, cfg);
    }
    let mut regions: Vec<RegionCoverage> = accs
        .iter()
        .map(|(place, acc)| {
            let series = match known {
                Some(k) => k.get(place).copied().unwrap_or(0),
                None => acc.series.len() as u64,
            };
            region_coverage(strings, place.0, place.1, acc, series)
        })
        .collect();
    regions.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    CoverageReport {
        config: *cfg,
        min_history_minutes: MIN_HISTORY_MINUTES,
        regions,
        events: total,
        events_considered: considered,
        not_considered,
    }
}

fn region_coverage(
    strings: &Interner,
    account: Sym,
    region: Sym,
    acc: &Acc,
    series: u64,
) -> RegionCoverage {
    // Detection's rule: only the last MAX_SPAN_MINUTES are analysed.
    let first = acc.first.max(acc.last - MAX_SPAN_MINUTES);
    let enough = acc.last >= first + MIN_HISTORY_MINUTES;
    let baseline_from = (acc.last.div_euclid(1440) * 1440 - FULL_BASELINE_MINUTES).max(first);
    RegionCoverage {
        account: strings.resolve(account).to_string(),
        region: strings.resolve(region).to_string(),
        first_minute: acc.first,
        last_minute: acc.last,
        events: acc.events,
        series_seen: series,
        series_tested: if enough { series } else { 0 },
        enough_history: enough,
        baseline_days: if enough {
            (acc.last - baseline_from) as f64 / 1440.0
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Origin};

    fn event(ds: &mut Dataset, minute: i64, name: &str, read_only: bool, error: &str) -> Event {
        let mut s = |t: &str| ds.strings.intern(t);
        Event {
            time_ms: minute * 60_000,
            id: (minute as u128) << 32 | ds.events.len() as u128,
            account: s("111122223333"),
            region: s("us-east-1"),
            source: s("ec2.amazonaws.com"),
            name: s(name),
            error_code: s(error),
            identity: Interner::EMPTY,
            user_agent: Interner::EMPTY,
            source_ip: Interner::EMPTY,
            event_type: Interner::EMPTY,
            identity_type: Interner::EMPTY,
            read_only,
            read_only_inferred: false,
            category: Category::Management,
            origin: Origin::default(),
        }
    }

    fn dataset(events: &[(i64, &str, bool, &str)]) -> Dataset {
        let mut ds = Dataset::default();
        for &(m, name, ro, err) in events {
            let e = event(&mut ds, m, name, ro, err);
            ds.events.push(e);
        }
        ds
    }

    #[test]
    fn the_detector_reports_what_a_separate_pass_reports() {
        let ds = dataset(&[
            (0, "RunInstances", false, ""),
            (1, "DescribeInstances", true, ""),
            (2, "DescribeInstances", true, "AccessDenied"),
            (2, "RunInstances", false, "Client.Unauthorized"),
            (3000, "RunInstances", false, ""),
            (3001, "TerminateInstances", false, ""),
        ]);
        for cfg in [
            DetectConfig::default(),
            DetectConfig {
                call_rate: false,
                ..DetectConfig::default()
            },
            DetectConfig {
                include_read_calls: true,
                include_data_events: true,
                ..DetectConfig::default()
            },
        ] {
            let from_detect = super::super::detect(&ds, &cfg).summary.coverage;
            assert_eq!(from_detect, report(&ds, &cfg), "{cfg:?}");
            let counts = CountsTable::from_dataset(&ds);
            let from_counts = super::super::detect_counts(&counts, None, &cfg)
                .summary
                .coverage;
            assert_eq!(from_counts, report_counts(&counts, &cfg), "{cfg:?}");
        }
    }

    #[test]
    fn short_capture_has_no_tested_series() {
        let ds = dataset(&[
            (100, "RunInstances", false, ""),
            (150, "DescribeInstances", true, ""),
            (154, "GetPasswordData", true, "Client.UnauthorizedOperation"),
        ]);
        let r = report(&ds, &DetectConfig::default());
        assert_eq!(r.regions.len(), 1);
        let reg = &r.regions[0];
        assert_eq!(reg.minutes_covered(), 55);
        assert!(!reg.enough_history);
        // RunInstances call rate, GetPasswordData error rate.
        assert_eq!(reg.series_seen, 2);
        assert_eq!(reg.series_tested, 0);
        assert_eq!(r.not_considered.read_calls, 1);
        assert_eq!(r.events_considered + r.not_considered.total(), r.events);
    }

    #[test]
    fn reasons_follow_the_settings() {
        let ds = dataset(&[
            (0, "RunInstances", false, ""),
            (1, "DescribeInstances", true, ""),
            (2, "DescribeInstances", true, "AccessDenied"),
            (3000, "RunInstances", false, ""),
        ]);
        let cfg = DetectConfig {
            call_rate: false,
            ..DetectConfig::default()
        };
        let r = report(&ds, &cfg);
        // Writes feed only the switched-off call rate; a read without an
        // error would need call rate too, so it is the type as well.
        assert_eq!(r.not_considered.type_switched_off, 3);
        assert_eq!(r.not_considered.read_calls, 0);
        assert_eq!(r.events_considered, 1);
        assert!(r.regions[0].enough_history);
        assert_eq!(r.regions[0].series_tested, 1);
        let all = DetectConfig {
            include_read_calls: true,
            ..DetectConfig::default()
        };
        let r = report(&ds, &all);
        assert_eq!(r.not_considered.total(), 0);
        assert_eq!(r.series_seen(), 3);
    }
}
