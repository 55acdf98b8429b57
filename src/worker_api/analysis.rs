//! The analysis role: holds the merged [`Dataset`], runs detection, answers
//! the details page's queries and builds exports.
//!
//! It also keeps the browser's memory guard: a load keeps at most
//! [`BROWSER_MAX_EVENTS`] events. A batch that would pass it is not merged;
//! the page is told ([`Response::Full`]) and stops parsing; at `Finish`
//! every input without a merged batch is listed as not read, and the rest
//! loads and works as usual.

use super::export;
use super::file_reader::FileSource;
use super::now_ms;
use super::protocol::{
    Activity, DetectSettings, LoadStats, LoadSummary, Request, Response, BROWSER_MAX_EVENTS,
};
use crate::engine::{self, DetectConfig, Detection};
use crate::generate::{self, GenerateConfig};
use crate::ingest::{self, Batch, DatasetBuilder, Limits, LoadReport};
use crate::model::{Dataset, Insight};
use std::io::Cursor;
use wasm_bindgen::{JsCast, JsValue};

/// The longest graph span one query may ask for (about 70 days of minutes),
/// so a bad request cannot build a huge answer.
const MAX_SERIES_MINUTES: u64 = 100_000;
/// The largest page of events one query may ask for.
const MAX_EVENTS_PAGE: u32 = 1_000;

/// The most bursts one query may ask for.
const MAX_BURSTS: u32 = 500;

/// Where an input's bytes can be re-read from.
enum Source {
    File(web_sys::File),
    /// Generated demo data, kept in memory.
    Bytes(Vec<u8>),
}

/// A load in progress: its builder, its inputs' names and files, and the
/// memory guard's count.
struct Pending {
    builder: DatasetBuilder,
    names: Vec<String>,
    sources: Vec<Option<Source>>,
    /// Inputs with a merged batch (any part of it).
    merged: Vec<bool>,
    /// Events merged so far (before deduplication).
    events: u64,
    /// The guard was reached: nothing more is merged.
    full: bool,
}

/// The loaded data; replaced only when a new load finishes.
struct Loaded {
    dataset: Dataset,
    report: LoadReport,
    sources: Vec<Option<Source>>,
    insights: Vec<Insight>,
}

#[derive(Default)]
pub struct Analysis {
    /// The load in progress, if any.
    pending: Option<Pending>,
    loaded: Option<Loaded>,
    /// A counts session ([`super::counts_session`]): when set, it answers the data queries.
    counts: Option<super::counts_session::CountsSession>,
    /// Where the load in progress (or the last one) spent its time.
    stats: LoadStats,
}

