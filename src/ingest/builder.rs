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

/// The batches of consecutive inputs, already merged in input order: what one
/// thread of [`load_paths`](super::load_paths) folds its share of files into,
/// so thousands of small per-file batches (each with its own string table)
/// never reach [`DatasetBuilder::finish`] one by one. Merging runs in order
/// gives exactly what merging their batches in order gives: strings are
/// numbered by first appearance, events and report entries keep input order.
#[derive(Default)]
pub(crate) struct Run {
    /// `(input, name)` of each input in the run, in order.
    names: Vec<(u32, String)>,
    batch: Batch,
}

impl Run {
    /// Appends the batch of the input after the run's last one.
    pub(crate) fn push(&mut self, name: String, mut batch: Batch) {
        self.names.push((batch.input, name));
        if self.names.len() == 1 {
            self.batch = batch;
            return;
        }
        let run = &mut self.batch;
        let map: Vec<Sym> = batch
            .strings
            .strings()
            .map(|s| run.strings.intern(s))
            .collect();
        run.events
            .extend(batch.events.iter().map(|e| remapped(e, &map)));
        run.aws_insights.append(&mut batch.aws_insights);
        let mut reasons: BTreeMap<String, u64> = std::mem::take(&mut run.report.bad_reasons)
            .into_iter()
            .collect();
        merge_report(&mut run.report, &mut reasons, batch.report);
        run.report.bad_reasons = reasons.into_iter().collect();
    }
}

/// `e` with its symbols mapped through `map` (one batch's table into the
/// merged one). A symbol outside the table (only a corrupt batch from a
/// worker) becomes "" rather than another batch's string.
fn remapped(e: &Event, map: &[Sym]) -> Event {
    let remap = |s: Sym| map.get(s.0 as usize).copied().unwrap_or(Interner::EMPTY);
    let mut e = *e;
    e.account = remap(e.account);
    e.region = remap(e.region);
    e.source = remap(e.source);
    e.name = remap(e.name);
    e.error_code = remap(e.error_code);
    e.identity = remap(e.identity);
    e.user_agent = remap(e.user_agent);
    e.source_ip = remap(e.source_ip);
    e.event_type = remap(e.event_type);
    e.identity_type = remap(e.identity_type);
    e
}

/// Collects batches (one per input, or [`Run`]s of consecutive inputs) and
/// merges them into a [`Dataset`].
#[derive(Default)]
pub struct DatasetBuilder {
    runs: Vec<Run>,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the batch of one input (`batch.input` is its index; `input_name`
    /// its name in [`Dataset::inputs`]).
    pub fn add(&mut self, input_name: String, batch: Batch) {
        let mut run = Run::default();
        run.push(input_name, batch);
        self.runs.push(run);
    }

    /// Adds a run of consecutive inputs' batches (natively, from `load_paths`).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn add_run(&mut self, run: Run) {
        if !run.names.is_empty() {
            self.runs.push(run);
        }
    }

    pub fn finish(mut self) -> (Dataset, LoadReport) {
        // Stable, and usually already in order (a single run) when batches
        // come from one thread pool in input order.
        self.runs
            .sort_by(|a, b| a.names.first().cmp(&b.names.first()));
        let mut report = LoadReport::default();
        let mut inputs: Vec<String> = Vec::new();
        let mut aws_insights = Vec::new();
        let mut reasons = BTreeMap::<String, u64>::new();
        let mut strings = Interner::default();
        // Run `r`'s symbols map to `maps[map_starts[r]..map_starts[r + 1]]`
        // in `strings`.
        let mut maps: Vec<Sym> = Vec::new();
        let mut map_starts: Vec<usize> = Vec::with_capacity(self.runs.len() + 1);
        for Run { names, batch } in &mut self.runs {
            for (input, name) in names.drain(..) {
                let slot = input as usize;
                if inputs.len() <= slot {
                    inputs.resize(slot + 1, String::new());
                }
                inputs[slot] = name;
            }
            map_starts.push(maps.len());
            maps.extend(batch.strings.strings().map(|s| strings.intern(s)));
            aws_insights.append(&mut batch.aws_insights);
            merge_report(&mut report, &mut reasons, std::mem::take(&mut batch.report));
        }
        map_starts.push(maps.len());
        let batches: Vec<&[Event]> = self.runs.iter().map(|r| &r.batch.events[..]).collect();
        let mut keys = dedup_keys(&batches);
        let unique = keys.len() as u64;
        report.duplicates += report.events.saturating_sub(unique);
        report.events = unique;
        sort_keys(&mut keys, &batches);
        let events = gather(&keys, &batches, &maps, &map_starts);
        drop(batches);
        drop(self.runs);
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
    report.aggregated_event_records += r.aggregated_event_records;
    report.bytes_read += r.bytes_read;
    report.not_read += r.not_read;
    report.max_events_reached = report.max_events_reached.max(r.max_events_reached);
    report.skipped_files.extend(r.skipped_files);
    let room = MAX_BAD_SAMPLES.saturating_sub(report.bad_record_samples.len());
    report
        .bad_record_samples
        .extend(r.bad_record_samples.into_iter().take(room));
    for (k, v) in r.bad_reasons {
        *reasons.entry(k).or_default() += v;
    }
}

/// The keys of the events to keep: the first copy of each `eventID` in batch
/// order. Batches are in input order and each batch is in (entry, offset)
/// order, so the first copy is the one with the smallest origin. The keys come
/// out in no particular order ([`sort_keys`] orders them). Natively the IDs are
/// split by hash into one share per thread, each deduplicated on its own core
/// (a copy and its first always fall in the same share).
fn dedup_keys(batches: &[&[Event]]) -> Vec<Key> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        let shares = rayon::current_num_threads().clamp(1, 64) as u64;
        // About a share's part of the events, with room for uneven shares.
        let capacity = total_events(batches) / shares as usize * 9 / 8;
        let parts: Vec<Vec<Key>> = (0..shares)
            .into_par_iter()
            .map(|share| dedup_share(batches, capacity, |hash| (hash >> 32) % shares == share))
            .collect();
        parts.concat()
    }
    #[cfg(target_arch = "wasm32")]
    dedup_share(batches, total_events(batches), |_| true)
}

