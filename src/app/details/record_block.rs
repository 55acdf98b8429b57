//! One Insights event record as formatted JSON (keys in AWS's order) with a
//! Copy button; used for our records and for AWS's own beside them.

use crate::app::clipboard::copy_text;
use crate::format::pretty_json;
use leptos::prelude::*;

#[component]
pub fn RecordBlock(title: &'static str, id: &'static str, json: String) -> impl IntoView {
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
