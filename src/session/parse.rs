//! The parse role's logic: each input of a [`Request::Parse`] to a batch
//! with [`crate::ingest`], under what is left of the load's memory guard
//! (once the request's batches hold `max_events`, the inputs not yet read
//! are listed as not read), and the answer: [`Response::Parsed`] with the
//! bincode of `Vec<(name, Batch)>` as its attachment.
//!
//! Where the bytes come from is the caller's: the web worker prefetches
//! small `File`s whole and streams large ones in slices, posting progress
//! as they arrive (`src/worker/parse.rs`); a native session opens its
//! [`ByteSource`]s.
//!
//! [`Request::Parse`]: super::protocol::Request::Parse

use super::protocol::{ParseInput, Response};
use super::{Answer, ByteSource};
use crate::ingest::{self, Batch, Limits, LoadReport};
use crate::model::SkippedFile;
use std::cell::Cell;
use std::io::{Read, Seek, SeekFrom};

/// One input's bytes as the parse role has them.
pub enum InputBytes<R> {
    /// Fetched whole (small files).
    Whole(Vec<u8>),
    /// To read in slices (archives, large files).
    Stream(R),
    /// No bytes, and why.
    Unreadable(String),
}

/// Bytes and events one parse request has done so far: shared with the
/// byte sources that count what they fetch, and read by progress reports.
#[derive(Debug, Default)]
pub struct ParseProgress {
    pub bytes: Cell<u64>,
    pub events: Cell<u64>,
}

impl ParseProgress {
    pub fn add_bytes(&self, n: u64) {
        self.bytes.set(self.bytes.get().saturating_add(n));
    }
}

/// Parses every input in order. `bytes_of(n, input)` gives input `n`'s
/// bytes (asked only for inputs the budget lets through); `advanced(n)` is
/// called after a whole input's bytes were counted in `progress` (streamed
/// inputs count their own as they read, the rest of their size at the end).
pub fn parse_inputs<R: Read + Seek>(
    inputs: &[ParseInput],
    max_events: u64,
    progress: &ParseProgress,
    mut bytes_of: impl FnMut(usize, &ParseInput) -> InputBytes<R>,
    mut advanced: impl FnMut(usize),
) -> Vec<(String, Batch)> {
    let mut limits = Limits::default();
    let mut batches = Vec::with_capacity(inputs.len());
    for (n, input) in inputs.iter().enumerate() {
        limits.max_events = max_events.saturating_sub(progress.events.get());
        let batch = if limits.max_events == 0 {
            ingest::not_read_batch(input.input, &input.name, max_events)
        } else {
            match bytes_of(n, input) {
                InputBytes::Whole(bytes) => {
                    let batch = ingest::parse_bytes(input.input, &input.name, &bytes, &limits);
                    progress.add_bytes(bytes.len() as u64);
                    advanced(n);
                    batch
                }
                InputBytes::Stream(reader) => stream(input, reader, &limits, progress),
                InputBytes::Unreadable(reason) => skipped(input, &reason),
            }
        };
        progress
            .events
            .set(progress.events.get() + batch.events.len() as u64);
        batches.push((input.name.clone(), batch));
    }
    batches
}

/// Parses a streamed input (its share of a shared `.zip`).
fn stream<R: Read + Seek>(
    input: &ParseInput,
    mut reader: R,
    limits: &Limits,
    progress: &ParseProgress,
) -> Batch {
    let size = match reader
        .seek(SeekFrom::End(0))
        .and_then(|size| reader.seek(SeekFrom::Start(0)).map(|_| size))
    {
        Ok(size) => size,
        Err(e) => return skipped(input, &format!("cannot read the file: {e}")),
    };
    let before = progress.bytes.get();
    let batch = ingest::parse_reader_part(
        input.input,
        &input.name,
        reader,
        limits,
        input.part,
        input.parts,
    );
    // Count the whole file (its share) as done even if the parser stopped early.
    progress
        .bytes
        .set(before + size / u64::from(input.parts.max(1)));
    batch
}

/// The batch of an input that could not be read at all.
pub fn skipped(input: &ParseInput, reason: &str) -> Batch {
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

/// The answer to a parse request: `Parsed` with the encoded batches.
pub fn parsed(
    inputs: &[ParseInput],
    batches: &[(String, Batch)],
    progress: &ParseProgress,
) -> Answer {
    match bincode::serialize(batches) {
        Ok(payload) => Answer {
            // A part of a shared archive is not a file of its own: count part 0 only.
            response: Response::Parsed {
                files: inputs.iter().filter(|i| i.part == 0).count() as u32,
                bytes: progress.bytes.get(),
                events: progress.events.get(),
            },
            attachment: Some(payload),
        },
        Err(e) => Response::Error(format!("cannot encode the parsed batches: {e}")).into(),
    }
}

/// A whole parse request from byte sources (a native session: no progress
/// reports, every input streamed).
pub(super) fn answer<S: ByteSource>(
    inputs: &[ParseInput],
    max_events: u64,
    sources: Vec<Option<S>>,
) -> Answer {
    let progress = ParseProgress::default();
    let batches = parse_inputs(
        inputs,
        max_events,
        &progress,
        |n, _| match sources.get(n).and_then(Option::as_ref) {
            Some(source) => match source.open() {
                Ok(reader) => InputBytes::Stream(reader),
                Err(e) => InputBytes::Unreadable(format!("cannot read the file: {e}")),
            },
            None => InputBytes::Unreadable("not a file".into()),
        },
        |_| {},
    );
    parsed(inputs, &batches, &progress)
}
