//! Merging per-input [`Batch`]es into one [`Dataset`]: string tables remapped
//! into one interner, events deduplicated by `eventID`, sorted by `(time_ms, id)`.
//!
//! Order independence: `add` only stores; `finish` sorts the batches by their
//! input index (then name) before merging, and when an `eventID` occurs more
//! than once keeps the copy with the smallest `(input, entry, offset)` origin.
//! So the result (strings, events, origins, report) is the same whatever order
//! parallel workers deliver batches in, as long as each input keeps its index.

use super::sink::MAX_BAD_SAMPLES;
use super::{Batch, LoadReport};
use crate::model::{Dataset, Event, Interner, Sym};
use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for 128-bit event keys: UUID bits are already random, so folding
/// them is enough (hashed non-UUID IDs are FNV outputs, also well mixed).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = ((v as u64) ^ ((v >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Collects batches (one per input) and merges them into a [`Dataset`].
#[derive(Default)]
pub struct DatasetBuilder {
    batches: Vec<(String, Batch)>,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the batch of one input (`batch.input` is its index; `input_name`
    /// its name in [`Dataset::inputs`]).
    pub fn add(&mut self, input_name: String, batch: Batch) {
        self.batches.push((input_name, batch));
    }

    pub fn finish(mut self) -> (Dataset, LoadReport) {
        self.batches
            .sort_by(|a, b| (a.1.input, &a.0).cmp(&(b.1.input, &b.0)));
        let mut strings = Interner::default();
        let total: usize = self.batches.iter().map(|(_, b)| b.events.len()).sum();
        let mut events: Vec<Event> = Vec::with_capacity(total);
        let mut report = LoadReport::default();
        let mut inputs: Vec<String> = Vec::new();
        let mut aws_insights = Vec::new();
        let mut reasons = std::collections::BTreeMap::<String, u64>::new();
        for (name, batch) in self.batches {
            let slot = batch.input as usize;
            if inputs.len() <= slot {
                inputs.resize(slot + 1, String::new());
            }
            inputs[slot] = name;
            let map: Vec<Sym> = batch.strings.strings().map(|s| strings.intern(s)).collect();
            let remap = |s: Sym| map.get(s.0 as usize).copied().unwrap_or(Interner::EMPTY);
            events.extend(batch.events.into_iter().map(|mut e| {
                e.account = remap(e.account);
                e.region = remap(e.region);
                e.source = remap(e.source);
                e.name = remap(e.name);
                e.error_code = remap(e.error_code);
                e.identity = remap(e.identity);
                e.user_agent = remap(e.user_agent);
                e.source_ip = remap(e.source_ip);
                e.event_type = remap(e.event_type);
                e
            }));
            aws_insights.extend(batch.aws_insights);
            let r = batch.report;
            report.files_seen += r.files_seen;
            report.files += r.files;
            report.records += r.records;
            report.events += r.events;
            report.duplicates += r.duplicates;
            report.bad_records += r.bad_records;
            report.aws_insight_records += r.aws_insight_records;
            report.bytes_read += r.bytes_read;
            report.skipped_files.extend(r.skipped_files);
            let room = MAX_BAD_SAMPLES.saturating_sub(report.bad_record_samples.len());
            report
                .bad_record_samples
                .extend(r.bad_record_samples.into_iter().take(room));
            for (k, v) in r.bad_reasons {
                *reasons.entry(k).or_default() += v;
            }
        }
        // Dedup: batches were merged in input order and each batch is in
        // (entry, offset) order, so keeping the first copy keeps the one with
        // the smallest origin, whatever order the batches were added in.
        let mut seen = HashSet::with_capacity_and_hasher(
            events.len(),
            BuildHasherDefault::<IdHasher>::default(),
        );
        events.retain(|e| seen.insert(e.id));
        let unique = events.len() as u64;
        report.duplicates += report.events.saturating_sub(unique);
        report.events = unique;
        events.sort_unstable_by_key(|e| (e.time_ms, e.id));
        report.bad_reasons = reasons.into_iter().collect();
        summarise(&mut report, &strings, &events);
        let dataset = Dataset {
            strings,
            events,
            inputs,
            aws_insights,
        };
        (dataset, report)
    }
}

/// Fills the report's time range, accounts and regions from the events.
pub(crate) fn summarise(report: &mut LoadReport, strings: &Interner, events: &[Event]) {
    report.first_event_ms = events.iter().map(|e| e.time_ms).min();
    report.last_event_ms = events.iter().map(|e| e.time_ms).max();
    let mut accounts = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for e in events {
        accounts.insert(e.account);
        regions.insert(e.region);
    }
    let names = |set: BTreeSet<Sym>| {
        let mut v: Vec<String> = set
            .into_iter()
            .filter(|s| *s != Interner::EMPTY)
            .map(|s| strings.resolve(s).to_string())
            .collect();
        v.sort();
        v
    };
    report.accounts = names(accounts);
    report.regions = names(regions);
}
