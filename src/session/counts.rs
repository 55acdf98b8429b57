//! The counts session: the loaded data is per-minute counts
//! (and, once dropped, attributions) from a SQL engine or `trailsight counts`,
//! not events ("Beyond one machine"). The session answers what the details
//! page asks (detection with other settings, the graph's series, exports)
//! from the counts with the core's [`engine::detect_counts`] and
//! [`counts::dashboard::minute_series`]; the events are not here, so event
//! queries are refused with what to do instead.
//!
//! Bad files are listed as skipped with the file, the line (or row group and
//! row) and the reason, like bad logs.

use super::protocol::{CountsSource, LoadSummary, Request, Response};
use super::{Activity, Answer, ByteSource, Session};
use crate::counts::dashboard::{minute_series, table_kind, CountsOverview, TableKind};
use crate::counts::{AttributionTable, CountsBuilder, CountsTable};
use crate::engine::{self, DetectConfig};
use crate::model::{Insight, SkippedFile};
use std::io::Read as _;

/// What the events tab and the events queries are told in a counts session.
pub const NO_EVENTS: &str = "Loaded from per-minute counts: the events are not here (trailsight sql events gives the query for them).";

/// A loaded counts session.
pub(super) struct CountsSession {
    counts: CountsTable,
    /// `None` until an attributions file is read.
    attributions: Option<AttributionTable>,
    source: CountsSource,
    skipped: Vec<SkippedFile>,
    bytes_read: u64,
    files_seen: u64,
    insights: Vec<Insight>,
}

impl<S: ByteSource> Session<S> {
    /// The answer of the counts session to a data query, or `None` when the
    /// request is not one (the log path answers it).
    pub(super) fn counts_query(&mut self, request: &Request) -> Option<Answer> {
        let now = self.host.now_ms;
        let s = self.counts.as_mut()?;
        let response = match request {
            Request::Detect { settings } => s.detect(*settings, 0.0, now),
            Request::Series { key, range } => {
                let range = range.truncated(super::queries::MAX_SERIES_MINUTES);
                Response::Series(minute_series(&s.counts, key, range))
            }
            Request::Events { .. } | Request::EventJson { .. } => Response::Error(NO_EVENTS.into()),
            Request::Export { kind } => return Some(super::queries::export(*kind, &s.insights)),
            _ => return None,
        };
        Some(response.into())
    }

    /// Loads counts and attributions files: counts replace the loaded data
    /// (and free its memory); attributions alone join the counts session.
    pub(super) fn load_tables(
        &mut self,
        names: &[String],
        others: &[String],
        settings: DetectConfig,
        sources: Vec<Option<S>>,
    ) -> Answer {
        let response = load(
            &mut self.counts,
            names,
            others,
            settings,
            &sources,
            self.host.now_ms,
        );
        if self.counts.is_some() {
            self.loaded = None;
            self.pending = None;
        }
        response.into()
    }
}

/// Reads the whole of a source.
fn source_bytes<S: ByteSource>(source: &S) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    source
        .open()
        .and_then(|mut r| r.read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read the file: {e}"))?;
    Ok(bytes)
}

/// The files of one drop, read and sorted by table.
#[derive(Default)]
struct Read {
    counts: Option<CountsBuilder>,
    counts_files: Vec<String>,
    attributions: Option<AttributionTable>,
    attribution_files: Vec<String>,
    skipped: Vec<SkippedFile>,
    bytes: u64,
}

impl Read {
    fn skip(&mut self, path: &str, reason: String) {
        self.skipped.push(SkippedFile {
            path: path.to_string(),
            reason,
        });
    }

    fn add(&mut self, name: &str, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        // The file's own place and reason (e.g. "line 7: ...").
        let reason = |e: crate::counts::FileError| {
            if e.place.is_empty() {
                e.reason
            } else {
                format!("{}: {}", e.place, e.reason)
            }
        };
        let result = match table_kind(name, bytes) {
            Err(e) => Err(e),
            Ok(TableKind::Counts) => {
                let b = self.counts.get_or_insert_with(CountsBuilder::default);
                b.read_file(name, bytes)
                    .map(|()| self.counts_files.push(name.to_string()))
            }
            Ok(TableKind::Attributions) => {
                let t = self
                    .attributions
                    .get_or_insert_with(AttributionTable::default);
                t.read_file(name, bytes)
                    .map(|()| self.attribution_files.push(name.to_string()))
            }
        };
        if let Err(e) = result {
            self.skip(name, reason(e));
        }
    }
}

