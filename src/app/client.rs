//! [`DataClient`]: the page's handle on the analysis worker, which holds the
//! merged dataset. Components query it for graph series, event pages and
//! original event JSON; nothing heavy ever runs on the main thread.
//!
//! Provided as a Leptos context: `use_context::<DataClient>()`.

use super::worker_link::{Reply, WorkerLink};
use crate::engine::DetectConfig;
use crate::export::ExportKind;
use crate::model::{EventRow, Insight, MinutePoint, MinuteRange, SeriesKey};
use crate::session::protocol::{LoadSummary, Request, Response};
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// A cheap, cloneable handle on the analysis worker (spawned on first use).
#[derive(Clone)]
pub struct DataClient {
    // SendWrapper: Leptos contexts must be Send + Sync; this one is only ever
    // touched on the main thread.
    inner: SendWrapper<Rc<RefCell<Option<Rc<WorkerLink>>>>>,
}

impl Default for DataClient {
    fn default() -> Self {
        DataClient::new()
    }
}

impl DataClient {
    pub fn new() -> DataClient {
        DataClient {
            inner: SendWrapper::new(Rc::new(RefCell::new(None))),
        }
    }

    /// The analysis worker, started if needed.
    pub(crate) fn link(&self) -> Result<Rc<WorkerLink>, String> {
        if let Some(link) = self.inner.borrow().as_ref() {
            return Ok(Rc::clone(link));
        }
        let link = Rc::new(WorkerLink::spawn()?);
        *self.inner.borrow_mut() = Some(Rc::clone(&link));
        Ok(link)
    }

    /// Stops the analysis worker (its data is lost); the next call starts a fresh one.
    pub(crate) fn reset(&self) {
        if let Some(link) = self.inner.borrow_mut().take() {
            link.terminate();
        }
    }

    pub(crate) async fn call(
        &self,
        body: Request,
        attachments: &[JsValue],
    ) -> Result<Reply, String> {
        let link = self.link()?;
        let reply = link.call(body, attachments).await;
        match reply.body {
            Response::Error(e) => Err(e),
            _ => Ok(reply),
        }
    }

    /// Calls and errors per minute of one series, every minute of `range`
    /// (half-open: `range.end` is not in it) present.
    pub async fn series(
        &self,
        key: SeriesKey,
        range: MinuteRange,
    ) -> Result<Vec<MinutePoint>, String> {
        match self.call(Request::Series { key, range }, &[]).await?.body {
            Response::Series(points) => Ok(points),
            other => Err(unexpected(&other)),
        }
    }

    /// One page of the events whose minute is in `range` (half-open; of one
    /// series when `key` is given), and the total number of matching events.
    pub async fn events(
        &self,
        key: Option<SeriesKey>,
        range: MinuteRange,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<EventRow>, u32), String> {
        let request = Request::Events {
            key,
            range,
            offset,
            limit,
        };
        match self.call(request, &[]).await?.body {
            Response::Events { rows, total } => Ok((rows, total)),
            other => Err(unexpected(&other)),
        }
    }

    /// The original JSON of event `index` ([`EventRow::index`]), re-read from its file.
    pub async fn event_json(&self, index: u32) -> Result<String, String> {
        match self.call(Request::EventJson { index }, &[]).await?.body {
            Response::EventJson(json) => Ok(json),
            other => Err(unexpected(&other)),
        }
    }

    /// Re-runs detection on the loaded data.
    pub async fn detect(
        &self,
        settings: DetectConfig,
    ) -> Result<(LoadSummary, Vec<Insight>), String> {
        loaded(self.call(Request::Detect { settings }, &[]).await?.body)
    }

    /// Generates and loads the demo data in the worker.
    pub async fn demo(
        &self,
        settings: DetectConfig,
    ) -> Result<(LoadSummary, Vec<Insight>), String> {
        loaded(self.call(Request::Demo { settings }, &[]).await?.body)
    }

    /// Builds an export file: its name, MIME type and bytes (a `Uint8Array`).
    pub async fn export(&self, kind: ExportKind) -> Result<(String, String, JsValue), String> {
        let reply = self.call(Request::Export { kind }, &[]).await?;
        match reply.body {
            Response::Exported { file_name, mime } => {
                let bytes = reply
                    .attachments
                    .into_iter()
                    .next()
                    .ok_or("export without a file")?;
                Ok((file_name, mime, bytes))
            }
            other => Err(unexpected(&other)),
        }
    }
}

pub(crate) fn loaded(body: Response) -> Result<(LoadSummary, Vec<Insight>), String> {
    match body {
        Response::Loaded { summary, insights } => Ok((*summary, insights)),
        other => Err(unexpected(&other)),
    }
}

fn unexpected(response: &Response) -> String {
    match response {
        Response::Error(e) => e.clone(),
        other => format!(
            "unexpected answer from the worker: {:?}",
            std::mem::discriminant(other)
        ),
    }
}

impl DataClient {
    /// The `limit` highest-ranked bursts under `settings` ([`crate::engine::bursts`]).
    pub async fn bursts(
        &self,
        settings: DetectConfig,
        limit: u32,
    ) -> Result<Vec<crate::engine::bursts::Burst>, String> {
        match self
            .call(Request::Bursts { settings, limit }, &[])
            .await?
            .body
        {
            Response::Bursts(list) => Ok(list),
            other => Err(unexpected(&other)),
        }
    }
}

/// The Overview page's and the standalone events view's queries.
impl DataClient {
    /// The Overview of the loaded events that match `filter`.
    pub async fn overview(
        &self,
        filter: crate::engine::overview::EventFilter,
    ) -> Result<crate::engine::overview::Overview, String> {
        match self.call(Request::Overview { filter }, &[]).await?.body {
            Response::Overview(o) => Ok(*o),
            other => Err(unexpected(&other)),
        }
    }

    /// One page of all loaded events that match `filter`, and how many match.
    pub async fn filtered_events(
        &self,
        filter: crate::engine::overview::EventFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<EventRow>, u32), String> {
        let request = Request::FilteredEvents {
            filter,
            offset,
            limit,
        };
        match self.call(request, &[]).await?.body {
            Response::Events { rows, total } => Ok((rows, total)),
            other => Err(unexpected(&other)),
        }
    }
}
