//! Reading CloudTrail logs in every shape they reach a user (issue 3).
//!
//! - [`parse_bytes`] / [`parse_reader`]: ONE input (plain file, `.json.gz`, `.zip`,
//!   `.tar`, `.tar.gz`; recognised by magic bytes) → a [`Batch`]: its events with
//!   their own string table, and a [`LoadReport`] whose counts reconcile
//!   (`records = events + duplicates + bad_records`,
//!   `files_seen = files + skipped_files.len()`).
//! - [`DatasetBuilder`]: merges batches (from threads or web workers, in any
//!   order) into one deduplicated, sorted [`Dataset`].
//! - [`load_paths`] (native): walks files and folders, parses them with rayon.
//! - [`read_event_json`]: re-reads one event's original JSON from its input.
//!
//! Modules, in the order a byte meets them: `sniff` (magic bytes, S3 paths),
//! `input` (one input: containers, archive entries), `caps` (expansion caps
//! per entry against decompression bombs), `gunzip` and, natively,
//! `libdeflate` (whole-buffer gzip), `document` (document shapes → records),
//! `scan` (record boundaries), `raw_record` (the fields of a record, and
//! serde's reading of them), `fast_record` (the fast hand-written reader of
//! the same fields) with `string_scan` (its vectorised string scan),
//! `to_event` (a record's fields → an [`Event`], by the field `rules`),
//! `sink` (per-input counts), `builder` (merge), `paths` (filesystem),
//! `reread` (an event's original text again, by its [`Origin`]) with
//! `value_end`, `scratch` (per-thread reusable buffers) and `error` (the
//! typed reasons: bad records, skipped files, re-read failures).

mod builder;
mod caps;
mod document;
mod error;
mod fast_record;
mod gunzip;
mod input;
#[cfg(not(target_arch = "wasm32"))]
mod libdeflate;
#[cfg(not(target_arch = "wasm32"))]
mod paths;
mod raw_record;
mod reread;
pub(crate) mod rules;
mod scan;
mod scratch;
mod sink;
mod sniff;
mod string_scan;
mod to_event;
mod value_end;

pub use builder::DatasetBuilder;
pub use error::{BadKind, EventReadError, Position, RecordError, SkipReason};
#[cfg(not(target_arch = "wasm32"))]
pub use paths::{load_paths, read_event_json_from_path};
pub use rules::{days_from_civil, event_key, infer_category, infer_read_only, parse_time};
pub use sink::MAX_BAD_SAMPLES;

/// For the `record_reader` fuzz target: holds the fast record reader to serde.
#[doc(hidden)]
pub use fast_record::check_against_serde as check_record_reader;

use crate::model::{BadRecord, Event, Interner, Origin, SkippedFile};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek};

/// Caps that keep hostile or broken input from exhausting memory or stack.
/// Every expansion cap is per file or archive entry (see `caps`): an archive
/// of any number of legitimate entries reads every one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one file or one archive entry may expand to (each on its
    /// own; an archive's entries together are not capped). Past it the file
    /// is skipped as "too large".
    pub max_entry_bytes: u64,
    /// Largest single record (one JSON object / line), in bytes.
    pub max_record_bytes: usize,
    /// Deepest JSON nesting accepted in a record.
    pub max_depth: usize,
    /// Largest decompression ratio accepted for a compressed entry whose
    /// compressed size is known, once it expands past `ratio_floor_bytes`.
    pub max_ratio: u64,
    /// Expansion below this size is never called a bomb, whatever the ratio.
    pub ratio_floor_bytes: u64,
    /// The memory guard: most events one load keeps (counted before
    /// deduplication). Once reached, the files and archive entries not yet
    /// read are skipped with [`NOT_READ_REASON`] and counted in
    /// [`LoadReport::not_read`]; what was loaded stays usable. The default
    /// is no limit; the CLI and the browser set one from their memory
    /// ([`events_for_memory`]).
    pub max_events: u64,
    /// Natively, a `.zip` (by name) over this many bytes is read in parts of
    /// about this size, in parallel, each merged into the compact store as it
    /// ends (see `paths.rs`); the browser's load planner splits the same way.
    pub zip_part_bytes: u64,
}

/// The skipped-file reason of a file the memory guard did not read.
pub const NOT_READ_REASON: &str =
    "not read: the memory limit of this load was reached (see the summary)";

/// Peak bytes one event costs while a load runs (the parsed batches, the
/// compact runs and the merged, deduplicated store), with a margin over the
/// peaks measured on 2026-12-01 at 5M and 20M events (README "The browser at
/// scale", "Memory guard"): the browser's analysis worker (wasm memory over
/// events) 125 at 5M and 103-111 at 20M, from a folder and from a `.zip`
/// split into parts by the load planner; the CLI (peak RSS over events)
/// 51-57 from a folder, 58-89 from one `.zip` read in parts (139-142 when it
/// was read whole). At 150 the browser's guard
/// admits 21.4M events, the whole 20M set.
pub const PEAK_BYTES_PER_EVENT: u64 = 150;

