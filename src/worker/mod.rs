//! The web workers (wasm32 only): the adapters between the page's messages
//! and the pure core's [`Session`].
//!
//! One worker binary plays two roles, chosen by the messages it gets: *parse*
//! workers (a pool) read `File`s in slices ([`file_reader`]) and parse them
//! ([`parse`], the logic in [`crate::session::parse`]); the single *analysis*
//! worker hands every other request to its [`Session`], which merges the
//! batches, detects, answers queries and builds exports. This module only
//! decodes messages, wraps `File`s as byte sources and posts the answers
//! (see [`crate::session::protocol`] for the wire format). Work is
//! synchronous inside a worker: it never blocks the page.

pub mod file_reader;
mod parse;

use crate::session::protocol::{Envelope, Request, Response};
use crate::session::{Attached, ByteSource, Host, Session};
use file_reader::FileSource;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A `File` is read in slices, never whole.
impl ByteSource for web_sys::File {
    type Reader = FileSource;
    fn open(&self) -> std::io::Result<FileSource> {
        FileSource::new(self.clone())
    }
}

thread_local! {
    static SESSION: RefCell<Session<web_sys::File>> = RefCell::new(Session::new(Host {
        now_ms,
        memory_bytes: wasm_memory_bytes,
    }));
}

/// The worker's "handler installed" message to the page.
pub const READY: &str = "trailsight-worker-ready";

/// Installs the message handler; called once by `src/bin/worker.rs`.
pub fn register() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            handle(event.data());
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages that arrived before this point were dropped by the browser;
    // the page holds them back until it sees this.
    scope.post_message(&JsValue::from_str(READY)).ok();
}

fn handle(data: JsValue) {
    let array: js_sys::Array = data.unchecked_into();
    let head = js_sys::Uint8Array::new(&array.get(0)).to_vec();
    let Ok(envelope) = bincode::deserialize::<Envelope<Request>>(&head) else {
        // Without an id there is no one to answer; the page's timeout covers it.
        return;
    };
    let attachments: Vec<JsValue> = array.iter().skip(1).collect();
    let id = envelope.id;
    match envelope.body {
        Request::Parse { inputs, max_events } => parse::parse(id, inputs, max_events, attachments),
        request => {
            let attached = attached(&request, attachments);
            let answer = SESSION.with(|s| s.borrow_mut().handle(request, attached));
            let file = answer
                .attachment
                .map(|bytes| js_sys::Uint8Array::from(bytes.as_slice()));
            post(id, &answer.response, file.as_ref());
        }
    }
}

/// The attachments of `request` for the session: `AddBatches`' first is
/// the parsed batches, every other is a `File`.
fn attached(request: &Request, attachments: Vec<JsValue>) -> Attached<web_sys::File> {
    let mut rest = attachments.into_iter();
    let payload = match request {
        Request::AddBatches { .. } => rest.next().map(|p| js_sys::Uint8Array::new(&p).to_vec()),
        _ => None,
    };
    Attached {
        payload,
        sources: rest.map(|a| a.dyn_into::<web_sys::File>().ok()).collect(),
    }
}

/// Posts one answer; a `Uint8Array` attachment is transferred, not copied.
pub(crate) fn post(id: u64, body: &Response, attachment: Option<&js_sys::Uint8Array>) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let bytes = bincode::serialize(&Envelope { id, body }).unwrap_or_else(|e| {
        let error = Response::Error(format!("cannot encode the answer: {e}"));
        bincode::serialize(&Envelope { id, body: &error }).unwrap_or_default()
    });
    let message = js_sys::Array::new();
    message.push(&js_sys::Uint8Array::from(bytes.as_slice()));
    let transfer = js_sys::Array::new();
    if let Some(a) = attachment {
        message.push(a);
        transfer.push(&a.buffer());
    }
    scope.post_message_with_transfer(&message, &transfer).ok();
}

/// Milliseconds from an arbitrary origin (workers have no `window.performance` in web-sys' view).
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// This worker's wasm memory (`memory.buffer.byteLength`): it only grows,
/// so after a load it is the load's peak.
fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as u64)
                .unwrap_or(0)
        })
        .unwrap_or(0)
}
