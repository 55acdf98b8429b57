//! Series building, from either input the detector accepts: the events of a
//! [`Dataset`] (raw logs) or the per-minute rows of a [`CountsTable`] (the
//! counts interchange file, e.g. from Athena or Spark). Both give the same
//! [`SeriesSet`]: every series as sparse per-minute counts, each account and
//! Region's coverage and active minutes, so the decision cannot tell them apart.
//!
//! Which events feed which series is decided in one place, [`watched`].
//! A series keeps only its minutes with events (sorted), so a quiet series
//! costs a few bytes and nothing per empty minute; dense counts are made only
//! for the series worth testing.

use super::fact::{watched, Fact, Tally};
use super::DetectConfig;
use crate::counts::CountsTable;
use crate::model::{Category, Dataset, InsightType, Interner, Sym};
use rustc_hash::FxHashMap;

/// Interned identity of a series (the fast form of [`crate::model::SeriesKey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct RawKey {
    pub kind: InsightType,
    pub account: Sym,
    pub region: Sym,
    pub source: Sym,
    pub name: Sym,
    /// The error code for error-rate series, [`Interner::EMPTY`] for call rate.
    pub error: Sym,
    pub data: bool,
}

/// One series: its key, the account/Region coverage it belongs to, and its
/// per-minute counts where non-zero, ascending by minute.
pub(crate) struct Series {
    pub key: RawKey,
    pub coverage: usize,
    pub minutes: Vec<(i64, u32)>,
}

/// First and last minute with any event of one account and Region: the span in
/// which "no event" means "zero calls" rather than "no data".
#[derive(Clone, Copy, Debug)]
pub(crate) struct Coverage {
    pub first_minute: i64,
    pub last_minute: i64,
}

#[derive(Default)]
pub(crate) struct SeriesSet {
    pub series: Vec<Series>,
    pub coverage: Vec<Coverage>,
    /// Per coverage, the distinct minutes with any event, ascending (evidence
    /// that logs exist for a minute, used before calling silence a drop).
    pub active: Vec<Vec<i64>>,
    /// Number of events that fed at least one series.
    pub events_considered: u64,
    /// Events per coverage and not-considered tallies, for the coverage
    /// report without a second pass.
    pub tally: Tally,
    index: FxHashMap<RawKey, u32>,
    cov_index: FxHashMap<(Sym, Sym), usize>,
}

impl SeriesSet {
    /// The index of the series with `key`.
    pub(crate) fn find(&self, key: &RawKey) -> Option<usize> {
        self.index.get(key).map(|&i| i as usize)
    }

    /// Adds `fact` (its minute not before any minute added so far) and returns
    /// the series it fed: (call rate, error rate) indexes.
    fn add(&mut self, f: &Fact, cfg: &DetectConfig) -> (Option<u32>, Option<u32>) {
        let k = f.key;
        let SeriesSet {
            coverage,
            active,
            cov_index,
            ..
        } = self;
        let cov = *cov_index.entry((k.account, k.region)).or_insert_with(|| {
            coverage.push(Coverage {
                first_minute: k.minute,
                last_minute: k.minute,
            });
            active.push(Vec::new());
            coverage.len() - 1
        });
        if active[cov].last() != Some(&k.minute) {
            active[cov].push(k.minute);
        }
        let c = &mut coverage[cov];
        c.first_minute = c.first_minute.min(k.minute);
        c.last_minute = c.last_minute.max(k.minute);
        self.tally.add(cov, f, cfg);

        let (call, error) = watched(
            k.category,
            k.read_only,
            k.error_code != Interner::EMPTY,
            cfg,
        );
        let data = k.category == Category::Data;
        let mut feed = |kind: InsightType, error: Sym| {
            let key = RawKey {
                kind,
                account: k.account,
                region: k.region,
                source: k.source,
                name: k.name,
                error,
                data,
            };
            let SeriesSet { index, series, .. } = &mut *self;
            let id = *index.entry(key).or_insert_with(|| {
                series.push(Series {
                    key,
                    coverage: cov,
                    minutes: Vec::new(),
                });
                (series.len() - 1) as u32
            });
            let minutes = &mut series[id as usize].minutes;
            let n = u32::try_from(f.events).unwrap_or(u32::MAX);
            match minutes.last_mut() {
                Some((m, c)) if *m == k.minute => *c = c.saturating_add(n),
                _ => minutes.push((k.minute, n)),
            }
            id
        };
        let call_id = call.then(|| feed(InsightType::ApiCallRateInsight, Interner::EMPTY));
        let error_id = error.then(|| feed(InsightType::ApiErrorRateInsight, k.error_code));
        if call || error {
            self.events_considered = self.events_considered.saturating_add(f.events);
        }
        (call_id, error_id)
    }
}

