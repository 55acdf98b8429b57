//! The summary's load details: where the last load's time went (reading
//! files, inflating and parsing, encoding, merging, detection) and how much
//! memory the analysis worker holds, with bytes per event. The figures are
//! also data attributes on `#load-details`, which `tests/e2e/scale.mjs` reads.

use super::format::{self, group_thousands};
use crate::session::protocol::{LoadStats, LoadSummary};
use leptos::prelude::*;

/// Bytes of the analysis worker's heap per loaded event (0 without events).
pub fn bytes_per_event(stats: &LoadStats, events: u64) -> u64 {
    stats.worker_memory_bytes.checked_div(events).unwrap_or(0)
}

/// The rows of the details table: (label, value).
fn rows(s: &LoadSummary) -> Vec<(&'static str, String)> {
    let t = &s.load_stats;
    let per_worker = |ms: f64| {
        let n = f64::from(t.parse_workers.max(1));
        format!(
            "{} ({} per worker)",
            format::millis(ms),
            format::millis(ms / n)
        )
    };
    vec![
        (
            "Parse workers",
            format!("{}, {} requests", t.parse_workers, t.parse.requests),
        ),
        ("Reading files", per_worker(t.parse.read_ms)),
        ("Inflating and parsing", per_worker(t.parse.parse_ms)),
        ("Encoding batches", per_worker(t.parse.encode_ms)),
        ("Reading phase (wall)", format::millis(t.reading_ms)),
        (
            "Decoding batches (analysis worker)",
            format::millis(t.decode_ms),
        ),
        ("Merging batches while reading", format::millis(t.merge_ms)),
        ("Final merge (dedup, sort)", format::millis(t.finish_ms)),
        ("Detection", format::millis(t.detect_ms)),
        (
            "Analysis worker memory",
            format!(
                "events held in {}, {} bytes per event ({} events)",
                format::bytes(t.worker_memory_bytes),
                bytes_per_event(t, s.events),
                group_thousands(s.events as i64),
            ),
        ),
    ]
}

#[component]
pub fn LoadDetails(summary: LoadSummary) -> impl IntoView {
    let t = summary.load_stats.clone();
    let items = rows(&summary)
        .into_iter()
        .map(|(label, value)| {
            view! {
                <div class="ts-summary__item">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <details
            class="ts-load-details"
            id="load-details"
            data-worker-memory=t.worker_memory_bytes.to_string()
            data-bytes-per-event=bytes_per_event(&t, summary.events).to_string()
            data-parse-workers=t.parse_workers.to_string()
            data-read-ms=t.parse.read_ms.round().to_string()
            data-parse-ms=t.parse.parse_ms.round().to_string()
            data-encode-ms=t.parse.encode_ms.round().to_string()
            data-reading-ms=t.reading_ms.round().to_string()
            data-decode-ms=t.decode_ms.round().to_string()
            data-merge-ms=t.merge_ms.round().to_string()
            data-finish-ms=t.finish_ms.round().to_string()
            data-detect-ms=t.detect_ms.round().to_string()
        >
            <summary>"Load details"</summary>
            <dl class="ts-summary__list">{items}</dl>
        </details>
    }
}
