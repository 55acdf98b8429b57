//! The dashboard's data session (pure core): it owns what a browser tab has
//! loaded and answers every request of the [`protocol`], so the whole
//! request/response cycle runs, and is tested, natively.
//!
//! - A log load arrives in steps ([`load`]): `Begin`, parsed batches
//!   (`AddBatches`, from the parse role), `Finish` (merge and detect) or
//!   `Abort`; the browser's memory guard is kept here.
//! - Queries on the loaded data ([`queries`]): graph series, event pages,
//!   original event JSON, bursts, the Overview, exports ([`crate::export`]).
//! - A counts session ([`counts`]): per-minute counts and attributions
//!   files instead of logs.
//! - The parse role ([`parse`]): inputs to batches, under the guard's budget.
//!
//! Generic over where input bytes come from ([`ByteSource`]): a browser
//! `File` in the web worker (`src/worker/`, which only decodes messages,
//! wraps `File`s and posts the answers), a path or bytes in memory natively.

pub mod activity;
mod counts;
mod load;
pub mod parse;
pub mod protocol;
mod queries;
#[cfg(test)]
mod tests;

pub use activity::Activity;
pub use counts::NO_EVENTS;

use protocol::{LoadStats, Request, Response};
use std::io::{self, Cursor, Read, Seek};
use std::sync::Arc;

/// Where an input's bytes can be (re-)read from: the session keeps one per
/// input to re-read an event's original JSON on demand, and reads tables
/// and parse inputs through it.
pub trait ByteSource {
    type Reader: Read + Seek;
    /// A reader at the start of the bytes.
    fn open(&self) -> io::Result<Self::Reader>;
}

/// Bytes held in memory (generated data, tests).
impl ByteSource for Arc<[u8]> {
    type Reader = Cursor<Arc<[u8]>>;
    fn open(&self) -> io::Result<Self::Reader> {
        Ok(Cursor::new(Arc::clone(self)))
    }
}

/// A file on disk (native only in practice).
impl ByteSource for std::path::PathBuf {
    type Reader = io::BufReader<std::fs::File>;
    fn open(&self) -> io::Result<Self::Reader> {
        std::fs::File::open(self).map(io::BufReader::new)
    }
}

/// What a session needs from where it runs: a clock and a memory figure,
/// both only for the load details' timings.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    /// Milliseconds from any fixed origin.
    pub now_ms: fn() -> f64,
    /// The memory the session's process holds after a load (a wasm heap
    /// never shrinks, so this is its peak).
    pub memory_bytes: fn() -> u64,
}

impl Host {
    /// No clock and no memory figure: every timing reads 0 (tests, CLI).
    pub fn untimed() -> Host {
        Host {
            now_ms: || 0.0,
            memory_bytes: || 0,
        }
    }
}

/// What comes with a request besides its bincode: on the wire, the JS
/// array's attachments.
pub struct Attached<S> {
    /// `AddBatches`: the parsed batches (bincode of `Vec<(name, Batch)>`).
    pub payload: Option<Vec<u8>>,
    /// The byte sources of the request's inputs, in order (`AddBatches`:
    /// of `inputs`; `LoadTables`: of `names`; `Parse`: of `inputs`); `None`
    /// where what was attached is not a file.
    pub sources: Vec<Option<S>>,
}

impl<S> Default for Attached<S> {
    fn default() -> Self {
        Attached {
            payload: None,
            sources: Vec::new(),
        }
    }
}

impl<S> Attached<S> {
    /// Only sources.
    pub fn sources(sources: Vec<Option<S>>) -> Self {
        Attached {
            payload: None,
            sources,
        }
    }
}

/// One answer: the response and, for exports and parsed batches, the file
/// that goes with it (an attachment on the wire).
#[derive(Debug)]
pub struct Answer {
    pub response: Response,
    pub attachment: Option<Vec<u8>>,
}

impl From<Response> for Answer {
    fn from(response: Response) -> Self {
        Answer {
            response,
            attachment: None,
        }
    }
}

/// The loaded data and the load in progress of one dashboard.
pub struct Session<S: ByteSource> {
    host: Host,
    /// The load in progress, if any.
    pending: Option<load::Pending<S>>,
    /// Replaced only when a new load finishes.
    loaded: Option<load::Loaded<S>>,
    /// A counts session: when set, it answers the data queries.
    counts: Option<counts::CountsSession>,
    /// Where the load in progress (or the last one) spent its time.
    stats: LoadStats,
}

impl<S: ByteSource> Session<S> {
    pub fn new(host: Host) -> Self {
        Session {
            host,
            pending: None,
            loaded: None,
            counts: None,
            stats: LoadStats::default(),
        }
    }

    fn now(&self) -> f64 {
        (self.host.now_ms)()
    }

    /// Answers one request.
    pub fn handle(&mut self, request: Request, attached: Attached<S>) -> Answer {
        if self.counts.is_some() {
            if let Some(answer) = self.counts_query(&request) {
                return answer;
            }
        }
        match request {
            Request::Parse { inputs, max_events } => {
                parse::answer(&inputs, max_events, attached.sources)
            }
            Request::Begin { names } => {
                self.counts = None;
                self.begin(names)
            }
            Request::AddBatches { inputs } => self.add_batches(&inputs, attached).into(),
            Request::Finish { settings } => self.finish_load(settings).into(),
            Request::Abort => {
                self.pending = None;
                Response::Ok.into()
            }
            Request::Demo { settings } => {
                self.counts = None;
                self.demo(settings).into()
            }
            Request::LoadTables {
                names,
                others,
                settings,
            } => self.load_tables(&names, &others, settings, attached.sources),
            Request::PageStats(page) => {
                self.stats.parse_workers = page.parse_workers;
                self.stats.parse = page.parse;
                self.stats.reading_ms = page.reading_ms;
                Response::Ok.into()
            }
            query => self.query(query),
        }
    }

    /// `response` (a `Loaded`) with the load's stats and the memory now.
    fn with_stats(&self, mut response: Response) -> Response {
        if let Response::Loaded { summary, .. } = &mut response {
            summary.load_stats = LoadStats {
                worker_memory_bytes: (self.host.memory_bytes)(),
                ..self.stats.clone()
            };
        }
        response
    }
}