/// Series of a dataset, plus each series' event indexes (time-ordered) for
/// attributions.
pub(crate) fn from_dataset(ds: &Dataset, cfg: &DetectConfig) -> (SeriesSet, Vec<Vec<u32>>) {
    let mut built = SeriesSet::default();
    let mut events: Vec<Vec<u32>> = Vec::new();
    for (i, e) in ds.events.iter().enumerate() {
        let fact = Fact::of_event(&e);
        let (call, error) = built.add(&fact, cfg);
        for id in [call, error].into_iter().flatten() {
            let id = id as usize;
            if events.len() <= id {
                events.resize_with(id + 1, Vec::new);
            }
            events[id].push(i as u32);
        }
    }
    events.resize_with(built.series.len(), Vec::new);
    (built, events)
}

/// Series of a counts table (its rows are sorted by minute).
pub(crate) fn from_counts(counts: &CountsTable, cfg: &DetectConfig) -> SeriesSet {
    let mut built = SeriesSet::default();
    for row in &counts.rows {
        built.add(&Fact::of_row(row), cfg);
    }
    built
}

/// The largest count of a series in any 1-minute and any `window`-minute
/// span: an upper bound on what the decision test can see, used to skip series
/// that cannot reach the minimum excess.
pub(crate) fn max_counts(minutes: &[(i64, u32)], window: i64) -> (u32, u32) {
    let max1 = minutes.iter().map(|&(_, c)| c).max().unwrap_or(0);
    let mut maxw = 0u32;
    let mut sum = 0u32;
    let mut lo = 0usize;
    for &(mh, c) in minutes {
        sum = sum.saturating_add(c);
        while minutes[lo].0 <= mh - window {
            sum -= minutes[lo].1.min(sum);
            lo += 1;
        }
        maxw = maxw.max(sum);
    }
    (max1, maxw)
}

/// For each minute of `[first, last]`: did the coverage log anything?
pub(crate) fn dense_active(active: &[i64], first: i64, last: i64) -> Vec<bool> {
    let len = (last - first + 1).max(0) as usize;
    let mut out = vec![false; len];
    let lo = active.partition_point(|&m| m < first);
    for &m in &active[lo..] {
        if m > last {
            break;
        }
        out[(m - first) as usize] = true;
    }
    out
}

/// Per-minute counts of a series over `[first, last]` (inclusive).
pub(crate) fn dense_counts(minutes: &[(i64, u32)], first: i64, last: i64) -> Vec<u32> {
    let len = (last - first + 1).max(0) as usize;
    let mut counts = vec![0u32; len];
    let lo = minutes.partition_point(|&(m, _)| m < first);
    for &(m, c) in &minutes[lo..] {
        let i = m - first;
        if i as usize >= len {
            break;
        }
        counts[i as usize] = c;
    }
    counts
}

/// The entries of `minutes` in `[from, to)`.
pub(crate) fn minutes_in(minutes: &[(i64, u32)], from: i64, to: i64) -> &[(i64, u32)] {
    let lo = minutes.partition_point(|&(m, _)| m < from);
    let hi = minutes.partition_point(|&(m, _)| m < to);
    &minutes[lo..hi.max(lo)]
}

/// Events of a series in minutes `[from, to)`.
pub(crate) fn sum_minutes(minutes: &[(i64, u32)], from: i64, to: i64) -> u64 {
    minutes_in(minutes, from, to)
        .iter()
        .map(|&(_, c)| u64::from(c))
        .sum()
}

/// The sub-slice of `events` (indexes, time-ordered) whose minute is in `[from, to)`.
pub(crate) fn slice_minutes<'a>(ds: &Dataset, events: &'a [u32], from: i64, to: i64) -> &'a [u32] {
    let lo = events.partition_point(|&i| ds.events.minute(i as usize) < from);
    let hi = events.partition_point(|&i| ds.events.minute(i as usize) < to);
    &events[lo..hi.max(lo)]
}
