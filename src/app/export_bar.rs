//! Export buttons: all Insights as a `.zip` in AWS's S3 layout, as JSON Lines,
//! as EventBridge events (JSON Lines), and the list as CSV. Files are built in the analysis worker and saved
//! through a `blob:` link (no network).

use super::client::DataClient;
use super::state::AppState;
use crate::export::ExportKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn ExportBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<DataClient>();
    let error = RwSignal::new(None::<String>);
    let export = move |kind: ExportKind| {
        let client = client.clone();
        spawn_local(async move {
            match client.export(kind).await {
                Ok((name, mime, bytes)) => {
                    if let Err(e) = save(&name, &mime, &bytes) {
                        error.set(Some(e));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let none = move || state.insights.with(Vec::is_empty);
    let button = move |id: &'static str, label: &'static str, kind: ExportKind| {
        let export = export.clone();
        view! { <button type="button" class="ts-button" id=id on:click=move |_| export(kind) disabled=none>{label}</button> }
    };
    view! {
        <div class="ts-export" role="group" aria-label="Export Insights">
            {button("export-zip", "Download .zip (S3 layout)", ExportKind::S3Zip)}
            {button("export-jsonl", "JSON Lines", ExportKind::JsonLines)}
            {button("export-eventbridge", "EventBridge JSON Lines", ExportKind::EventBridge)}
            {button("export-csv", "CSV", ExportKind::Csv)}
            {move || error.get().map(|e| view! { <span class="ts-status--error" role="alert">{e}</span> })}
        </div>
    }
}

/// Saves `bytes` (a `Uint8Array`) as a download named `name`.
fn save(name: &str, mime: &str, bytes: &JsValue) -> Result<(), String> {
    let parts = js_sys::Array::of1(bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download; the URL can go.
    web_sys::Url::revoke_object_url(&url).ok();
    Ok(())
}
