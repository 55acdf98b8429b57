//! Shown on a details route when no data is loaded (after a reload, say): the
//! route is kept, so loading the same logs lands on the same Insight.

use super::drop_zone::DropZone;
use super::progress_panel::ProgressPanel;
use super::routing::{navigate, Route};
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn NoData() -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = move || match state.route.get() {
        Route::Details { id, .. } => id,
        _ => String::new(),
    };
    view! {
        <section class="ts-panel ts-nodata" id="no-data">
            <h2>"Load data to see this Insight"</h2>
            <p>
                "Insight " <code>{id}</code>
                " lives in logs that are not loaded in this tab. Load the same logs again and it opens here; nothing was uploaded anywhere."
            </p>
            <p><a href="#/" class="ts-link" on:click=move |ev| { ev.prevent_default(); navigate(&Route::List); }>"Back to the Insights list"</a></p>
        </section>
        <DropZone />
        <ProgressPanel />
    }
}
