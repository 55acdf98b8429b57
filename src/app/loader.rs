//! Loading: spreads the user's files over a pool of parse workers (sized to
//! the machine's cores), forwards their batches to the analysis worker, keeps
//! [`LoadStatus`] up to date, and supports Cancel by terminating the workers.
//!
//! The memory guard: each parse request may read what is left of
//! [`BROWSER_MAX_EVENTS`]; once the analysis worker answers
//! [`Response::Full`], nothing more is dispatched and the load finishes with
//! what was read (the analysis worker lists the rest as not read).
//!
//! The page only routes messages here; reading, decompressing and parsing all
//! happen in the workers, so the main thread stays responsive.

use super::client::{loaded, DataClient};
use super::state::{AppState, LoadStatus, Progress};
use super::worker_link::WorkerLink;
use crate::session::protocol::{
    LoadStats, ParseInput, ParseTimings, Request, Response, BROWSER_MAX_EVENTS,
};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Most parse workers we start, whatever the core count.
const MAX_PARSE_WORKERS: usize = 8;
/// A parse request takes files until it holds this many bytes or [`CHUNK_FILES`]
/// files: many small delivery files go together, big archives alone.
const CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// (Posting a `File` the page has not touched yet costs about 1 ms, a
/// synchronous metadata trip to the browser process, so 32 files keep each
/// post well under 100 ms.)
const CHUNK_FILES: usize = 32;
/// Parse requests kept in flight per worker.
const REQUESTS_PER_WORKER: usize = 2;

/// One input chosen by the user.
#[derive(Clone)]
pub struct InputFile {
    /// Relative path inside a dropped folder, or the file name.
    pub name: String,
    pub file: web_sys::File,
    /// `file.size()`, read only for small loads: for a file on disk each read
    /// is a synchronous trip to the browser process (measured: 0.4 ms), which
    /// for a 12,960-file folder blocked the page for 5 s. 0 = not read.
    pub size: f64,
}

impl InputFile {
    pub fn new(name: String, file: web_sys::File) -> InputFile {
        InputFile {
            name,
            file,
            size: 0.0,
        }
    }
}

/// Loads with at most this many files read their sizes (for biggest-first
/// order, byte progress and archive sharing); bigger loads go by file count.
const SIZED_MAX_FILES: usize = 64;

/// Whether `f` is a `.zip` big enough to be split over `pool` workers.
fn is_shared_archive(f: &InputFile, pool: u32) -> bool {
    pool > 1 && f.size > CHUNK_BYTES && f.name.to_lowercase().ends_with(".zip")
}

/// Number of parse workers for this machine: `navigator.hardwareConcurrency`, 1..=8.
pub fn pool_size() -> usize {
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(1.0);
    (cores as usize).clamp(1, MAX_PARSE_WORKERS)
}

/// The running load, kept so Cancel can reach its workers.
#[derive(Clone)]
pub struct Loader {
    current: SendWrapper<Rc<RefCell<Option<Rc<Run>>>>>,
}

impl Default for Loader {
    fn default() -> Self {
        Loader {
            current: SendWrapper::new(Rc::new(RefCell::new(None))),
        }
    }
}

struct Run {
    workers: Vec<WorkerLink>,
    queue: RefCell<VecDeque<(ParseInput, web_sys::File, u64)>>,
    progress: RefCell<Progress>,
    /// Bytes, events and files of finished parse requests.
    done: RefCell<(u64, u64, u32)>,
    /// The same for each worker's request in progress.
    partial: RefCell<Vec<(u64, u64, u32)>>,
    /// Parse requests (and their forwarding) not yet acknowledged.
    in_flight: RefCell<usize>,
    started_ms: f64,
    cancelled: RefCell<bool>,
    /// The memory guard is reached: dispatch nothing more.
    full: RefCell<bool>,
    /// The parse workers' timings, summed over their requests.
    timings: RefCell<ParseTimings>,
}

