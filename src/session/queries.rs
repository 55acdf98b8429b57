//! Queries on loaded logs: detection with other settings, the graph's
//! series, event pages, an event's original JSON (re-read from its input),
//! bursts, the Overview and the exports. Each bounds what one request may
//! ask for, so a bad request cannot build a huge answer.

use super::load::{loaded_response, Kept, Loaded};
use super::protocol::{Request, Response};
use super::{Answer, ByteSource, Session};
use crate::engine::{self, overview};
use crate::ingest::{self, Limits};
use crate::model::Insight;
use std::io::Cursor;

/// The longest graph span one query may ask for (about 70 days of minutes).
pub(super) const MAX_SERIES_MINUTES: u64 = 100_000;
/// The largest page of events one query may ask for.
const MAX_EVENTS_PAGE: u32 = 1_000;
/// The most bursts one query may ask for.
const MAX_BURSTS: u32 = 500;

const NO_DATA: &str = "no data loaded";

impl<S: ByteSource> Session<S> {
    /// The queries on the loaded logs (the requests `handle` does not route elsewhere).
    pub(super) fn query(&mut self, request: Request) -> Answer {
        if let Request::Export { kind } = request {
            let insights = self.loaded.as_ref().map_or(&[][..], |l| &l.insights);
            return export(kind, insights);
        }
        if let Request::Detect { settings } = request {
            return self.detect(settings).into();
        }
        let Some(l) = &self.loaded else {
            return Response::Error(NO_DATA.into()).into();
        };
        let response = match request {
            Request::Series { key, range } => {
                let range = range.truncated(MAX_SERIES_MINUTES);
                Response::Series(engine::minute_series(&l.dataset, &key, range))
            }
            Request::Events {
                key,
                range,
                offset,
                limit,
            } => {
                let indexes = engine::events_in_window(&l.dataset, key.as_ref(), range);
                let rows = indexes
                    .iter()
                    .skip(offset as usize)
                    .take(limit.min(MAX_EVENTS_PAGE) as usize)
                    .filter_map(|&i| l.dataset.row(i as usize))
                    .collect();
                Response::Events {
                    rows,
                    total: indexes.len() as u32,
                }
            }
            Request::EventJson { index } => match event_json(l, index) {
                Ok(json) => Response::EventJson(json),
                Err(e) => Response::Error(e),
            },
            Request::Bursts { settings, limit } => Response::Bursts(engine::bursts::bursts(
                &l.dataset,
                &settings,
                limit.min(MAX_BURSTS) as usize,
            )),
            Request::Overview { filter } => {
                Response::Overview(Box::new(overview::overview(&l.dataset, &filter)))
            }
            Request::FilteredEvents {
                filter,
                offset,
                limit,
            } => {
                let limit = limit.min(MAX_EVENTS_PAGE);
                let (rows, total) = overview::events_page(&l.dataset, &filter, offset, limit);
                Response::Events { rows, total }
            }
            _ => Response::Error("not a query".into()),
        };
        response.into()
    }

    /// Detects again on the loaded logs with other settings.
    fn detect(&mut self, settings: engine::DetectConfig) -> Response {
        let now = self.host.now_ms;
        let Some(loaded) = self.loaded.as_mut() else {
            return Response::Error(NO_DATA.into());
        };
        let started = now();
        let detection = engine::detect(&loaded.dataset, &settings);
        loaded.insights = detection.insights.clone();
        let response = loaded_response(loaded, detection, now() - started);
        self.with_stats(response)
    }
}

/// The export file of `kind` as an answer with its attachment.
pub(super) fn export(kind: crate::export::ExportKind, insights: &[Insight]) -> Answer {
    match crate::export::build(kind, insights) {
        Ok(file) => Answer {
            response: Response::Exported {
                file_name: file.file_name,
                mime: file.mime,
            },
            attachment: Some(file.bytes),
        },
        Err(e) => Response::Error(e).into(),
    }
}

/// Event `index`'s original JSON, re-read from its input.
fn event_json<S: ByteSource>(loaded: &Loaded<S>, index: u32) -> Result<String, String> {
    let event = loaded
        .dataset
        .events
        .get(index as usize)
        .ok_or("no such event")?;
    let input = event.origin.input as usize;
    let name = loaded
        .dataset
        .inputs
        .get(input)
        .map(String::as_str)
        .unwrap_or("input");
    let limits = Limits::default();
    let read = match loaded.sources.get(input).and_then(Option::as_ref) {
        Some(Kept::Source(source)) => {
            let reader = source.open().map_err(|e| e.to_string())?;
            ingest::read_event_json(reader, name, &event.origin, &limits)
        }
        Some(Kept::Bytes(bytes)) => {
            ingest::read_event_json(Cursor::new(&bytes[..]), name, &event.origin, &limits)
        }
        None => return Err("the file of this event is no longer available".into()),
    };
    read.map_err(|e| e.to_string())
}
