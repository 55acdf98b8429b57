//! Loading: runs the [`LoadPlan`] (which files go to which parse worker,
//! how a large `.zip` is split: see [`crate::load_plan`]) over a pool of
//! parse workers sized to the machine's cores, forwards their batches to the
//! analysis worker, keeps [`LoadStatus`] up to date, and supports Cancel by
//! terminating the workers.
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
use super::worker_link::{Reply, WorkerLink};
use crate::load_plan::{Job, LoadPlan, Next, PlanConfig, PlanFile, Totals};
use crate::session::protocol::{
    LoadStats, ParseInput, ParseTimings, Request, Response, BROWSER_MAX_EVENTS,
};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Most parse workers we start, whatever the core count.
const MAX_PARSE_WORKERS: usize = 8;

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
/// order, byte progress and archive splitting); bigger loads go by file count.
const SIZED_MAX_FILES: usize = 64;

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
    /// The user's files, by input index.
    files: Vec<InputFile>,
    plan: RefCell<LoadPlan>,
    progress: RefCell<Progress>,
    started_ms: f64,
    /// The parse workers' timings, summed over their requests.
    timings: RefCell<ParseTimings>,
}

/// What the callbacks of one load need.
#[derive(Clone)]
struct Ctx {
    run: Rc<Run>,
    analysis: Rc<WorkerLink>,
    state: AppState,
    loader: Loader,
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
        let planned: Vec<PlanFile> = files
            .iter()
            .map(|f| PlanFile {
                name: f.name.clone(),
                size: f.size as u64,
            })
            .collect();
        let plan = LoadPlan::new(
            &planned,
            PlanConfig::browser(pool_size(), BROWSER_MAX_EVENTS),
        );
        let mut workers = Vec::new();
        for _ in 0..plan.workers() {
            match WorkerLink::spawn() {
                Ok(w) => workers.push(w),
                Err(e) => {
                    state.load.set(LoadStatus::Failed(e));
                    return;
                }
            }
        }
        let progress = Progress {
            files_total: plan.files_total(),
            bytes_total: plan.bytes_total(),
            ..Progress::default()
        };
        let names = files.iter().map(|f| f.name.clone()).collect();
        let run = Rc::new(Run {
            workers,
            files,
            plan: RefCell::new(plan),
            progress: RefCell::new(progress.clone()),
            started_ms: now_ms(),
            timings: RefCell::new(ParseTimings::default()),
        });
        *self.current.borrow_mut() = Some(Rc::clone(&run));
        state.load.set(LoadStatus::Parsing(progress));

        analysis.request(Request::Begin { names }, &[], |_| true);
        let ctx = Ctx {
            run,
            analysis,
            state,
            loader: self.clone(),
        };
        let first = ctx.run.plan.borrow_mut().start();
        for next in first {
            act(&ctx, next);
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
            run.plan.borrow_mut().cancel();
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

/// Does what the plan says.
fn act(ctx: &Ctx, next: Next) {
    match next {
        Next::Send(job) => send(ctx, job),
        Next::Finish => finish(ctx),
        Next::Wait | Next::Stopped => {}
    }
}

/// Sends one parse request to its worker.
fn send(ctx: &Ctx, job: Job) {
    let Some(worker) = ctx.run.workers.get(job.worker) else {
        return;
    };
    let mut inputs = Vec::with_capacity(job.pieces.len());
    let mut files = Vec::with_capacity(job.pieces.len());
    for piece in &job.pieces {
        let Some(f) = ctx.run.files.get(piece.input as usize) else {
            continue;
        };
        inputs.push(ParseInput {
            input: piece.input,
            name: f.name.clone(),
            part: piece.part,
            parts: piece.parts,
        });
        files.push(JsValue::from(f.file.clone()));
    }
    // The same Files go on to the analysis worker with their batches.
    let input_ids: Vec<u32> = inputs.iter().map(|i| i.input).collect();
    let forward_files = files.clone();
    let request = Request::Parse {
        inputs,
        max_events: job.max_events,
    };
    let (ctx, w) = (ctx.clone(), job.worker);
    worker.request(request, &files, move |reply| {
        on_parse_reply(&ctx, w, &input_ids, &forward_files, reply)
    });
}

/// Handles one answer of worker `w`'s parse request; `true` when it was the last.
fn on_parse_reply(ctx: &Ctx, w: usize, input_ids: &[u32], files: &[JsValue], reply: Reply) -> bool {
    let run = &ctx.run;
    if run.plan.borrow().is_stopped() {
        return true;
    }
    match reply.body {
        Response::Progress {
            bytes,
            files,
            events,
        } => {
            let so_far = Totals {
                bytes,
                events,
                files,
            };
            run.plan.borrow_mut().progress(w, so_far);
            publish(run, ctx.state);
            false
        }
        Response::ParseStats(t) => {
            run.timings.borrow_mut().add(&t);
            false
        }
        Response::Parsed {
            files: n,
            bytes,
            events,
        } => {
            let read = Totals {
                bytes,
                events,
                files: n,
            };
            run.plan.borrow_mut().parsed(w, read);
            publish(run, ctx.state);
            forward(ctx, reply.attachments, input_ids, files);
            let next = run.plan.borrow_mut().next(w);
            act(ctx, next);
            true
        }
        Response::Error(e) => {
            fail(ctx, e);
            true
        }
        _ => true,
    }
}

/// Forwards a request's batches to the analysis worker untouched
/// (transferred, never copied into this page), with its `File`s.
fn forward(ctx: &Ctx, mut attachments: Vec<JsValue>, input_ids: &[u32], files: &[JsValue]) {
    attachments.truncate(1);
    attachments.extend(files.iter().cloned());
    let request = Request::AddBatches {
        inputs: input_ids.to_vec(),
    };
    let ctx2 = ctx.clone();
    ctx.analysis.request(request, &attachments, move |ack| {
        let full = match ack.body {
            Response::Error(e) => {
                fail(&ctx2, e);
                return true;
            }
            Response::Full => true,
            _ => false,
        };
        let next = ctx2.run.plan.borrow_mut().forwarded(full);
        act(&ctx2, next);
        true
    });
}

/// Publishes the sum of finished and in-progress parse work.
fn publish(run: &Run, state: AppState) {
    let mut p = run.progress.borrow_mut();
    let t = run.plan.borrow().totals();
    p.bytes_done = t.bytes;
    p.events = t.events;
    p.files_done = t.files;
    p.elapsed_ms = now_ms() - run.started_ms;
    state.load.set(LoadStatus::Parsing(p.clone()));
}

fn fail(ctx: &Ctx, message: String) {
    let run = &ctx.run;
    if !ctx.loader.is_current(run) {
        return;
    }
    run.plan.borrow_mut().fail();
    for w in &run.workers {
        w.terminate();
    }
    ctx.loader.current.borrow_mut().take();
    ctx.state.load.set(LoadStatus::Failed(message));
}

/// All batches are in: merge and detect in the analysis worker.
fn finish(ctx: &Ctx) {
    let (run, state) = (&ctx.run, ctx.state);
    if run.plan.borrow().is_stopped() || !ctx.loader.is_current(run) {
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
    ctx.analysis
        .request(Request::PageStats(stats), &[], |_| true);
    let settings = state.settings.get_untracked();
    let (run, loader) = (Rc::clone(run), ctx.loader.clone());
    ctx.analysis
        .request(Request::Finish { settings }, &[], move |reply| {
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
