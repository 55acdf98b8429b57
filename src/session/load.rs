//! A log load, step by step: `Begin` names the inputs, `AddBatches` merges
//! parsed batches as parse workers send them, `Finish` merges, detects and
//! answers [`Response::Loaded`]; `Abort` forgets a cancelled load (the
//! previous data stays). `Demo` is a whole load of generated data.
//!
//! It also keeps the browser's memory guard: a load keeps at most
//! [`BROWSER_MAX_EVENTS`] events. A batch that would pass it is not merged;
//! the page is told ([`Response::Full`]) and stops parsing; at `Finish`
//! every input without a merged batch is listed as not read, and the rest
//! loads and works as usual.

use super::protocol::{LoadStats, LoadSummary, Response, BROWSER_MAX_EVENTS};
use super::{Activity, Attached, ByteSource, Session};
use crate::engine::{self, DetectConfig, Detection};
use crate::generate::{self, GenerateConfig};
use crate::ingest::{self, Batch, DatasetBuilder, Limits, LoadReport};
use crate::model::{Dataset, Insight};
use std::sync::Arc;

/// Where an input's bytes can be re-read from.
pub(super) enum Kept<S> {
    Source(S),
    /// Generated demo data, kept in memory.
    Bytes(Arc<[u8]>),
}

/// A load in progress: its builder, its inputs' names and sources, and the
/// memory guard's count.
pub(super) struct Pending<S> {
    builder: DatasetBuilder,
    names: Vec<String>,
    sources: Vec<Option<Kept<S>>>,
    /// Inputs with a merged batch (any part of it).
    merged: Vec<bool>,
    /// Events merged so far (before deduplication).
    events: u64,
    /// The guard was reached: nothing more is merged.
    full: bool,
}

/// The loaded data.
pub(super) struct Loaded<S> {
    pub(super) dataset: Dataset,
    pub(super) report: LoadReport,
    pub(super) sources: Vec<Option<Kept<S>>>,
    pub(super) insights: Vec<Insight>,
}

impl<S: ByteSource> Session<S> {
    pub(super) fn begin(&mut self, names: Vec<String>) -> super::Answer {
        self.stats = LoadStats::default();
        self.pending = Some(Pending {
            builder: DatasetBuilder::new(),
            sources: names.iter().map(|_| None).collect(),
            merged: vec![false; names.len()],
            names,
            events: 0,
            full: false,
        });
        Response::Ok.into()
    }

    pub(super) fn add_batches(&mut self, inputs: &[u32], attached: Attached<S>) -> Response {
        let now = self.host.now_ms;
        let Some(pending) = self.pending.as_mut() else {
            // A late batch of a cancelled load: ignore it.
            return Response::Ok;
        };
        let Some(payload) = attached.payload else {
            return Response::Error("batches missing".into());
        };
        for (&input, source) in inputs.iter().zip(attached.sources) {
            if let (Some(slot), Some(source)) = (pending.sources.get_mut(input as usize), source) {
                *slot = Some(Kept::Source(source));
            }
        }
        let started = now();
        let decoded = bincode::deserialize::<Vec<(String, Batch)>>(&payload);
        drop(payload);
        let decoded_at = now();
        self.stats.decode_ms += decoded_at - started;
        match decoded {
            Ok(batches) => {
                for (name, batch) in batches {
                    pending.add(name, batch);
                }
                self.stats.merge_ms += now() - decoded_at;
                if pending.full {
                    Response::Full
                } else {
                    Response::Ok
                }
            }
            Err(e) => Response::Error(format!("unreadable batches: {e}")),
        }
    }

    pub(super) fn finish_load(&mut self, settings: DetectConfig) -> Response {
        match self.pending.take() {
            Some(pending) => {
                let (builder, sources) = pending.finish();
                let response = self.finish(builder, sources, settings);
                self.with_stats(response)
            }
            None => Response::Error("no load in progress".into()),
        }
    }

    fn finish(
        &mut self,
        builder: DatasetBuilder,
        sources: Vec<Option<Kept<S>>>,
        settings: DetectConfig,
    ) -> Response {
        let started = self.now();
        let (dataset, report) = builder.finish();
        let merged = self.now();
        let detection = engine::detect(&dataset, &settings);
        self.stats.finish_ms = merged - started;
        self.stats.detect_ms = self.now() - merged;
        let loaded = Loaded {
            dataset,
            report,
            sources,
            insights: detection.insights.clone(),
        };
        let response = loaded_response(&loaded, detection, self.now() - started);
        self.loaded = Some(loaded);
        response
    }

