//! The load planner: which parse request goes to which parse worker, how
//! the user's files are grouped into requests, how a large `.zip` is split
//! into parts, and how much of the load's event budget each request may
//! read. Pure logic, no web dependencies: the dashboard's loader
//! (`app/loader.rs`) only runs the plan (sends the requests it returns,
//! feeds the answers back, cancels), and the rules are tested natively.
//!
//! The rules:
//! - **Order**: biggest input first (ties in the user's order), so one large
//!   archive does not finish last alone. Sizes may be unknown (0): loads of
//!   many files do not read them (each read is a trip to the browser process).
//! - **Grouping**: a request takes inputs until it holds
//!   [`PlanConfig::chunk_bytes`] or [`PlanConfig::chunk_files`] inputs, so many
//!   small delivery files go together and a big archive goes alone.
//! - **Split `.zip`**: a `.zip` (by name) larger than `chunk_bytes` is split
//!   into `ceil(size / part_bytes)` parts, and into at least one part per
//!   worker ([`crate::ingest::parse_reader_part`] reads a contiguous run of its
//!   entries per part; the parts together cover every entry once). Each part
//!   is a request of its own, so the analysis worker decodes and merges
//!   batches of bounded size (one batch per worker share peaked at 304
//!   bytes/event there) and the workers share the archive.
//! - **Budget**: a request may read what is left of the load's event budget
//!   (less what finished and running requests read so far). Requests running
//!   at once may together pass it; the analysis worker's guard, which merges
//!   no batch past the budget, is the exact one, and once it answers full
//!   ([`LoadPlan::forwarded`] with `full`) nothing more is sent.
//! - **One batch's size**: no request may read more than
//!   [`PlanConfig::batch_max_events`], since the analysis worker decodes and
//!   compacts a request's batch whole (at about 304 bytes/event, measured on
//!   a 5M-event `.tar` read by one worker). An input that cannot be split (a
//!   `.tar`, a `.tar.gz`, one huge `.json.gz`) therefore stops there with the
//!   rest of its entries listed as not read, instead of exhausting the
//!   worker's heap; the load goes on with the other inputs.
//! - **Ends**: the plan finishes once nothing is queued and every request's
//!   batches are acknowledged. After [`LoadPlan::cancel`] or
//!   [`LoadPlan::fail`] it sends nothing more and never finishes.

#[cfg(test)]
mod tests;

use std::collections::VecDeque;

/// The plan's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanConfig {
    /// Parse workers available (the machine's cores, capped by the caller).
    pub max_workers: usize,
    /// A request takes inputs until it holds this many bytes ...
    pub chunk_bytes: u64,
    /// ... or this many inputs.
    pub chunk_files: usize,
    /// Compressed bytes of `.zip` entries per part of a split archive.
    pub part_bytes: u64,
    /// Requests kept in flight per worker (while it parses one, the browser
    /// is already reading the next one's files).
    pub requests_per_worker: usize,
    /// The load's event budget (the memory guard).
    pub max_events: u64,
    /// Most events one request may read (see "One batch's size").
    pub batch_max_events: u64,
}

/// The browser's [`PlanConfig::batch_max_events`]: what the analysis worker's
/// 3 GiB budget holds of one batch decoded whole, at 320 bytes per event (304
/// measured, with a margin): 10,066,329 events.
pub const BROWSER_BATCH_MAX_EVENTS: u64 = (3 << 30) / 320;

/// Most parts one archive is split into.
const MAX_PARTS: u64 = 4096;

impl PlanConfig {
    /// The browser's plan: 8 MiB or 32 files per request (posting a `File`
    /// the page has not touched yet costs about 1 ms, so 32 keep each post
    /// well under 100 ms), 32 MiB of entries per `.zip` part, two requests
    /// in flight per worker.
    pub fn browser(max_workers: usize, max_events: u64) -> PlanConfig {
        PlanConfig {
            max_workers,
            chunk_bytes: 8 << 20,
            chunk_files: 32,
            part_bytes: 32 << 20,
            requests_per_worker: 2,
            max_events,
            batch_max_events: BROWSER_BATCH_MAX_EVENTS,
        }
    }
}

