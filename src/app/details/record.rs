//! The Insights event record tab: the Start and End records as formatted JSON
//! (keys in AWS's order), each with a Copy button using the async clipboard API.

use crate::format::pretty_json;
use crate::model::Insight;
use leptos::prelude::*;

/// Writes `text` to the clipboard; `Err` with a reason when the browser refuses.
async fn copy_text(text: String) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let promise = navigator.clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

#[component]
pub(crate) fn RecordBlock(title: &'static str, id: &'static str, json: String) -> impl IntoView {
    let pretty = pretty_json(&json);
    let copied = RwSignal::new(None::<&'static str>);
    let text = pretty.clone();
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            let label = match copy_text(text).await {
                Ok(()) => "Copied",
                Err(_) => "Copy failed",
            };
            copied.try_set(Some(label));
        });
    };
    view! {
        <section class="ts-record" aria-labelledby=id>
            <div class="ts-record-head">
                <h3 id=id>{title}</h3>
                <button type="button" class="ts-copy" on:click=copy>"Copy"</button>
                <span class="ts-copied" role="status">{move || copied.get()}</span>
            </div>
            <pre class="ts-json" tabindex="0">{pretty}</pre>
        </section>
    }
}

/// The Insights event record tab of `insight`; AWS's own record beside
/// ours when AWS found it too ([`super::aws_record`]).
#[component]
pub fn RecordTab(insight: Insight) -> impl IntoView {
    let id = insight.shared_event_id.clone();
    view! {
        <div class="ts-records-pair">
            <div class="ts-records">
                <RecordBlock title="Start event" id="ts-record-start" json=insight.start_record_json />
                <RecordBlock title="End event" id="ts-record-end" json=insight.end_record_json />
            </div>
            <super::aws_record::AwsRecords shared_event_id=id />
        </div>
    }
}
