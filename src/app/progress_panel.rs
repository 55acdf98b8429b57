//! Load progress: files, bytes and events processed, a progress bar, the time
//! left, and Cancel. Also shows how the last load ended.

use super::client::DataClient;
use super::format;
use super::loader::Loader;
use super::state::{AppState, LoadStatus};
use leptos::prelude::*;

#[component]
pub fn ProgressPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<DataClient>();
    let loader = expect_context::<Loader>();
    let cancel = move |_| loader.cancel(state, &client);

    move || {
        match state.load.get() {
        LoadStatus::Idle => ().into_any(),
        LoadStatus::Parsing(p) => {
            let pct = (p.fraction() * 100.0).round();
            let eta = p.eta_ms().map(|ms| format!(", about {} left", format::millis(ms))).unwrap_or_default();
            view! {
                <section class="ts-progress" id="progress" aria-live="polite" aria-label="Loading progress">
                    <div class="ts-progress__text">
                        {format!(
                            "Reading {} of {} files · {} of {} · {} events{}",
                            p.files_done,
                            p.files_total,
                            format::bytes(p.bytes_done),
                            format::bytes(p.bytes_total),
                            format::group_thousands(p.events as i64),
                            eta,
                        )}
                    </div>
                    <progress class="ts-progress__bar" max="100" prop:value=pct aria-label="Bytes read"></progress>
                    <button type="button" class="ts-button" id="cancel" on:click=cancel.clone()>"Cancel"</button>
                </section>
            }
            .into_any()
        }
        LoadStatus::Analysing { files, events } => {
            let text = if files == 0 {
                "Generating the demo data and detecting Insights…".to_string()
            } else {
                format!(
                    "Read {files} files, {} events. Merging and detecting Insights…",
                    format::group_thousands(events as i64)
                )
            };
            view! {
                <section class="ts-progress" id="progress" aria-live="polite" aria-label="Loading progress">
                    <div class="ts-progress__text">{text}</div>
                    <progress class="ts-progress__bar" aria-label="Detecting"></progress>
                    <button type="button" class="ts-button" id="cancel" on:click=cancel.clone()>"Cancel"</button>
                </section>
            }
            .into_any()
        }
        LoadStatus::Done { ms } => view! {
            <p class="ts-status" id="status" data-ms=ms.round().to_string()>
                {format!("Loaded in {}.", format::millis(ms))}
            </p>
        }
        .into_any(),
        LoadStatus::Cancelled => view! { <p class="ts-status" id="status">"Loading cancelled."</p> }.into_any(),
        LoadStatus::Failed(e) => view! {
            <p class="ts-status ts-status--error" id="status" role="alert">{format!("Loading failed: {e}")}</p>
        }
        .into_any(),
    }
    }
}