    /// Generates the simulator's default data set in memory and loads it.
    pub(super) fn demo(&mut self, settings: DetectConfig) -> Response {
        let generated = generate::generate(&GenerateConfig::default());
        let limits = Limits::default();
        let mut builder = DatasetBuilder::new();
        let mut sources = Vec::with_capacity(generated.files.len());
        for (input, (name, bytes)) in generated.files.into_iter().enumerate() {
            builder.add(
                name.clone(),
                ingest::parse_bytes(input as u32, &name, &bytes, &limits),
            );
            sources.push(Some(Kept::Bytes(Arc::from(bytes))));
        }
        self.pending = None;
        self.stats = LoadStats::default();
        let response = self.finish(builder, sources, settings);
        self.with_stats(response)
    }
}

impl<S> Pending<S> {
    /// Merges one batch, unless it would pass the memory guard (then it is
    /// dropped, and its input is listed as not read at `finish`).
    fn add(&mut self, name: String, batch: Batch) {
        let n = batch.events.len() as u64;
        if self.full || self.events.saturating_add(n) > BROWSER_MAX_EVENTS {
            self.full = true;
            let input = batch.input;
            drop(batch);
            self.mark(input);
            let batch = ingest::not_read_batch(input, &name, BROWSER_MAX_EVENTS);
            self.builder.add(name, batch);
            return;
        }
        self.events += n;
        self.mark(batch.input);
        let mut batch = batch;
        if batch.report.max_events_reached.is_some() {
            // The parse request's share of the budget stopped it: the load's.
            self.full = true;
            batch.report.max_events_reached = Some(BROWSER_MAX_EVENTS);
        }
        self.builder.add(name, batch);
    }

    fn mark(&mut self, input: u32) {
        if let Some(m) = self.merged.get_mut(input as usize) {
            *m = true;
        }
    }

    /// The builder with every input that has no merged batch listed as not read.
    fn finish(mut self) -> (DatasetBuilder, Vec<Option<Kept<S>>>) {
        for (i, name) in self.names.iter().enumerate() {
            if !self.merged.get(i).copied().unwrap_or(true) {
                let batch = ingest::not_read_batch(i as u32, name, BROWSER_MAX_EVENTS);
                self.builder.add(name.clone(), batch);
            }
        }
        (self.builder, self.sources)
    }
}

pub(super) fn loaded_response<S>(
    loaded: &Loaded<S>,
    detection: Detection,
    analysis_ms: f64,
) -> Response {
    let r = &loaded.report;
    let mut bad_reasons = r.bad_reasons.clone();
    bad_reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let summary = LoadSummary {
        files_seen: r.files_seen,
        files: r.files,
        records: r.records,
        events: r.events,
        duplicates: r.duplicates,
        bad_records: r.bad_records,
        bytes_read: r.bytes_read,
        first_event_ms: r.first_event_ms,
        last_event_ms: r.last_event_ms,
        accounts: r.accounts.clone(),
        regions: r.regions.clone(),
        baseline_days: detection.summary.max_baseline_days,
        skipped_files: r.skipped_files.clone(),
        not_read: r.not_read,
        memory_note: ingest::guard_message(
            r,
            "The browser tab",
            "load fewer days, or use the command line (trailsight stats / detect)",
        ),
        bad_reasons,
        bad_record_samples: r.bad_record_samples.clone(),
        aws_insights: r.aws_insight_records as u32,
        aggregated_events: r.aggregated_event_records,
        coverage: detection.summary.coverage.clone(),
        series_tested: detection.summary.series_tested,
        activity: Activity::from_minutes(
            loaded.dataset.events.records().iter().map(|r| r.minute()),
        ),
        analysis_ms,
        pairing: engine::pairing::pairing(&detection.insights, &loaded.dataset.aws_insights),
        from_counts: None,
        load_stats: LoadStats::default(),
    };
    Response::Loaded {
        summary: Box::new(summary),
        insights: detection.insights,
    }
}
