//! Merging per-input [`Batch`]es into one [`Dataset`]: string tables remapped
//! into one interner, events deduplicated by `eventID`, sorted by `(time_ms, id)`.
//!
//! Order independence: `add` only stores; `finish` sorts the batches by their
//! input index (then name) before merging, and when an `eventID` occurs more
//! than once keeps the copy with the smallest `(input, entry, offset)` origin.
//! So the result (strings, events, origins, report) is the same whatever order
//! parallel workers deliver batches in, as long as each input keeps its index.
//!
//! Cost: the events are kept compact from the start. A [`Run`] folds each
//! per-file batch (wide [`Event`]s, a few hundred) into an [`EventStore`] at
//! once; `finish` moves the runs' records into one vector reserved once
//! (freeing each run as it goes), then sorts and deduplicates it in place
//! (see [`crate::model::event_store`]). So a load peaks near the final size, not at
//! wide events plus sort keys plus the final vector.

use super::sink::MAX_BAD_SAMPLES;
use super::{Batch, LoadReport};
use crate::model::{Dataset, Event, EventStore, Interner, Sym};
use std::collections::BTreeMap;

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
    strings: Interner,
    /// The run's events, symbols in `strings`.
    store: EventStore,
    aws_insights: Vec<String>,
    report: LoadReport,
}

impl Run {
    /// Appends the batch of the input after the run's last one.
    pub(crate) fn push(&mut self, name: String, mut batch: Batch) {
        self.names.push((batch.input, name));
        if self.names.len() == 1 {
            self.strings = std::mem::take(&mut batch.strings);
            for e in batch.events.drain(..) {
                self.store.push(e);
            }
            self.aws_insights = batch.aws_insights;
            self.report = batch.report;
            return;
        }
        let map: Vec<Sym> = batch
            .strings
            .strings()
            .map(|s| self.strings.intern(s))
            .collect();
        for e in &batch.events {
            self.store.push(remapped(e, &map));
        }
        self.aws_insights.append(&mut batch.aws_insights);
        let mut reasons: BTreeMap<String, u64> = std::mem::take(&mut self.report.bad_reasons)
            .into_iter()
            .collect();
        merge_report(&mut self.report, &mut reasons, batch.report);
        self.report.bad_reasons = reasons.into_iter().collect();
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
        let total: usize = self.runs.iter().map(|r| r.store.len()).sum();
        let mut events = EventStore::new();
        for run in &mut self.runs {
            for (input, name) in run.names.drain(..) {
                let slot = input as usize;
                if inputs.len() <= slot {
                    inputs.resize(slot + 1, String::new());
                }
                inputs[slot] = name;
            }
            let map: Vec<Sym> = run.strings.strings().map(|s| strings.intern(s)).collect();
            run.strings = Interner::default();
            events.absorb(std::mem::take(&mut run.store), &map, total);
            aws_insights.append(&mut run.aws_insights);
            merge_report(&mut report, &mut reasons, std::mem::take(&mut run.report));
        }
        drop(self.runs);
        events.sort_dedup();
        let unique = events.len() as u64;
        report.duplicates += report.events.saturating_sub(unique);
        report.events = unique;
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

/// Fills the report's time range, accounts and regions from the events.
fn summarise(report: &mut LoadReport, strings: &Interner, events: &EventStore) {
    report.first_event_ms = events.records().iter().map(|e| e.time_ms).min();
    report.last_event_ms = events.records().iter().map(|e| e.time_ms).max();
    // One flag byte per symbol (bit 0: an account, bit 1: a region), from
    // the shapes in use rather than a set insert per event.
    const ACCOUNT: u8 = 1;
    const REGION: u8 = 2;
    let marks = events.account_region_marks(strings.len());
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
