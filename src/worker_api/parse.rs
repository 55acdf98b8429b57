//! The parse role: read each attached `File` in slices and parse it with
//! [`crate::ingest::parse_reader`]; report progress while reading; answer with
//! the bincode of `Vec<(name, Batch)>` as a transferred attachment.

use super::file_reader::FileSource;
use super::protocol::{ParseInput, Response};
use super::{now_ms, post};
use crate::ingest::{self, Batch, Limits, LoadReport};
use crate::model::SkippedFile;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// Minimum time between two progress messages.
const PROGRESS_EVERY_MS: f64 = 50.0;

pub fn parse(id: u64, inputs: &[ParseInput], files: Vec<JsValue>) {
    let limits = Limits::default();
    let bytes_done = Rc::new(Cell::new(0u64));
    let events = Rc::new(Cell::new(0u64));
    let last_post = Rc::new(Cell::new(now_ms()));
    let mut batches: Vec<(String, Batch)> = Vec::with_capacity(inputs.len());
    for (n, (input, file)) in inputs.iter().zip(files).enumerate() {
        let batch = match file.dyn_into::<web_sys::File>() {
            Ok(file) => {
                let size = file.size() as u64;
                let before = bytes_done.get();
                let progress = {
                    let (bytes_done, events, last_post) = (bytes_done.clone(), events.clone(), last_post.clone());
                    move |fetched: u64| {
                        bytes_done.set(bytes_done.get() + fetched);
                        if now_ms() - last_post.get() >= PROGRESS_EVERY_MS {
                            last_post.set(now_ms());
                            let body = Response::Progress { bytes: bytes_done.get(), files: n as u32, events: events.get() };
                            post(id, &body, None);
                        }
                    }
                };
                let batch = match FileSource::new(file) {
                    Ok(source) => ingest::parse_reader(input.input, &input.name, source.on_fetch(progress), &limits),
                    Err(e) => skipped(input, &format!("cannot read the file: {e}")),
                };
                // Count the whole file as done even if the parser stopped early.
                bytes_done.set(before + size);
                batch
            }
            Err(_) => skipped(input, "not a file"),
        };
        events.set(events.get() + batch.events.len() as u64);
        batches.push((input.name.clone(), batch));
    }
    let body = Response::Parsed { files: inputs.len() as u32, bytes: bytes_done.get(), events: events.get() };
    match bincode::serialize(&batches) {
        Ok(payload) => post(id, &body, Some(&js_sys::Uint8Array::from(payload.as_slice()))),
        Err(e) => post(id, &Response::Error(format!("cannot encode the parsed batches: {e}")), None),
    }
}

/// The batch of an input that could not be read at all.
fn skipped(input: &ParseInput, reason: &str) -> Batch {
    Batch {
        input: input.input,
        report: LoadReport {
            files_seen: 1,
            skipped_files: vec![SkippedFile { path: input.name.clone(), reason: reason.to_string() }],
            ..LoadReport::default()
        },
        ..Batch::default()
    }
}