impl Analysis {
    /// Answers one request; the optional attachment goes back with the answer.
    pub fn handle(
        &mut self,
        _id: u64,
        request: Request,
        attachments: Vec<JsValue>,
    ) -> (Response, Option<js_sys::Uint8Array>) {
        if let Some(answer) =
            super::counts_session::handle(&mut self.counts, &request, &attachments)
        {
            if matches!(request, Request::LoadTables { .. }) && self.counts.is_some() {
                // A counts session replaces the loaded logs (and frees their memory).
                self.loaded = None;
                self.pending = None;
            }
            return answer;
        }
        let response = match request {
            Request::Begin { names } => {
                self.stats = LoadStats::default();
                self.pending = Some(Pending {
                    builder: DatasetBuilder::new(),
                    sources: names.iter().map(|_| None).collect(),
                    merged: vec![false; names.len()],
                    names,
                    events: 0,
                    full: false,
                });
                Response::Ok
            }
            Request::AddBatches { inputs } => self.add_batches(&inputs, attachments),
            Request::Finish { settings } => match self.pending.take() {
                Some(pending) => {
                    let (builder, sources) = pending.finish();
                    let response = self.finish(builder, sources, settings);
                    with_stats(response, &self.stats)
                }
                None => Response::Error("no load in progress".into()),
            },
            Request::Abort => {
                self.pending = None;
                Response::Ok
            }
            Request::Demo { settings } => self.demo(settings),
            Request::Detect { settings } => match self.loaded.as_mut() {
                Some(loaded) => {
                    let started = now_ms();
                    let detection = engine::detect(&loaded.dataset, &config(settings));
                    loaded.insights = detection.insights.clone();
                    let response = loaded_response(loaded, detection, now_ms() - started);
                    with_stats(response, &self.stats)
                }
                None => Response::Error("no data loaded".into()),
            },
            Request::Series { key, range } => match &self.loaded {
                Some(l) => {
                    let range = range.truncated(MAX_SERIES_MINUTES);
                    Response::Series(engine::minute_series(&l.dataset, &key, range))
                }
                None => Response::Error("no data loaded".into()),
            },
            Request::Events {
                key,
                range,
                offset,
                limit,
            } => match &self.loaded {
                Some(l) => {
                    let indexes = engine::events_in_window(&l.dataset, key.as_ref(), range);
                    let rows = indexes
                        .iter()
                        .skip(offset as usize)
                        .take(limit.min(MAX_EVENTS_PAGE) as usize)
                        .filter_map(|&i| l.dataset.row(i as usize))
                        .collect();
                    Response::Events {
                        rows,
                        total: indexes.len() as u32,
                    }
                }
                None => Response::Error("no data loaded".into()),
            },
            Request::EventJson { index } => match &self.loaded {
                Some(l) => match event_json(l, index) {
                    Ok(json) => Response::EventJson(json),
                    Err(e) => Response::Error(e),
                },
                None => Response::Error("no data loaded".into()),
            },
            Request::Export { kind } => {
                let insights = self
                    .loaded
                    .as_ref()
                    .map(|l| l.insights.as_slice())
                    .unwrap_or(&[]);
                return match export::build(kind, insights) {
                    Ok((file_name, mime, bytes)) => (
                        Response::Exported { file_name, mime },
                        Some(js_sys::Uint8Array::from(bytes.as_slice())),
                    ),
                    Err(e) => (Response::Error(e), None),
                };
            }
            Request::Parse { .. } => Response::Error("parse requests go to a parse worker".into()),
            Request::Bursts { settings, limit } => match &self.loaded {
                Some(l) => Response::Bursts(engine::bursts::bursts(
                    &l.dataset,
                    &config(settings),
                    limit.min(MAX_BURSTS) as usize,
                )),
                None => Response::Error("no data loaded".into()),
            },
            // Answered by the counts session above.
            Request::LoadTables { .. } => Response::Error("not a counts load".into()),
            Request::Overview { .. } | Request::FilteredEvents { .. } => {
                self.overview_query(request)
            }
            Request::PageStats(page) => {
                self.stats.parse_workers = page.parse_workers;
                self.stats.parse = page.parse;
                self.stats.reading_ms = page.reading_ms;
                Response::Ok
            }
        };
        (response, None)
    }

    fn add_batches(&mut self, inputs: &[u32], attachments: Vec<JsValue>) -> Response {
        let Some(pending) = self.pending.as_mut() else {
            // A late batch of a cancelled load: ignore it.
            return Response::Ok;
        };
        let sources = &mut pending.sources;
        let Some(payload) = attachments.first() else {
            return Response::Error("batches missing".into());
        };
        for (&input, file) in inputs.iter().zip(attachments.iter().skip(1)) {
            if let (Some(slot), Some(file)) = (
                sources.get_mut(input as usize),
                file.dyn_ref::<web_sys::File>(),
            ) {
                *slot = Some(Source::File(file.clone()));
            }
        }
        let started = now_ms();
        let bytes = js_sys::Uint8Array::new(payload).to_vec();
        let decoded = bincode::deserialize::<Vec<(String, Batch)>>(&bytes);
        drop(bytes);
        let decoded_at = now_ms();
        self.stats.decode_ms += decoded_at - started;
        match decoded {
            Ok(batches) => {
                for (name, batch) in batches {
                    pending.add(name, batch);
                }
                self.stats.merge_ms += now_ms() - decoded_at;
                if pending.full {
                    Response::Full
                } else {
                    Response::Ok
                }
            }
            Err(e) => Response::Error(format!("unreadable batches: {e}")),
        }
    }