impl Loader {
    /// Loads `files` (replacing the current data once done).
    pub fn start(&self, mut files: Vec<InputFile>, state: AppState, client: DataClient) {
        self.cancel_parsing(&client);
        if files.len() <= SIZED_MAX_FILES {
            for f in &mut files {
                f.size = f.file.size();
            }
        }
        if files.is_empty() {
            state
                .load
                .set(LoadStatus::Failed("No files were given.".into()));
            return;
        }
        let analysis = match client.link() {
            Ok(link) => link,
            Err(e) => {
                state.load.set(LoadStatus::Failed(e));
                return;
            }
        };
        let mut workers = Vec::new();
        // Fewer workers than files is pointless, unless an archive is to be shared.
        let shared_archive = files.iter().any(|f| is_shared_archive(f, 2));
        let wanted = if shared_archive {
            pool_size()
        } else {
            pool_size().min(files.len())
        };
        for _ in 0..wanted {
            match WorkerLink::spawn() {
                Ok(w) => workers.push(w),
                Err(e) => {
                    state.load.set(LoadStatus::Failed(e));
                    return;
                }
            }
        }
        // Biggest first, so one large archive does not finish last alone.
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| files[b].size.total_cmp(&files[a].size).then(a.cmp(&b)));
        let pool = workers.len() as u32;
        let queue = order
            .into_iter()
            .flat_map(|i| {
                let f = &files[i];
                let size = f.size as u64;
                // A large .zip is shared by every worker (each reads a run of its entries).
                let parts = if is_shared_archive(f, pool) { pool } else { 1 };
                (0..parts).map(move |part| {
                    let input = ParseInput {
                        input: i as u32,
                        name: f.name.clone(),
                        part,
                        parts,
                    };
                    (input, f.file.clone(), size / u64::from(parts))
                })
            })
            .collect();
        let progress = Progress {
            files_total: files.len() as u32,
            bytes_total: files.iter().map(|f| f.size as u64).sum(),
            ..Progress::default()
        };
        let partial = RefCell::new(vec![(0, 0, 0); workers.len()]);
        let run = Rc::new(Run {
            partial,
            workers,
            queue: RefCell::new(queue),
            progress: RefCell::new(progress.clone()),
            done: RefCell::new((0, 0, 0)),
            in_flight: RefCell::new(0),
            started_ms: now_ms(),
            cancelled: RefCell::new(false),
            full: RefCell::new(false),
            timings: RefCell::new(ParseTimings::default()),
        });
        *self.current.borrow_mut() = Some(Rc::clone(&run));
        state.load.set(LoadStatus::Parsing(progress));

        let names = files.iter().map(|f| f.name.clone()).collect();
        analysis.request(Request::Begin { names }, &[], |_| true);
        // Two requests per worker: while it parses one, the browser is already
        // reading the next one's files (see worker::parse).
        for _ in 0..REQUESTS_PER_WORKER {
            for w in 0..run.workers.len() {
                dispatch_next(&run, w, &analysis, state, &client, self.clone());
            }
        }
    }

    /// Cancel: stops parse workers at once; the analysis worker drops the
    /// partial load (or is restarted if it is busy detecting).
    pub fn cancel(&self, state: AppState, client: &DataClient) {
        let was_analysing = matches!(state.load.get_untracked(), LoadStatus::Analysing { .. });
        self.cancel_parsing(client);
        if was_analysing {
            client.reset();
            state.summary.set(None);
            state.insights.set(Vec::new());
        }
        state.load.set(LoadStatus::Cancelled);
    }

    fn cancel_parsing(&self, client: &DataClient) {
        if let Some(run) = self.current.borrow_mut().take() {
            *run.cancelled.borrow_mut() = true;
            for w in &run.workers {
                w.terminate();
            }
            if let Ok(link) = client.link() {
                link.request(Request::Abort, &[], |_| true);
            }
        }
    }

    fn is_current(&self, run: &Rc<Run>) -> bool {
        self.current
            .borrow()
            .as_ref()
            .is_some_and(|r| Rc::ptr_eq(r, run))
    }
}