/// One input chosen by the user, as the planner sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanFile {
    /// Relative path or file name (only its extension is looked at).
    pub name: String,
    /// Size in bytes; 0 when not read.
    pub size: u64,
}

/// What a request reads of one input: part `part` of `parts` (a whole
/// input is part 0 of 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Index of the input in the user's list (its [`crate::model::Origin::input`]).
    pub input: u32,
    pub part: u32,
    pub parts: u32,
    /// Bytes this piece covers (its share of the input's size).
    pub bytes: u64,
}

/// A parse request to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The parse worker to send it to.
    pub worker: usize,
    pub pieces: Vec<Piece>,
    /// Most events this request may read.
    pub max_events: u64,
}

/// What to do next for a worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Send(Job),
    /// Nothing to send now; answers are awaited.
    Wait,
    /// Every batch is in: merge and detect (returned once).
    Finish,
    /// Cancelled, failed or finished: nothing more.
    Stopped,
}

/// Bytes, events and files read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub bytes: u64,
    pub events: u64,
    pub files: u32,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.bytes += other.bytes;
        self.events += other.events;
        self.files += other.files;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Running,
    /// The analysis worker's guard is reached: send nothing more, finish.
    Full,
    Finished,
    Cancelled,
    Failed,
}

/// A load in progress: the queue of pieces and what the workers did.
#[derive(Clone, Debug)]
pub struct LoadPlan {
    config: PlanConfig,
    queue: VecDeque<Piece>,
    workers: usize,
    files_total: u32,
    bytes_total: u64,
    /// What finished requests read.
    done: Totals,
    /// What each worker's running request read so far.
    partial: Vec<Totals>,
    /// Requests sent whose batches are not acknowledged yet.
    in_flight: usize,
    state: State,
}

