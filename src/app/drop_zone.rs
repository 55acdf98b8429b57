//! The drop zone: files, many files, folders and archives by drag and drop, a
//! file picker, a folder picker, and "Try the demo data".

use super::client::DataClient;
use super::files::{capture_drop, from_file_list, resolve_drop};
use super::loader::{InputFile, Loader};
use super::state::{AppState, LoadStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Starts loading `files` (the shared entry point of every way in).
pub fn load(files: Vec<InputFile>) {
    let (Some(state), Some(client), Some(loader)) = (
        use_context::<AppState>(),
        use_context::<DataClient>(),
        use_context::<Loader>(),
    ) else {
        return;
    };
    // Counts and attributions files are told from logs first.
    super::table_load::start(files, state, client, loader);
}

/// The drop zone and pickers. `compact` shows a one-line version once data is loaded.
#[component]
pub fn DropZone(#[prop(optional)] compact: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<DataClient>();
    let loader = expect_context::<Loader>();
    let dragging = RwSignal::new(false);

    let start = {
        let (client, loader) = (client.clone(), loader.clone());
        move |files: Vec<InputFile>| {
            super::table_load::start(files, state, client.clone(), loader.clone())
        }
    };
    let on_pick = {
        let start = start.clone();
        move |ev: leptos::ev::Event| {
            if let Some(files) = take_picked(&ev) {
                start(files);
            }
        }
    };
    let on_drop = {
        let start = start.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            dragging.set(false);
            let Some(transfer) = ev.data_transfer() else {
                return;
            };
            let dropped = capture_drop(&transfer);
            let start = start.clone();
            spawn_local(async move {
                match resolve_drop(dropped).await {
                    Ok(files) => start(files),
                    Err(e) => state.load.set(LoadStatus::Failed(e)),
                }
            });
        }
    };
    let on_demo = move |_| load_demo(state, client.clone());
    let busy = move || state.load.with(LoadStatus::is_busy);

    view! {
        <section
            class="ts-drop"
            class:ts-drop--active=move || dragging.get()
            class:ts-drop--compact=compact
            id="drop-zone"
            aria-label="Load CloudTrail logs"
            on:dragenter=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p class="ts-drop__title">
                {if compact { "Drop more logs to replace the loaded data" } else { "Drop CloudTrail logs here" }}
            </p>
            <p class="ts-drop__hint" class:ts-hidden=compact>
                "Files, folders, .json, .json.gz, JSON Lines, lookup-events output, .zip, .tar.gz. "
                "Everything stays in this browser."
            </p>
            <div class="ts-drop__actions">
                <label class="ts-button ts-button--primary">
                    "Choose files"
                    <input id="file" type="file" multiple class="ts-visually-hidden" on:change=on_pick.clone() prop:disabled=busy />
                </label>
                <label class="ts-button">
                    "Choose a folder"
                    <input id="folder" type="file" multiple prop:webkitdirectory=true class="ts-visually-hidden" on:change=on_pick prop:disabled=busy />
                </label>
                <button id="demo" type="button" class="ts-button" on:click=on_demo disabled=busy>
                    "Try the demo data"
                </button>
            </div>
        </section>
    }
}

/// The files of a picker's `change` event; the picker is reset so picking the
/// same files again still fires `change`.
fn take_picked(ev: &leptos::ev::Event) -> Option<Vec<InputFile>> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let files = from_file_list(input.files());
    input.set_value("");
    Some(files)
}

/// Loads the built-in demo data set in the analysis worker.
fn load_demo(state: AppState, client: DataClient) {
    let started = super::loader::now_ms();
    state.load.set(LoadStatus::Analysing {
        files: 0,
        events: 0,
    });
    spawn_local(async move {
        match client.demo(state.settings.get_untracked()).await {
            Ok((summary, insights)) => {
                state.summary.set(Some(summary));
                state.insights.set(insights);
                state.load.set(LoadStatus::Done {
                    ms: super::loader::now_ms() - started,
                });
            }
            Err(e) => state.load.set(LoadStatus::Failed(e)),
        }
    });
}
