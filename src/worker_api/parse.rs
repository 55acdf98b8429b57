//! The parse role: read each attached `File` in slices and parse it with
//! [`crate::ingest::parse_reader`]; report progress while reading; answer with
//! the bincode of `Vec<(name, Batch)>` as a transferred attachment.

use super::file_reader::FileSource;
use super::protocol::{ParseInput, ParseTimings, Response};
use super::{now_ms, post};
use crate::ingest::{self, Batch, Limits, LoadReport};
use crate::model::SkippedFile;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// Minimum time between two progress messages.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// Files up to this size are fetched whole, all of a request's at once:
/// each read of a `File` is a round trip to the browser's blob store, so
/// thousands of small delivery files read one by one spend most of their
/// time waiting. Larger files (archives) are streamed in slices instead.
const PREFETCH_MAX_BYTES: f64 = 16.0 * 1024.0 * 1024.0;
/// Most bytes prefetched for one request; the rest is streamed.
const PREFETCH_BUDGET_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// Parses the attached files; `max_events` is what is left of the load's
/// memory guard: once this request's batches hold it, the inputs not yet
/// read are listed as not read.
pub fn parse(id: u64, inputs: Vec<ParseInput>, max_events: u64, files: Vec<JsValue>) {
    wasm_bindgen_futures::spawn_local(async move {
        let started = now_ms();
        let prefetched = prefetch(&inputs, &files).await;
        let timings = ParseTimings {
            read_ms: now_ms() - started,
            requests: 1,
            ..ParseTimings::default()
        };
        parse_all(id, &inputs, files, prefetched, max_events, timings);
    });
}

/// Starts every small file's read at once and waits for all of them.
async fn prefetch(inputs: &[ParseInput], files: &[JsValue]) -> Vec<Option<Vec<u8>>> {
    let promises = js_sys::Array::new();
    // Bounds the memory of one request's prefetched files.
    let mut budget = PREFETCH_BUDGET_BYTES;
    for (input, f) in inputs.iter().zip(files) {
        let size = f
            .dyn_ref::<web_sys::File>()
            .map(|f| f.size())
            .unwrap_or(f64::MAX);
        match f.dyn_ref::<web_sys::File>() {
            Some(file) if size <= PREFETCH_MAX_BYTES && size <= budget && input.parts <= 1 => {
                budget -= size;
                promises.push(&file.array_buffer())
            }
            _ => promises.push(&JsValue::NULL),
        };
    }
    let Ok(buffers) = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&promises)).await
    else {
        // A read failed: fall back to reading each file synchronously.
        return vec![None; files.len()];
    };
    let buffers: js_sys::Array = buffers.unchecked_into();
    buffers
        .iter()
        .map(|b| {
            b.dyn_into::<js_sys::ArrayBuffer>()
                .ok()
                .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        })
        .collect()
}

fn parse_all(
    id: u64,
    inputs: &[ParseInput],
    files: Vec<JsValue>,
    mut prefetched: Vec<Option<Vec<u8>>>,
    max_events: u64,
    mut timings: ParseTimings,
) {
    let started = now_ms();
    // Time spent fetching slices of streamed (large) files: reading, not parsing.
    let streamed_ms = Rc::new(Cell::new(0.0));
    let mut limits = Limits::default();
    let progress = ProgressPoster::new(id);
    let (bytes_done, events) = (progress.bytes_done.clone(), progress.events.clone());
    let mut batches: Vec<(String, Batch)> = Vec::with_capacity(inputs.len());
    for (n, (input, file)) in inputs.iter().zip(files).enumerate() {
        let whole = prefetched.get_mut(n).and_then(Option::take);
        limits.max_events = max_events.saturating_sub(events.get());
        let batch = match file.dyn_into::<web_sys::File>() {
            _ if limits.max_events == 0 => {
                ingest::not_read_batch(input.input, &input.name, max_events)
            }
            Ok(_) if whole.is_some() => {
                let bytes = whole.unwrap_or_default();
                let batch = ingest::parse_bytes(input.input, &input.name, &bytes, &limits);
                progress.advance(bytes.len() as u64, n as u32);
                batch
            }
            Ok(file) => {
                let size = file.size() as u64;
                let before = bytes_done.get();
                let on_fetch = {
                    let (progress, streamed) = (progress.clone(), streamed_ms.clone());
                    move |fetched: u64, ms: f64| {
                        streamed.set(streamed.get() + ms);
                        progress.advance(fetched, n as u32)
                    }
                };
                let batch = match FileSource::new(file) {
                    Ok(source) => ingest::parse_reader_part(
                        input.input,
                        &input.name,
                        source.on_fetch(on_fetch),
                        &limits,
                        input.part,
                        input.parts,
                    ),
                    Err(e) => skipped(input, &format!("cannot read the file: {e}")),
                };
                // Count the whole file as done even if the parser stopped early.
                bytes_done.set(before + size / u64::from(input.parts.max(1)));
                batch
            }
            Err(_) => skipped(input, "not a file"),
        };
        events.set(events.get() + batch.events.len() as u64);
        batches.push((input.name.clone(), batch));
    }
    let parsed_at = now_ms();
    timings.parse_ms = parsed_at - started - streamed_ms.get();
    timings.read_ms += streamed_ms.get();
    let encoded = bincode::serialize(&batches);
    timings.encode_ms = now_ms() - parsed_at;
    post(id, &Response::ParseStats(timings), None);
    // A part of a shared archive is not a file of its own: count part 0 only.
    let body = Response::Parsed {
        files: inputs.iter().filter(|i| i.part == 0).count() as u32,
        bytes: bytes_done.get(),
        events: events.get(),
    };
    match encoded {
        Ok(payload) => post(
            id,
            &body,
            Some(&js_sys::Uint8Array::from(payload.as_slice())),
        ),
        Err(e) => post(
            id,
            &Response::Error(format!("cannot encode the parsed batches: {e}")),
            None,
        ),
    }
}

/// Bytes and events of one parse request so far, posted to the page as
/// `Response::Progress` at most every `PROGRESS_EVERY_MS`, so progress stays live
/// without flooding the page with messages.
#[derive(Clone)]
struct ProgressPoster {
    id: u64,
    bytes_done: Rc<Cell<u64>>,
    events: Rc<Cell<u64>>,
    last_post: Rc<Cell<f64>>,
}

impl ProgressPoster {
    fn new(id: u64) -> Self {
        ProgressPoster {
            id,
            bytes_done: Rc::new(Cell::new(0)),
            events: Rc::new(Cell::new(0)),
            last_post: Rc::new(Cell::new(now_ms())),
        }
    }

    /// Counts `bytes` more as read (of the `files`-th file) and posts if it is time.
    fn advance(&self, bytes: u64, files: u32) {
        self.bytes_done.set(self.bytes_done.get() + bytes);
        if now_ms() - self.last_post.get() >= PROGRESS_EVERY_MS {
            self.last_post.set(now_ms());
            let body = Response::Progress {
                bytes: self.bytes_done.get(),
                files,
                events: self.events.get(),
            };
            post(self.id, &body, None);
        }
    }
}

/// The batch of an input that could not be read at all.
fn skipped(input: &ParseInput, reason: &str) -> Batch {
    Batch {
        input: input.input,
        report: LoadReport {
            files_seen: 1,
            skipped_files: vec![SkippedFile {
                path: input.name.clone(),
                reason: reason.to_string(),
            }],
            ..LoadReport::default()
        },
        ..Batch::default()
    }
}
