//! The messages between the page and its workers, answered by a
//! [`super::Session`] (pure core, so they compile and round-trip natively).
//!
//! A message on the wire is a JS array: element 0 is the bincode of an
//! [`Envelope`], the rest are *attachments* that bincode cannot or should not
//! carry: `File`s (passed by reference, never copied) and large `Uint8Array`s
//! (parsed batches, export files), which the page forwards between workers
//! without copying them into its own wasm memory.

use super::activity::Activity;
use crate::engine::DetectConfig;
use crate::export::ExportKind;
use crate::model::{
    BadRecord, EventRow, Insight, MinutePoint, MinuteRange, SeriesKey, SkippedFile,
};
use serde::{Deserialize, Serialize};

/// The memory a browser tab's analysis worker may fill at the peak of a
/// load: its wasm32 heap is at most 4 GiB, and a quarter is kept for what
/// is not events (strings, detection, answers, the allocator's slack).
pub const BROWSER_LOAD_BYTES: u64 = 3 << 30;
/// The browser's memory guard: most events one load keeps.
pub const BROWSER_MAX_EVENTS: u64 = crate::ingest::events_for_memory(BROWSER_LOAD_BYTES);

/// A request or a response with the id that pairs them.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub id: u64,
    pub body: T,
}

/// One input of a parse request; its `File` is the attachment at the same position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseInput {
    /// Index of the input in the load order ([`crate::model::Origin::input`]).
    pub input: u32,
    /// Path (folder drops) or file name.
    pub name: String,
    /// A large `.zip` is shared by several workers: this request reads part
    /// `part` of `parts` of its entries ([`crate::ingest::parse_reader_part`]).
    pub part: u32,
    pub parts: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Parse role: parse the attached files; answers [`Response::Progress`]
    /// while reading and one [`Response::Parsed`] with the batches attached.
    Parse {
        inputs: Vec<ParseInput>,
        /// The memory guard: most events this request may parse (what is left
        /// of the load's budget); inputs past it are listed as not read.
        max_events: u64,
    },
    /// Analysis role: a new load of `names.len()` inputs starts.
    Begin {
        names: Vec<String>,
    },
    /// Analysis role: merge the parsed batches (attachment 0, from a parse
    /// worker); the following attachments are the `File`s of `inputs`, kept to
    /// re-read original events on demand. (Sent chunk by chunk rather than all
    /// at once: posting thousands of `File`s in one message blocks the page.)
    AddBatches {
        inputs: Vec<u32>,
    },
    /// Analysis role: the load is complete; merge, detect, answer [`Response::Loaded`].
    Finish {
        settings: DetectConfig,
    },
    /// Analysis role: forget a cancelled load (the previous data stays).
    Abort,
    /// Analysis role: generate the demo data in the worker, load it, detect.
    Demo {
        settings: DetectConfig,
    },
    /// Analysis role: detect again on the loaded data with other settings.
    Detect {
        settings: DetectConfig,
    },
    /// Calls and errors per minute of `key` over `range` (half-open).
    Series {
        key: SeriesKey,
        range: MinuteRange,
    },
    /// A page of the events whose minute is in `range` (half-open), of
    /// `key`'s series when given.
    Events {
        key: Option<SeriesKey>,
        range: MinuteRange,
        offset: u32,
        limit: u32,
    },
    EventJson {
        index: u32,
    },
    /// Export all current Insights; the file comes back as an attachment.
    Export {
        kind: ExportKind,
    },
    /// The `limit` highest-ranked bursts of the account/Regions without a
    /// day of history ([`crate::engine::bursts`]); never Insights.
    Bursts {
        settings: DetectConfig,
        limit: u32,
    },
    /// Analysis role: load per-minute counts and attributions files ("Beyond
    /// one machine"): attachment `i` is the `File` of `names[i]`. Counts files
    /// replace the loaded data with a counts session; attributions files alone
    /// are added to the current counts session. `others` are files of the same
    /// drop that are not tables (listed as not read). Answers [`Response::Loaded`].
    LoadTables {
        names: Vec<String>,
        others: Vec<String>,
        settings: DetectConfig,
    },
    /// The Overview of the loaded events that match `filter`; answers
    /// [`Response::Overview`].
    Overview {
        filter: crate::engine::overview::EventFilter,
    },
    /// A page of all loaded events that match `filter` (the standalone
    /// events view); answers [`Response::Events`].
    FilteredEvents {
        filter: crate::engine::overview::EventFilter,
        offset: u32,
        limit: u32,
    },
    /// Analysis role: the page's share of the load's [`LoadStats`] (parse
    /// workers, their timings, the reading phase), sent just before `Finish`
    /// so the answers to `Finish` and later `Detect`s carry them.
    PageStats(LoadStats),
}

