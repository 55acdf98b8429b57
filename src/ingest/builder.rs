//! Merging per-input [`Batch`]es into one [`Dataset`]: string tables remapped
//! into one interner, events deduplicated by `eventID`, sorted by `(time_ms, id)`.
//!
//! Order independence: `add` only stores; `finish` sorts the batches by their
//! input index (then name) before merging, and when an `eventID` occurs more
//! than once keeps the copy with the smallest `(input, entry, offset)` origin.
//! So the result (strings, events, origins, report) is the same whatever order
//! parallel workers deliver batches in, as long as each input keeps its index.
//!
//! Cost: an [`Event`] is ~100 bytes and a load holds hundreds of thousands, so
//! `finish` moves each event once: it deduplicates and sorts 16-byte keys
//! that point into the batches, then copies every kept event (remapping its
//! symbols on the way) straight into the final vector.

use super::sink::MAX_BAD_SAMPLES;
use super::{Batch, LoadReport};
use crate::model::{Dataset, Event, Interner, Sym};
use hashbrown::hash_table::{Entry, HashTable};
use std::collections::BTreeMap;

/// Hash of a 128-bit event key: UUID bits are already random, so folding them
/// is enough (hashed non-UUID IDs are FNV outputs, also well mixed).
fn id_hash(id: u128) -> u64 {
    ((id as u64) ^ ((id >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// One kept event: its time (sign bit flipped, so unsigned order is time
/// order) in the high half, then its batch index and its index in that
/// batch's events. Ordering keys orders by time, then by position in batch
/// order; one `u128` compares faster than a tuple field by field.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u128);

impl Key {
    fn new(time_ms: i64, batch: u32, index: u32) -> Key {
        let time = (time_ms as u64 ^ (1 << 63)) as u128;
        Key(time << 64 | (batch as u128) << 32 | index as u128)
    }
    fn time(self) -> u64 {
        (self.0 >> 64) as u64
    }
    /// (batch, index in that batch)
    fn at(self) -> (usize, usize) {
        ((self.0 >> 32) as u32 as usize, self.0 as u32 as usize)
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
        // Stable, and usually already in order (a single run) when batches
        // come from one thread pool in input order.
        self.batches
            .sort_by(|a, b| (a.1.input, &a.0).cmp(&(b.1.input, &b.0)));
        let mut report = LoadReport::default();
        let mut inputs: Vec<String> = Vec::new();
        let mut aws_insights = Vec::new();
        let mut reasons = BTreeMap::<String, u64>::new();
        let mut strings = Interner::default();
        // Batch `b`'s symbols map to `maps[map_starts[b]..map_starts[b + 1]]`
        // in `strings`.
        let mut maps: Vec<Sym> = Vec::new();
        let mut map_starts: Vec<usize> = Vec::with_capacity(self.batches.len() + 1);
        for (name, batch) in &mut self.batches {
            let slot = batch.input as usize;
            if inputs.len() <= slot {
                inputs.resize(slot + 1, String::new());
            }
            inputs[slot] = std::mem::take(name);
            map_starts.push(maps.len());
            maps.extend(batch.strings.strings().map(|s| strings.intern(s)));
            aws_insights.append(&mut batch.aws_insights);
            merge_report(&mut report, &mut reasons, std::mem::take(&mut batch.report));
        }
        map_starts.push(maps.len());
        let batches: Vec<&[Event]> = self.batches.iter().map(|(_, b)| &b.events[..]).collect();
        let mut keys = dedup_keys(&batches);
        let unique = keys.len() as u64;
        report.duplicates += report.events.saturating_sub(unique);
        report.events = unique;
        sort_keys(&mut keys, &batches);
        let mut events: Vec<Event> = Vec::with_capacity(keys.len());
        events.extend(keys.iter().map(|k| {
            let (b, j) = k.at();
            // A symbol outside its batch's table (only a corrupt batch from
            // a worker) becomes "" rather than another batch's string.
            let map = &maps[map_starts[b]..map_starts[b + 1]];
            let remap = |s: Sym| map.get(s.0 as usize).copied().unwrap_or(Interner::EMPTY);
            let mut e = batches[b][j];
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
        drop(batches);
        drop(self.batches);
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

/// Adds one batch's counts, skipped files, samples and reasons to the total.
fn merge_report(report: &mut LoadReport, reasons: &mut BTreeMap<String, u64>, r: LoadReport) {
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

/// The keys of the events to keep, in batch order: the first copy of each
/// `eventID`. Batches are in input order and each batch is in (entry, offset)
/// order, so the first copy is the one with the smallest origin.
fn dedup_keys(batches: &[&[Event]]) -> Vec<Key> {
    let total: usize = batches.iter().map(|b| b.len()).sum();
    let mut keys: Vec<Key> = Vec::with_capacity(total);
    // Holds (batch, index) positions, not IDs: 8-byte slots keep the table
    // small; an ID is read back only when the 7-bit tags match.
    let mut seen: HashTable<(u32, u32)> = HashTable::with_capacity(total);
    let id_at = |&(b, j): &(u32, u32)| batches[b as usize][j as usize].id;
    for (b, events) in batches.iter().enumerate() {
        for (j, e) in events.iter().enumerate() {
            let at = (b as u32, j as u32);
            let entry = seen.entry(id_hash(e.id), |p| id_at(p) == e.id, |p| id_hash(id_at(p)));
            if let Entry::Vacant(v) = entry {
                v.insert(at);
                keys.push(Key::new(e.time_ms, at.0, at.1));
            }
        }
    }
    keys
}

/// Sorts keys into the dataset order, `(time_ms, id)`. The keys sort by time
/// first; runs of equal times are then put in ID order (IDs are unique once
/// deduplicated, so the order is total and does not depend on the sort).
fn sort_keys(keys: &mut [Key], batches: &[&[Event]]) {
    keys.sort_unstable();
    let id_at = |k: &Key| {
        let (b, j) = k.at();
        batches[b][j].id
    };
    for run in keys.chunk_by_mut(|a, b| a.time() == b.time()) {
        if run.len() > 1 {
            run.sort_unstable_by_key(id_at);
        }
    }
}

/// Fills the report's time range, accounts and regions from the events.
fn summarise(report: &mut LoadReport, strings: &Interner, events: &[Event]) {
    report.first_event_ms = events.iter().map(|e| e.time_ms).min();
    report.last_event_ms = events.iter().map(|e| e.time_ms).max();
    // One flag byte per symbol (bit 0: an account, bit 1: a region) rather
    // than a set insert per event.
    const ACCOUNT: u8 = 1;
    const REGION: u8 = 2;
    let mut marks = vec![0u8; strings.len()];
    for e in events {
        if let Some(m) = marks.get_mut(e.account.0 as usize) {
            *m |= ACCOUNT;
        }
        if let Some(m) = marks.get_mut(e.region.0 as usize) {
            *m |= REGION;
        }
    }
    let names = |flag: u8| {
        let mut v: Vec<String> = marks
            .iter()
            .enumerate()
            .filter(|&(i, m)| m & flag != 0 && i != Interner::EMPTY.0 as usize)
            .map(|(i, _)| strings.resolve(Sym(i as u32)).to_string())
            .collect();
        v.sort();
        v
    };
    report.accounts = names(ACCOUNT);
    report.regions = names(REGION);
}