fn total_events(batches: &[&[Event]]) -> usize {
    batches.iter().map(|b| b.len()).sum()
}

/// [`dedup_keys`] for the IDs whose hash `mine` accepts.
fn dedup_share(batches: &[&[Event]], capacity: usize, mine: impl Fn(u64) -> bool) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::with_capacity(capacity);
    // IDs are held in the table itself: reading them back from the events
    // (scattered over every batch) cost a cache miss per probe.
    let mut seen: HashTable<u128> = HashTable::with_capacity(capacity);
    for (b, events) in batches.iter().enumerate() {
        for (j, e) in events.iter().enumerate() {
            let hash = id_hash(e.id);
            if !mine(hash) {
                continue;
            }
            let entry = seen.entry(hash, |&id| id == e.id, |&id| id_hash(id));
            if let Entry::Vacant(v) = entry {
                v.insert(e.id);
                keys.push(Key::new(e.time_ms, b as u32, j as u32));
            }
        }
    }
    keys
}

/// Sorts keys into the dataset order, `(time_ms, id)`. The keys sort by time
/// first; runs of equal times are then put in ID order (IDs are unique once
/// deduplicated, so the order is total and does not depend on the sort).
/// Natively both sorts use every core (the merge is the one serial step of
/// a load otherwise).
fn sort_keys(keys: &mut [Key], batches: &[&[Event]]) {
    let id_at = |k: &Key| {
        let (b, j) = k.at();
        batches[b][j].id
    };
    let by_id = |run: &mut [Key]| {
        if run.len() > 1 {
            run.sort_unstable_by_key(id_at);
        }
    };
    let same_time = |a: &Key, b: &Key| a.time() == b.time();
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        keys.par_sort_unstable();
        keys.par_chunk_by_mut(same_time).for_each(by_id);
    }
    #[cfg(target_arch = "wasm32")]
    {
        keys.sort_unstable();
        keys.chunk_by_mut(same_time).for_each(by_id);
    }
}

/// The kept events in key order, their symbols mapped into the merged table
/// (in parallel natively: it is a random-access copy of every event).
fn gather(keys: &[Key], batches: &[&[Event]], maps: &[Sym], map_starts: &[usize]) -> Vec<Event> {
    let event_at = |k: &Key| {
        let (b, j) = k.at();
        remapped(&batches[b][j], &maps[map_starts[b]..map_starts[b + 1]])
    };
    let mut events: Vec<Event> = Vec::with_capacity(keys.len());
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        keys.par_iter().map(event_at).collect_into_vec(&mut events);
    }
    #[cfg(target_arch = "wasm32")]
    events.extend(keys.iter().map(event_at));
    events
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse_bytes, Limits};

    /// One document of `n` records; IDs repeat across documents (duplicates)
    /// and strings overlap, with one bad record per document.
    fn document(doc: usize, n: usize) -> Vec<u8> {
        let mut records: Vec<String> = (0..n)
            .map(|k| {
                format!(
                    r#"{{"eventVersion":"1.08","eventTime":"2024-01-0{}T00:00:{:02}Z","eventID":"id-{}","eventSource":"s{}.amazonaws.com","eventName":"Op{}","awsRegion":"r{}","recipientAccountId":"1","userIdentity":{{"arn":"arn:aws:iam::1:user/u{}"}}}}"#,
                    1 + doc % 3,
                    (k * 7) % 60,
                    (doc * 5 + k) % 17,
                    k % 3,
                    (doc + k) % 4,
                    doc % 2,
                    k % 5
                )
            })
            .collect();
        records.push(r#"{"eventName":"NoTime"}"#.into());
        format!(r#"{{"Records":[{}]}}"#, records.join(",")).into_bytes()
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn runs_merge_exactly_like_their_batches() {
        let batch = |i: usize| {
            let name = format!("f{i}.json");
            (
                name.clone(),
                parse_bytes(i as u32, &name, &document(i, 4 + i), &Limits::default()),
            )
        };
        let mut one_by_one = DatasetBuilder::new();
        for i in 0..6 {
            let (name, b) = batch(i);
            one_by_one.add(name, b);
        }
        let (a, ra) = one_by_one.finish();
        // The same inputs as runs, added out of order.
        let mut by_runs = DatasetBuilder::new();
        for group in [&[4usize, 5][..], &[0, 1, 2], &[3]] {
            let mut run = Run::default();
            for &i in group {
                let (name, b) = batch(i);
                run.push(name, b);
            }
            by_runs.add_run(run);
        }
        let (b, rb) = by_runs.finish();
        assert_eq!(ra, rb);
        assert!(ra.duplicates > 0 && ra.bad_records == 6, "{ra:?}");
        assert_eq!(format!("{:?}", a.events), format!("{:?}", b.events));
        assert!(a.strings.strings().eq(b.strings.strings()));
        assert_eq!(a.inputs, b.inputs);
    }
}