/// What was loaded, for the summary and the Skipped panel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSummary {
    pub files_seen: u64,
    /// Files that held events.
    pub files: u64,
    pub records: u64,
    pub events: u64,
    pub duplicates: u64,
    pub bad_records: u64,
    pub bytes_read: u64,
    pub first_event_ms: Option<i64>,
    pub last_event_ms: Option<i64>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// Days of baseline available to detection (the longest over all series).
    pub baseline_days: f64,
    pub skipped_files: Vec<SkippedFile>,
    /// Files the memory guard did not read (also in `skipped_files`).
    pub not_read: u64,
    /// When the memory guard stopped the load: what the user is told.
    pub memory_note: Option<String>,
    /// Bad-record counts by reason, most frequent first.
    pub bad_reasons: Vec<(String, u64)>,
    pub bad_record_samples: Vec<BadRecord>,
    /// AWS's own Insights records found in `CloudTrail-Insight` files.
    pub aws_insights: u32,
    /// CloudTrail aggregated-event records (5-minute summaries), kept apart.
    pub aggregated_events: u64,
    /// What detection could and could not analyse, per account and Region.
    pub coverage: crate::engine::coverage::CoverageReport,
    /// Series that had enough history to be tested.
    pub series_tested: u64,
    /// Events per bucket over the whole span, for the activity chart.
    pub activity: Activity,
    /// Time spent merging and detecting in the analysis worker.
    pub analysis_ms: f64,
    /// Where the load's time and the analysis worker's memory went (the
    /// summary's load details).
    pub load_stats: LoadStats,
    /// AWS's own Insights (from `CloudTrail-Insight` files) paired with ours.
    #[serde(default)]
    pub pairing: crate::engine::pairing::Pairing,
    /// Set when the data is per-minute counts, not events (a counts session).
    #[serde(default)]
    pub from_counts: Option<CountsSource>,
}

/// What a counts session was loaded from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountsSource {
    /// Counts files read.
    pub counts_files: Vec<String>,
    /// Unique (key, minute) rows after summing the files.
    pub count_rows: u64,
    /// Attributions files read (none until an attributions result is dropped).
    pub attribution_files: Vec<String>,
    /// Insights whose attributions came from those files.
    pub attributed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Parse role: bytes read so far in the current request, and files finished.
    Progress {
        bytes: u64,
        files: u32,
        events: u64,
    },
    /// Parse role: done; the batches are attachment 0.
    Parsed {
        files: u32,
        bytes: u64,
        events: u64,
    },
    /// Analysis role: acknowledgement of `Begin`, `AddBatches` and `Abort`.
    Ok,
    /// Analysis role: `AddBatches` acknowledged, and the memory guard is
    /// reached: parse nothing more (what was not read is listed at `Finish`).
    Full,
    /// Analysis role: the loaded data and its Insights.
    Loaded {
        /// Boxed: it is far larger than every other answer.
        summary: Box<LoadSummary>,
        insights: Vec<Insight>,
    },
    Series(Vec<MinutePoint>),
    Events {
        rows: Vec<EventRow>,
        total: u32,
    },
    EventJson(String),
    /// The export file is attachment 0.
    Exported {
        file_name: String,
        mime: String,
    },
    Error(String),
    /// Answer to [`Request::Bursts`], ranked.
    Bursts(Vec<crate::engine::bursts::Burst>),
    /// Boxed: the top lists are far larger than most answers.
    Overview(Box<crate::engine::overview::Overview>),
    /// Parse role: where one request's time went, posted just before `Parsed`.
    ParseStats(ParseTimings),
}

/// Where one parse request's time went, in milliseconds (summed over the
/// requests of a load for [`LoadStats::parse`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParseTimings {
    /// Waiting for the bytes of `File`s (the browser's blob reads).
    pub read_ms: f64,
    /// Inflating and parsing (gzip, archives, JSON) in the parse worker.
    pub parse_ms: f64,
    /// Folding the request's per-file batches into runs and encoding them.
    pub encode_ms: f64,
    /// Requests summed.
    pub requests: u32,
}

impl ParseTimings {
    pub fn add(&mut self, other: &ParseTimings) {
        self.read_ms += other.read_ms;
        self.parse_ms += other.parse_ms;
        self.encode_ms += other.encode_ms;
        self.requests += other.requests;
    }
}

/// Where a load's time and the analysis worker's memory went: the summary's
/// load details, and the figures `tests/e2e/scale.mjs` reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadStats {
    /// Parse workers of the load (`navigator.hardwareConcurrency`, capped).
    pub parse_workers: u32,
    /// Summed over the parse workers, which run at once (so the sum can
    /// pass the wall time).
    pub parse: ParseTimings,
    /// Page: load start until the last batch was merged.
    pub reading_ms: f64,
    /// Analysis worker: decoding the batches it was sent.
    pub decode_ms: f64,
    /// Analysis worker: merging decoded batches into the load (while reading).
    pub merge_ms: f64,
    /// Analysis worker: the final merge (dedup, sort, string tables).
    pub finish_ms: f64,
    /// Analysis worker: detection.
    pub detect_ms: f64,
    /// The analysis worker's wasm memory (`memory.buffer.byteLength`) after
    /// the load: a wasm heap never shrinks, so this is its peak.
    pub worker_memory_bytes: u64,
}