    fn finish(
        &mut self,
        builder: DatasetBuilder,
        sources: Vec<Option<Source>>,
        settings: DetectSettings,
    ) -> Response {
        let started = now_ms();
        let (dataset, report) = builder.finish();
        let merged = now_ms();
        let detection = engine::detect(&dataset, &config(settings));
        self.stats.finish_ms = merged - started;
        self.stats.detect_ms = now_ms() - merged;
        let loaded = Loaded {
            dataset,
            report,
            sources,
            insights: detection.insights.clone(),
        };
        let response = loaded_response(&loaded, detection, now_ms() - started);
        self.loaded = Some(loaded);
        response
    }

    /// Generates the simulator's default data set in memory and loads it.
    fn demo(&mut self, settings: DetectSettings) -> Response {
        let generated = generate::generate(&GenerateConfig::default());
        let limits = Limits::default();
        let mut builder = DatasetBuilder::new();
        let mut sources = Vec::with_capacity(generated.files.len());
        for (input, (name, bytes)) in generated.files.into_iter().enumerate() {
            builder.add(
                name.clone(),
                ingest::parse_bytes(input as u32, &name, &bytes, &limits),
            );
            sources.push(Some(Source::Bytes(bytes)));
        }
        self.pending = None;
        self.stats = LoadStats::default();
        let response = self.finish(builder, sources, settings);
        with_stats(response, &self.stats)
    }
}

impl Analysis {
    /// The Overview page's and the standalone events view's queries.
    fn overview_query(&self, request: Request) -> Response {
        use crate::engine::overview;
        let Some(l) = &self.loaded else {
            return Response::Error("no data loaded".into());
        };
        match request {
            Request::Overview { filter } => {
                Response::Overview(Box::new(overview::overview(&l.dataset, &filter)))
            }
            Request::FilteredEvents {
                filter,
                offset,
                limit,
            } => {
                let limit = limit.min(MAX_EVENTS_PAGE);
                let (rows, total) = overview::events_page(&l.dataset, &filter, offset, limit);
                Response::Events { rows, total }
            }
            _ => Response::Error("not an overview query".into()),
        }
    }
}

impl Pending {
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
    fn finish(mut self) -> (DatasetBuilder, Vec<Option<Source>>) {
        for (i, name) in self.names.iter().enumerate() {
            if !self.merged.get(i).copied().unwrap_or(true) {
                let batch = ingest::not_read_batch(i as u32, name, BROWSER_MAX_EVENTS);
                self.builder.add(name.clone(), batch);
            }
        }
        (self.builder, self.sources)
    }
}

fn config(settings: DetectSettings) -> DetectConfig {
    DetectConfig {
        call_rate: settings.call_rate,
        error_rate: settings.error_rate,
        include_read_calls: settings.read_volume,
        include_data_events: settings.data_events,
    }
}

fn loaded_response(loaded: &Loaded, detection: Detection, analysis_ms: f64) -> Response {
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

fn event_json(loaded: &Loaded, index: u32) -> Result<String, String> {
    let event = loaded
        .dataset
        .events
        .get(index as usize)
        .ok_or("no such event")?;
    let input = event.origin.input as usize;
    let name = loaded
        .dataset
        .inputs
        .get(input)
        .map(String::as_str)
        .unwrap_or("input");
    let limits = Limits::default();
    match loaded.sources.get(input).and_then(Option::as_ref) {
        Some(Source::File(file)) => {
            let source = FileSource::new(file.clone()).map_err(|e| e.to_string())?;
            ingest::read_event_json(source, name, &event.origin, &limits).map_err(|e| e.to_string())
        }
        Some(Source::Bytes(bytes)) => {
            ingest::read_event_json(Cursor::new(bytes.as_slice()), name, &event.origin, &limits)
                .map_err(|e| e.to_string())
        }
        None => Err("the file of this event is no longer available".into()),
    }
}

/// `response` (a `Loaded`) with the load's `stats` and the worker's memory now.
fn with_stats(mut response: Response, stats: &LoadStats) -> Response {
    if let Response::Loaded { summary, .. } = &mut response {
        summary.load_stats = LoadStats {
            worker_memory_bytes: wasm_memory_bytes(),
            ..stats.clone()
        };
    }
    response
}

/// This worker's wasm memory (`memory.buffer.byteLength`): it only grows,
/// so after a load it is the load's peak.
fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as u64)
                .unwrap_or(0)
        })
        .unwrap_or(0)
}
