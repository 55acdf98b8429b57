//! The page's end of a worker: spawn, send a request with attachments, route
//! every answer to the handler registered for its request id, terminate.
//!
//! We speak to `web_sys::Worker` directly rather than through gloo-worker's
//! bridges: Cancel must *terminate* a worker that is busy parsing (a gloo bridge
//! can only ask it to stop, which a busy worker never reads), and `File`s and
//! large byte buffers must travel as attachments, which bincode cannot carry.

use crate::session::protocol::{Envelope, Request, Response};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Trunk's loader shim for the `worker` bin (`data-loader-shim` in index.html):
/// a classic script, so the worker needs no `blob:` URL and CSP stays `'self'`.
pub const WORKER_URL: &str = "./worker_loader.js";

/// What a worker posts once its message handler is installed.
pub const READY: &str = crate::worker::READY;

/// One answer: the response and its attachments (`File`s or `Uint8Array`s).
pub struct Reply {
    pub body: Response,
    pub attachments: Vec<JsValue>,
}

/// Called for every answer to one request; returns `true` once the request is
/// complete (the handler is then dropped).
type Handler = Box<dyn FnMut(Reply) -> bool>;

struct Shared {
    pending: RefCell<HashMap<u64, Handler>>,
    next_id: Cell<u64>,
    /// Messages posted before the worker said it is ready: a worker drops
    /// messages that arrive before its wasm has installed the handler.
    queued: RefCell<Option<Vec<(js_sys::Array, js_sys::Array)>>>,
}

/// A running worker. Dropping it does not stop the worker; call [`terminate`](Self::terminate).
pub struct WorkerLink {
    worker: web_sys::Worker,
    shared: Rc<Shared>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerLink {
    pub fn spawn() -> Result<WorkerLink, String> {
        let worker = web_sys::Worker::new(WORKER_URL)
            .map_err(|e| format!("cannot start a worker: {e:?}"))?;
        let shared = Rc::new(Shared {
            pending: RefCell::new(HashMap::new()),
            next_id: Cell::new(1),
            queued: RefCell::new(Some(Vec::new())),
        });
        let on_message = {
            let shared = Rc::clone(&shared);
            let worker = worker.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let data = event.data();
                if data.as_string().as_deref() == Some(READY) {
                    let queued = shared.queued.borrow_mut().take().unwrap_or_default();
                    for (message, transfer) in queued {
                        if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
                            fail_all(&shared, &format!("cannot post to the worker: {e:?}"));
                        }
                    }
                    return;
                }
                dispatch(&shared, data);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                event.prevent_default();
                let message = event
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .unwrap_or_else(|| "the worker stopped".to_string());
                fail_all(&shared, &format!("worker error: {message}"));
            })
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerLink {
            worker,
            shared,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `body` with `attachments`; `handler` sees every answer until it returns `true`.
    pub fn request(
        &self,
        body: Request,
        attachments: &[JsValue],
        handler: impl FnMut(Reply) -> bool + 'static,
    ) {
        let id = self.shared.next_id.get();
        self.shared.next_id.set(id + 1);
        let bytes = match bincode::serialize(&Envelope { id, body }) {
            Ok(b) => b,
            Err(e) => {
                let mut handler = handler;
                handler(Reply {
                    body: Response::Error(format!("cannot encode request: {e}")),
                    attachments: vec![],
                });
                return;
            }
        };
        self.shared
            .pending
            .borrow_mut()
            .insert(id, Box::new(handler));
        let message = js_sys::Array::new();
        message.push(&js_sys::Uint8Array::from(bytes.as_slice()));
        // Byte buffers are transferred, not copied; Files are references anyway.
        let transfer = js_sys::Array::new();
        for a in attachments {
            message.push(a);
            if let Some(buf) = a.dyn_ref::<js_sys::Uint8Array>() {
                transfer.push(&buf.buffer());
            }
        }
        if let Some(queue) = self.shared.queued.borrow_mut().as_mut() {
            queue.push((message, transfer));
            return;
        }
        if let Err(e) = self.worker.post_message_with_transfer(&message, &transfer) {
            fail_all(&self.shared, &format!("cannot post to the worker: {e:?}"));
        }
    }

    /// Sends `body` and waits for its single answer.
    pub async fn call(&self, body: Request, attachments: &[JsValue]) -> Reply {
        let (tx, rx) = futures_channel::oneshot::channel();
        let mut tx = Some(tx);
        self.request(body, attachments, move |reply| {
            if let Some(tx) = tx.take() {
                tx.send(reply).ok();
            }
            true
        });
        rx.await.unwrap_or(Reply {
            body: Response::Error("the worker was stopped".into()),
            attachments: vec![],
        })
    }

    /// Stops the worker at once, even mid-computation; pending requests fail.
    pub fn terminate(&self) {
        self.worker.terminate();
        fail_all(&self.shared, "cancelled");
    }
}

fn dispatch(shared: &Shared, data: JsValue) {
    let array: js_sys::Array = data.unchecked_into();
    let head = js_sys::Uint8Array::new(&array.get(0)).to_vec();
    let Ok(envelope) = bincode::deserialize::<Envelope<Response>>(&head) else {
        fail_all(shared, "unreadable message from the worker");
        return;
    };
    let attachments = array.iter().skip(1).collect();
    // Take the handler out while it runs: it may send new requests.
    let handler = shared.pending.borrow_mut().remove(&envelope.id);
    if let Some(mut handler) = handler {
        let done = handler(Reply {
            body: envelope.body,
            attachments,
        });
        if !done {
            shared.pending.borrow_mut().insert(envelope.id, handler);
        }
    }
}

fn fail_all(shared: &Shared, message: &str) {
    let handlers: Vec<Handler> = shared
        .pending
        .borrow_mut()
        .drain()
        .map(|(_, h)| h)
        .collect();
    for mut handler in handlers {
        handler(Reply {
            body: Response::Error(message.to_string()),
            attachments: vec![],
        });
    }
}