/// Whether `name` is a `.zip` (the only container read in parts).
fn is_zip(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// Parts `file` is split into, with `workers` parse workers.
fn parts_of(file: &PlanFile, workers: usize, config: &PlanConfig) -> u32 {
    if !is_zip(&file.name) || file.size <= config.chunk_bytes {
        return 1;
    }
    let by_size = file.size.div_ceil(config.part_bytes.max(1));
    by_size.max(workers as u64).clamp(1, MAX_PARTS) as u32
}

impl LoadPlan {
    /// Plans the load of `files` (in the user's order; indices are inputs).
    pub fn new(files: &[PlanFile], config: PlanConfig) -> LoadPlan {
        let max_workers = config.max_workers.max(1);
        // More workers than pieces is pointless; a split archive has at least
        // one part per worker.
        let any_split = files.iter().any(|f| parts_of(f, 2, &config) > 1);
        let workers = if any_split && max_workers > 1 {
            max_workers
        } else {
            max_workers.min(files.len()).max(1)
        };
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| files[b].size.cmp(&files[a].size).then(a.cmp(&b)));
        let queue = order
            .into_iter()
            .flat_map(|i| {
                let f = &files[i];
                let parts = parts_of(f, workers, &config);
                (0..parts).map(move |part| Piece {
                    input: i as u32,
                    part,
                    parts,
                    bytes: f.size / u64::from(parts),
                })
            })
            .collect();
        LoadPlan {
            queue,
            workers,
            files_total: files.len() as u32,
            bytes_total: files.iter().map(|f| f.size).sum(),
            done: Totals::default(),
            partial: vec![Totals::default(); workers],
            in_flight: 0,
            state: State::Running,
            config,
        }
    }

    /// Parse workers to start.
    pub fn workers(&self) -> usize {
        self.workers
    }

    pub fn files_total(&self) -> u32 {
        self.files_total
    }

    /// Sum of the known sizes (0 when no size was read).
    pub fn bytes_total(&self) -> u64 {
        self.bytes_total
    }

    /// The first requests: `requests_per_worker` rounds over the workers.
    pub fn start(&mut self) -> Vec<Next> {
        let mut out = Vec::new();
        for _ in 0..self.config.requests_per_worker.max(1) {
            for w in 0..self.workers {
                out.push(self.next(w));
            }
        }
        out
    }

    /// The next request for worker `w` (called at the start and whenever a
    /// request of `w` is answered).
    pub fn next(&mut self, w: usize) -> Next {
        match self.state {
            State::Cancelled | State::Failed | State::Finished => return Next::Stopped,
            State::Full => self.queue.clear(),
            State::Running => {}
        }
        let pieces = self.take_chunk();
        if pieces.is_empty() {
            return self.finish_if_drained();
        }
        self.in_flight += 1;
        Next::Send(Job {
            worker: w,
            pieces,
            max_events: self.events_left().min(self.config.batch_max_events),
        })
    }

    /// Pops one request's pieces: a part of a split archive alone, otherwise
    /// inputs up to `chunk_bytes` or `chunk_files`.
    fn take_chunk(&mut self) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut bytes = 0;
        while let Some(piece) = self.queue.pop_front() {
            if piece.parts > 1 && !pieces.is_empty() {
                self.queue.push_front(piece);
                break;
            }
            bytes += piece.bytes;
            pieces.push(piece);
            if piece.parts > 1
                || bytes >= self.config.chunk_bytes
                || pieces.len() >= self.config.chunk_files
            {
                break;
            }
        }
        pieces
    }

    fn finish_if_drained(&mut self) -> Next {
        if self.in_flight == 0 && self.queue.is_empty() {
            self.state = State::Finished;
            return Next::Finish;
        }
        Next::Wait
    }

    /// What is left of the budget for one more request.
    fn events_left(&self) -> u64 {
        let running: u64 = self.partial.iter().map(|t| t.events).sum();
        self.config
            .max_events
            .saturating_sub(self.done.events.saturating_add(running))
    }

    /// Worker `w`'s running request has read `so_far`.
    pub fn progress(&mut self, w: usize, so_far: Totals) {
        if let Some(slot) = self.partial.get_mut(w) {
            *slot = so_far;
        }
    }

    /// Worker `w`'s request is answered with `read`; its batches go on to
    /// the analysis worker (acknowledged by [`LoadPlan::forwarded`]).
    pub fn parsed(&mut self, w: usize, read: Totals) {
        if let Some(slot) = self.partial.get_mut(w) {
            *slot = Totals::default();
        }
        self.done.add(&read);
    }

    /// The analysis worker acknowledged one request's batches; `full` when
    /// its memory guard is reached. Returns [`Next::Finish`] when that was
    /// the last one.
    pub fn forwarded(&mut self, full: bool) -> Next {
        self.in_flight = self.in_flight.saturating_sub(1);
        match self.state {
            State::Cancelled | State::Failed | State::Finished => return Next::Stopped,
            State::Running if full => self.state = State::Full,
            _ => {}
        }
        if self.state == State::Full {
            self.queue.clear();
        }
        self.finish_if_drained()
    }

    /// The user cancelled: nothing more is sent.
    pub fn cancel(&mut self) {
        self.stop(State::Cancelled);
    }

    /// A request or its forwarding failed (the load fails as a whole, its
    /// message shown): nothing more is sent.
    pub fn fail(&mut self) {
        self.stop(State::Failed);
    }

    fn stop(&mut self, state: State) {
        if self.state != State::Finished {
            self.state = state;
        }
        self.queue.clear();
    }

    /// Whether the plan was cancelled or failed.
    pub fn is_stopped(&self) -> bool {
        matches!(self.state, State::Cancelled | State::Failed)
    }

    /// What finished and running requests read.
    pub fn totals(&self) -> Totals {
        let mut t = self.done;
        for p in &self.partial {
            t.add(p);
        }
        // A part counts its share of the archive, and a parser may stop early.
        t.bytes = t.bytes.min(self.bytes_total);
        t
    }
}