fn load<S: ByteSource>(
    session: &mut Option<CountsSession>,
    names: &[String],
    others: &[String],
    settings: DetectConfig,
    sources: &[Option<S>],
    now: fn() -> f64,
) -> Response {
    let started = now();
    let mut read = Read::default();
    for (i, name) in names.iter().enumerate() {
        match sources.get(i).map(|s| s.as_ref().map(source_bytes)) {
            Some(Some(Ok(bytes))) => read.add(name, &bytes),
            Some(Some(Err(e))) => read.skip(name, e),
            Some(None) => read.skip(name, "not a file".into()),
            None => read.skip(name, "the file was not sent".into()),
        }
    }
    for name in others {
        read.skip(
            name,
            "not read: a counts load reads only per-minute counts and attributions files (load logs on their own)".into(),
        );
    }
    let files_seen = (names.len() + others.len()) as u64;
    let next = match (read.counts.take(), session.take()) {
        // New counts: a new session (with this drop's attributions, if any).
        (Some(builder), _) => CountsSession {
            counts: builder.finish(),
            attributions: read.attributions.take(),
            source: CountsSource {
                counts_files: std::mem::take(&mut read.counts_files),
                attribution_files: std::mem::take(&mut read.attribution_files),
                ..CountsSource::default()
            },
            skipped: std::mem::take(&mut read.skipped),
            bytes_read: read.bytes,
            files_seen,
            insights: Vec::new(),
        },
        // Attributions for the loaded counts.
        (None, Some(mut s)) => {
            if let Some(t) = read.attributions.take() {
                merge(s.attributions.get_or_insert_with(Default::default), t);
            }
            s.source
                .attribution_files
                .append(&mut read.attribution_files);
            s.skipped.append(&mut read.skipped);
            s.bytes_read += read.bytes;
            s.files_seen += files_seen;
            s
        }
        (None, None) => {
            return Response::Error(
                "Attributions belong to Insights found on counts: drop the per-minute counts file first (or together with the attributions).".into(),
            );
        }
    };
    let s = session.insert(next);
    s.detect(settings, now() - started, now)
}

/// Adds the rows of `from` to `into` (a second attributions file of the same Insights).
fn merge(into: &mut AttributionTable, from: AttributionTable) {
    if into.is_empty() {
        *into = from;
        return;
    }
    let ids: Vec<String> = from.ids().map(str::to_string).collect();
    for id in ids {
        if let Some(periods) = from.get(&id) {
            for (p, counts) in periods.iter().enumerate() {
                for (a, values) in counts.values.iter().enumerate() {
                    for (value, &n) in values {
                        into.add(&id, p, a, value, n);
                    }
                }
            }
        }
    }
}

impl CountsSession {
    /// Detects on the counts (with the attributions when there are some).
    fn detect(&mut self, settings: DetectConfig, load_ms: f64, now: fn() -> f64) -> Response {
        let started = now();
        let det = engine::detect_counts(&self.counts, self.attributions.as_ref(), &settings);
        self.insights = det.insights.clone();
        self.source.count_rows = self.counts.rows.len() as u64;
        self.source.attributed = if self.attributions.is_some() {
            (det.insights.len() as u64).saturating_sub(det.summary.insights_without_attributions)
        } else {
            0
        };
        let o = CountsOverview::of(&self.counts);
        let ms = |m: Option<i64>| m.map(|m| m.saturating_mul(60_000));
        let summary = LoadSummary {
            files_seen: self.files_seen,
            files: (self.source.counts_files.len() + self.source.attribution_files.len()) as u64,
            records: self.counts.total_events(),
            events: self.counts.total_events(),
            bytes_read: self.bytes_read,
            first_event_ms: ms(o.first_minute),
            last_event_ms: ms(o.last_minute),
            accounts: o.accounts,
            regions: o.regions,
            baseline_days: det.summary.max_baseline_days,
            skipped_files: self.skipped.clone(),
            coverage: det.summary.coverage.clone(),
            series_tested: det.summary.series_tested,
            activity: Activity::from_minute_counts(&o.per_minute),
            analysis_ms: load_ms + (now() - started),
            from_counts: Some(self.source.clone()),
            ..LoadSummary::default()
        };
        Response::Loaded {
            summary: Box::new(summary),
            insights: det.insights,
        }
    }
}
