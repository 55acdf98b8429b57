//! Series building: one pass over the events that files every event under the
//! series it feeds (call rate and/or error rate), and records each account and
//! Region's time coverage.
//!
//! A series keeps the indexes of its events (sorted by time, because the
//! dataset is). Per-minute counts are derived from them only for the series
//! worth testing, so a quiet series costs a few bytes per event and nothing per
//! minute.

use super::DetectConfig;
use crate::model::{Category, Dataset, InsightType, Interner, Sym};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small multiplicative hasher (FxHash's scheme) for the per-event lookups:
/// the keys are a few interned integers, so SipHash's DoS resistance buys
/// nothing and costs most of the pass.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

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

/// One series: its key, the account/Region coverage it belongs to, its events.
pub(crate) struct Series {
    pub key: RawKey,
    pub coverage: usize,
    /// Indexes into `Dataset::events`, in time order.
    pub events: Vec<u32>,
}

/// First and last minute with any event of one account and Region: the span in
/// which "no event" means "zero calls" rather than "no data".
#[derive(Clone, Copy, Debug)]
pub(crate) struct Coverage {
    pub first_minute: i64,
    pub last_minute: i64,
}

pub(crate) struct Built {
    pub series: Vec<Series>,
    pub coverage: Vec<Coverage>,
    /// Per coverage, the distinct minutes with any event, ascending (evidence
    /// that logs exist for a minute, used before calling silence a drop).
    pub active: Vec<Vec<i64>>,
    /// Number of events that fed at least one series.
    pub events_considered: u64,
    /// A cheap fingerprint of the whole input, mixed into Insight IDs so the
    /// same series and minute in two different datasets get different IDs.
    pub fingerprint: u64,
}

/// Does this event feed detection at all under `cfg`?
fn category_watched(cat: Category, cfg: &DetectConfig) -> bool {
    match cat {
        Category::Management => true,
        Category::Data => cfg.include_data_events,
        Category::Other => false,
    }
}

pub(crate) fn build(ds: &Dataset, cfg: &DetectConfig) -> Built {
    let mut index: FxMap<RawKey, u32> = FxMap::default();
    let mut series: Vec<Series> = Vec::new();
    let mut cov_index: FxMap<(Sym, Sym), usize> = FxMap::default();
    let mut coverage: Vec<Coverage> = Vec::new();
    let mut active: Vec<Vec<i64>> = Vec::new();
    let mut events_considered = 0u64;
    let mut fingerprint: u64 = 0xcbf2_9ce4_8422_2325;

    for (i, e) in ds.events.iter().enumerate() {
        fingerprint =
            (fingerprint ^ (e.id as u64) ^ ((e.id >> 64) as u64)).wrapping_mul(0x0100_0000_01b3);
        let minute = e.minute();
        let cov = *cov_index.entry((e.account, e.region)).or_insert_with(|| {
            coverage.push(Coverage {
                first_minute: minute,
                last_minute: minute,
            });
            active.push(Vec::new());
            coverage.len() - 1
        });
        if active[cov].last() != Some(&minute) {
            active[cov].push(minute);
        }
        let c = &mut coverage[cov];
        c.first_minute = c.first_minute.min(minute);
        c.last_minute = c.last_minute.max(minute);

        if !category_watched(e.category, cfg) {
            continue;
        }
        let data = e.category == Category::Data;
        let mut fed = false;
        let mut push = |kind: InsightType, error: Sym| {
            let key = RawKey {
                kind,
                account: e.account,
                region: e.region,
                source: e.source,
                name: e.name,
                error,
                data,
            };
            let id = *index.entry(key).or_insert_with(|| {
                series.push(Series {
                    key,
                    coverage: cov,
                    events: Vec::new(),
                });
                (series.len() - 1) as u32
            });
            series[id as usize].events.push(i as u32);
        };
        if cfg.call_rate && (!e.read_only || cfg.include_read_calls) {
            push(InsightType::ApiCallRateInsight, Interner::EMPTY);
            fed = true;
        }
        if cfg.error_rate && e.is_error() {
            push(InsightType::ApiErrorRateInsight, e.error_code);
            fed = true;
        }
        if fed {
            events_considered += 1;
        }
    }
    Built {
        series,
        coverage,
        active,
        events_considered,
        fingerprint,
    }
}

/// The largest number of events of a series in any 1-minute and any
/// `window`-minute span: an upper bound on what the decision test can see, used
/// to skip series that cannot reach the minimum excess.
pub(crate) fn max_counts(ds: &Dataset, events: &[u32], window: i64) -> (u32, u32) {
    let minutes = events.iter().map(|&i| ds.events[i as usize].minute());
    let mut max1 = 0u32;
    let mut run = 0u32;
    let mut prev = i64::MIN;
    for m in minutes {
        run = if m == prev { run + 1 } else { 1 };
        prev = m;
        max1 = max1.max(run);
    }
    let mut maxw = 0u32;
    let mut lo = 0usize;
    for hi in 0..events.len() {
        let mh = ds.events[events[hi] as usize].minute();
        while ds.events[events[lo] as usize].minute() <= mh - window {
            lo += 1;
        }
        maxw = maxw.max((hi - lo + 1) as u32);
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
pub(crate) fn dense_counts(ds: &Dataset, events: &[u32], first: i64, last: i64) -> Vec<u32> {
    let len = (last - first + 1).max(0) as usize;
    let mut counts = vec![0u32; len];
    for &i in events {
        let m = ds.events[i as usize].minute() - first;
        if m >= 0 && (m as usize) < len {
            counts[m as usize] += 1;
        }
    }
    counts
}

/// The sub-slice of `events` (indexes, time-ordered) whose minute is in `[from, to)`.
pub(crate) fn slice_minutes<'a>(ds: &Dataset, events: &'a [u32], from: i64, to: i64) -> &'a [u32] {
    let lo = events.partition_point(|&i| ds.events[i as usize].minute() < from);
    let hi = events.partition_point(|&i| ds.events[i as usize].minute() < to);
    &events[lo..hi.max(lo)]
}