/// Events a load can hold in `bytes` of memory at its peak.
pub const fn events_for_memory(bytes: u64) -> u64 {
    let n = bytes / PEAK_BYTES_PER_EVENT;
    if n == 0 {
        1
    } else {
        n
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A wasm32 `Vec` holds less than 2 GiB, and a parse worker's
            // whole heap is at most 4 GiB.
            max_entry_bytes: if cfg!(target_arch = "wasm32") {
                1 << 30
            } else {
                2 << 30
            },
            max_record_bytes: 16 << 20,
            // serde_json refuses deeper nesting anyway (its recursion limit is 128).
            max_depth: 100,
            // CloudTrail JSON gzips about 10–30x; 200x only happens by design.
            max_ratio: 200,
            ratio_floor_bytes: 64 << 20,
            zip_part_bytes: 32 << 20,
            max_events: u64::MAX,
        }
    }
}

/// What one load read, loaded and skipped. Counts reconcile:
/// `records = events + duplicates + bad_records` and
/// `files_seen = files + skipped_files.len()`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct LoadReport {
    /// Files and archive entries looked at (archives themselves are not counted,
    /// unless they could not be opened at all).
    pub files_seen: u64,
    /// Files that held at least one event.
    pub files: u64,
    /// CloudTrail records seen (AWS Insights and aggregated-event records
    /// are not records).
    pub records: u64,
    /// Unique events loaded.
    pub events: u64,
    /// Events dropped because their `eventID` was already loaded.
    pub duplicates: u64,
    pub bad_records: u64,
    pub skipped_files: Vec<SkippedFile>,
    /// At most [`MAX_BAD_SAMPLES`] examples.
    pub bad_record_samples: Vec<BadRecord>,
    /// Bad records per reason, sorted by reason.
    pub bad_reasons: Vec<(String, u64)>,
    /// AWS's own Insights records found (kept in `aws_insights`, not events).
    pub aws_insight_records: u64,
    /// CloudTrail aggregated-event records (`AwsAggregatedEvent`, 5-minute
    /// summaries of data events) found: counted, never events or records.
    pub aggregated_event_records: u64,
    /// Bytes of input read (compressed sizes).
    pub bytes_read: u64,
    /// Files and archive entries the memory guard did not read (each is
    /// also in `skipped_files`, with [`NOT_READ_REASON`]).
    pub not_read: u64,
    /// The event limit that stopped the load, when it did.
    pub max_events_reached: Option<u64>,
    pub first_event_ms: Option<i64>,
    pub last_event_ms: Option<i64>,
    /// Distinct accounts and regions of the loaded events, sorted.
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
}

/// The result of parsing ONE input: its events (with syms into `strings`) and
/// report. Serialisable so a web worker can send it back for merging.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Batch {
    /// The input's index (its [`Origin::input`]); the builder orders by it.
    pub input: u32,
    pub strings: Interner,
    /// In file order, not yet deduplicated (the builder does that).
    pub events: Vec<Event>,
    /// Counts, skipped files and bad records of this input. Its time range,
    /// accounts and regions stay empty: [`DatasetBuilder`] fills them for
    /// the merged events.
    pub report: LoadReport,
    /// AWS's own Insights records, raw JSON.
    pub aws_insights: Vec<String>,
}

/// The batch of an input the memory guard did not read at all (the load's
/// limit, `max_events`, was reached before it).
pub fn not_read_batch(input: u32, name: &str, max_events: u64) -> Batch {
    let limits = Limits {
        max_events,
        ..Limits::default()
    };
    let mut sink = sink::Sink::new(input, &limits);
    sink.not_read(name);
    sink.finish()
}

/// What the user is told when the memory guard stopped a load, or `None`:
/// who holds the events (`"The browser tab"`), the figure, how many files
/// were not read, and `advice`.
pub fn guard_message(r: &LoadReport, holder: &str, advice: &str) -> Option<String> {
    let limit = r.max_events_reached?;
    Some(format!(
        "{holder} can hold about {} events; {} {} not read; {advice}.",
        crate::format::group_thousands(limit),
        crate::format::group_thousands(r.not_read),
        if r.not_read == 1 {
            "file was"
        } else {
            "files were"
        },
    ))
}

/// Parses one input held in memory. `input` is its index; `name` its path or
/// file name (used for reasons and for S3-layout account fallback).
pub fn parse_bytes(input: u32, name: &str, bytes: &[u8], limits: &Limits) -> Batch {
    let mut sink = sink::Sink::new(input, limits);
    input::read_bytes(&mut sink, name, bytes);
    sink.finish()
}

/// Parses one input from a reader, streaming archives entry by entry.
pub fn parse_reader<R: Read + Seek>(input: u32, name: &str, reader: R, limits: &Limits) -> Batch {
    let mut sink = sink::Sink::new(input, limits);
    input::read_input(&mut sink, name, reader);
    sink.finish()
}

/// Parses part `part` of `parts` of one input, so several web workers can
/// share one `.zip` (each reads a contiguous run of its entries). Merging the
/// parts' batches gives exactly the result of [`parse_reader`]. Inputs that
/// are not zips are read whole by part 0; their other parts are empty.
pub fn parse_reader_part<R: Read + Seek>(
    input: u32,
    name: &str,
    reader: R,
    limits: &Limits,
    part: u32,
    parts: u32,
) -> Batch {
    let mut sink = sink::Sink::new(input, limits);
    input::read_zip_part(&mut sink, name, reader, part, parts);
    sink.finish()
}

/// Re-reads one event's original JSON text from its input (`reader` opened on
/// the same input that produced `origin`; `name` only labels errors).
pub fn read_event_json<R: Read + Seek>(
    reader: R,
    name: &str,
    origin: &Origin,
    limits: &Limits,
) -> Result<String, EventReadError> {
    reread::read_event(reader, name, origin, limits)
}
