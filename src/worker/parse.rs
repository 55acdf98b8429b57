//! The parse role's web part: fetch the attached `File`s (small ones whole
//! and at once, large ones in slices), post progress while reading, and
//! post the answer of [`crate::session::parse`] (which does the parsing)
//! with the batches as a transferred attachment.

use super::file_reader::FileSource;
use super::{now_ms, post};
use crate::session::parse::{parse_inputs, parsed, InputBytes, ParseProgress};
use crate::session::protocol::{ParseInput, ParseTimings, Response};
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
    let progress = ProgressPoster::new(id);
    let mut files: Vec<Option<web_sys::File>> =
        files.into_iter().map(|f| f.dyn_into().ok()).collect();
    let bytes_of = |n: usize, _: &ParseInput| {
        let whole = prefetched.get_mut(n).and_then(Option::take);
        match (files.get_mut(n).and_then(Option::take), whole) {
            (Some(_), Some(bytes)) => InputBytes::Whole(bytes),
            (Some(file), None) => {
                let on_fetch = {
                    let (progress, streamed) = (progress.clone(), streamed_ms.clone());
                    move |fetched: u64, ms: f64| {
                        streamed.set(streamed.get() + ms);
                        progress.advance(fetched, n)
                    }
                };
                match FileSource::new(file) {
                    Ok(source) => InputBytes::Stream(source.on_fetch(on_fetch)),
                    Err(e) => InputBytes::Unreadable(format!("cannot read the file: {e}")),
                }
            }
            (None, _) => InputBytes::Unreadable("not a file".into()),
        }
    };
    let batches = parse_inputs(inputs, max_events, &progress.done, bytes_of, |n| {
        progress.advance(0, n)
    });
    let parsed_at = now_ms();
    timings.parse_ms = parsed_at - started - streamed_ms.get();
    timings.read_ms += streamed_ms.get();
    let answer = parsed(inputs, &batches, &progress.done);
    drop(batches);
    timings.encode_ms = now_ms() - parsed_at;
    post(id, &Response::ParseStats(timings), None);
    let payload = answer
        .attachment
        .map(|bytes| js_sys::Uint8Array::from(bytes.as_slice()));
    post(id, &answer.response, payload.as_ref());
}

/// Bytes and events of one parse request so far, posted to the page as
/// `Response::Progress` at most every `PROGRESS_EVERY_MS`, so progress stays live
/// without flooding the page with messages.
#[derive(Clone)]
struct ProgressPoster {
    id: u64,
    done: Rc<ParseProgress>,
    last_post: Rc<Cell<f64>>,
}

impl ProgressPoster {
    fn new(id: u64) -> Self {
        ProgressPoster {
            id,
            done: Rc::new(ParseProgress::default()),
            last_post: Rc::new(Cell::new(now_ms())),
        }
    }

    /// Counts `bytes` more as read (of the `n`-th file) and posts if it is time.
    fn advance(&self, bytes: u64, n: usize) {
        self.done.add_bytes(bytes);
        if now_ms() - self.last_post.get() >= PROGRESS_EVERY_MS {
            self.last_post.set(now_ms());
            let body = Response::Progress {
                bytes: self.done.bytes.get(),
                files: n as u32,
                events: self.done.events.get(),
            };
            post(self.id, &body, None);
        }
    }
}