/// Gives parse worker `w` its next chunk of files, or finishes the load when
/// nothing is queued or in flight.
fn dispatch_next(
    run: &Rc<Run>,
    w: usize,
    analysis: &Rc<WorkerLink>,
    state: AppState,
    client: &DataClient,
    loader: Loader,
) {
    if *run.cancelled.borrow() {
        return;
    }
    let mut inputs = Vec::new();
    let mut files = Vec::new();
    let mut bytes = 0.0;
    if *run.full.borrow() {
        run.queue.borrow_mut().clear();
    }
    {
        let mut queue = run.queue.borrow_mut();
        while let Some((input, file, size)) = queue.pop_front() {
            // A part of a shared archive goes alone, so the parts run on different workers.
            if input.parts > 1 && !inputs.is_empty() {
                queue.push_front((input, file, size));
                break;
            }
            let alone = input.parts > 1;
            bytes += size as f64;
            inputs.push(input);
            files.push(JsValue::from(file));
            if alone || bytes >= CHUNK_BYTES || inputs.len() >= CHUNK_FILES {
                break;
            }
        }
    }
    if inputs.is_empty() {
        if *run.in_flight.borrow() == 0 {
            finish(run, analysis, state, client, &loader);
        }
        return;
    }
    *run.in_flight.borrow_mut() += 1;
    let (run2, analysis2, client2) = (Rc::clone(run), Rc::clone(analysis), client.clone());
    let Some(worker) = run.workers.get(w) else {
        return;
    };
    // The same Files go on to the analysis worker with their batches.
    let input_ids: Vec<u32> = inputs.iter().map(|i| i.input).collect();
    let forward_files = files.clone();
    let max_events = events_left(run, inputs.first().map_or(1, |i| i.parts));
    let request = Request::Parse { inputs, max_events };
    worker.request(request, &files, move |reply| {
        let run = &run2;
        if *run.cancelled.borrow() {
            return true;
        }
        match reply.body {
            Response::Progress {
                bytes,
                files,
                events,
            } => {
                if let Some(slot) = run.partial.borrow_mut().get_mut(w) {
                    *slot = (bytes, events, files);
                }
                publish(run, state);
                false
            }
            Response::ParseStats(t) => {
                run.timings.borrow_mut().add(&t);
                false
            }
            Response::Parsed {
                files,
                bytes,
                events,
            } => {
                if let Some(slot) = run.partial.borrow_mut().get_mut(w) {
                    *slot = (0, 0, 0);
                }
                {
                    let mut done = run.done.borrow_mut();
                    done.0 += bytes;
                    done.1 += events;
                    done.2 += files;
                }
                publish(run, state);
                // Forward the batches untouched (transferred, never copied into this page).
                let forward_run = Rc::clone(run);
                let (a, c, l) = (Rc::clone(&analysis2), client2.clone(), loader.clone());
                let mut attachments = reply.attachments;
                attachments.truncate(1);
                attachments.extend(forward_files.iter().cloned());
                let request = Request::AddBatches {
                    inputs: input_ids.clone(),
                };
                analysis2.request(request, &attachments, move |ack| {
                    *forward_run.in_flight.borrow_mut() -= 1;
                    match ack.body {
                        Response::Error(e) => {
                            fail(&forward_run, state, &l, e);
                            return true;
                        }
                        Response::Full => {
                            *forward_run.full.borrow_mut() = true;
                            forward_run.queue.borrow_mut().clear();
                        }
                        _ => {}
                    }
                    if forward_run.queue.borrow().is_empty() && *forward_run.in_flight.borrow() == 0
                    {
                        finish(&forward_run, &a, state, &c, &l);
                    }
                    true
                });
                dispatch_next(run, w, &analysis2, state, &client2, loader.clone());
                true
            }
            Response::Error(e) => {
                fail(run, state, &loader, e);
                true
            }
            _ => true,
        }
    });
}

/// What is left of the memory guard for one more parse request: the budget
/// less the events parsed so far, shared by the `parts` of a split archive
/// (they run at once).
fn events_left(run: &Run, parts: u32) -> u64 {
    let done = run.done.borrow().1;
    let partial: u64 = run.partial.borrow().iter().map(|x| x.1).sum();
    BROWSER_MAX_EVENTS.saturating_sub(done + partial) / u64::from(parts.max(1))
}

/// Publishes the sum of finished and in-progress parse work.
fn publish(run: &Run, state: AppState) {
    let mut p = run.progress.borrow_mut();
    let done = *run.done.borrow();
    let partial = run.partial.borrow();
    p.bytes_done = (done.0 + partial.iter().map(|x| x.0).sum::<u64>()).min(p.bytes_total);
    p.events = done.1 + partial.iter().map(|x| x.1).sum::<u64>();
    p.files_done = done.2 + partial.iter().map(|x| x.2).sum::<u32>();
    p.elapsed_ms = now_ms() - run.started_ms;
    state.load.set(LoadStatus::Parsing(p.clone()));
}

fn fail(run: &Rc<Run>, state: AppState, loader: &Loader, message: String) {
    if !loader.is_current(run) {
        return;
    }
    *run.cancelled.borrow_mut() = true;
    for w in &run.workers {
        w.terminate();
    }
    loader.current.borrow_mut().take();
    state.load.set(LoadStatus::Failed(message));
}

/// All batches are in: merge and detect in the analysis worker.
fn finish(
    run: &Rc<Run>,
    analysis: &Rc<WorkerLink>,
    state: AppState,
    client: &DataClient,
    loader: &Loader,
) {
    if *run.cancelled.borrow() || !loader.is_current(run) {
        return;
    }
    // Parse workers are done: free them now.
    for w in &run.workers {
        w.terminate();
    }
    let p = run.progress.borrow().clone();
    state.load.set(LoadStatus::Analysing {
        files: p.files_total,
        events: p.events,
    });
    let stats = LoadStats {
        parse_workers: run.workers.len() as u32,
        parse: *run.timings.borrow(),
        reading_ms: now_ms() - run.started_ms,
        ..LoadStats::default()
    };
    analysis.request(Request::PageStats(stats), &[], |_| true);
    let settings = state.settings.get_untracked();
    let (run, loader, _client) = (Rc::clone(run), loader.clone(), client.clone());
    analysis.request(Request::Finish { settings }, &[], move |reply| {
        if !loader.is_current(&run) {
            return true;
        }
        loader.current.borrow_mut().take();
        match loaded(reply.body) {
            Ok((summary, insights)) => {
                state.summary.set(Some(summary));
                state.insights.set(insights);
                state.load.set(LoadStatus::Done {
                    ms: now_ms() - run.started_ms,
                });
            }
            Err(e) => state.load.set(LoadStatus::Failed(e)),
        }
        true
    });
}

/// Milliseconds since page load.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}
