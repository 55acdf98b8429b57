//! The web workers (wasm32 only): a thin shim over the pure core.
//!
//! One worker binary plays two roles, chosen by the messages it gets: *parse*
//! workers (a pool) read `File`s in slices and parse them with [`crate::ingest`];
//! the single *analysis* worker merges their batches, runs [`crate::engine`],
//! answers queries and builds exports. See [`protocol`] for the wire format.
//! Work is synchronous inside a worker: it never blocks the page.

mod analysis;
mod counts_session;
mod export;
pub mod file_reader;
mod parse;
pub mod protocol;

use protocol::{Envelope, Request, Response};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static ANALYSIS: RefCell<analysis::Analysis> = RefCell::new(analysis::Analysis::default());
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
        other => {
            let (response, attachment) =
                ANALYSIS.with(|a| a.borrow_mut().handle(id, other, attachments));
            post(id, &response, attachment.as_ref());
        }
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
