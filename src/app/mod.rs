//! The dashboard (wasm32 only): a Leptos CSR app over web workers.
//!
//! [`App`] provides the contexts — [`AppState`] (reactive store),
//! [`DataClient`] (queries to the analysis worker) and [`loader::Loader`]
//! (the parse-worker pool) — keeps [`AppState::route`] in step with
//! `location.hash`, and shows the list page or a details page.
//!
//! One component per file; pure logic (routing, filtering and sorting) lives
//! in plain modules tested by `tests/web.rs`; every displayed text of a value
//! comes from [`crate::format`] (natively tested) through [`format`], which adds
//! the browser's zone offset.

pub mod activity_chart;
pub mod bursts;
pub mod client;
pub mod clipboard;
pub mod counts_note;
pub mod coverage_note;
pub mod details;
pub mod drop_zone;
pub mod export_bar;
pub mod files;
pub mod filter_bar;
pub mod format;
pub mod header;
pub mod insights_graph;
pub mod insights_table;
pub mod list_page;
pub mod load_details;
pub mod loader;
pub mod no_data;
pub mod progress_panel;
pub mod routing;
pub mod settings_panel;
pub mod skipped_panel;
pub mod state;
pub mod summary;
pub mod table_load;
pub mod table_logic;
pub mod worker_link;
// The Overview page and the standalone events view (issue 12).
pub mod event_line;
pub mod events_page;
pub mod filter_chips;
pub mod load_first;
pub mod overview_page;
pub mod pager;
pub mod top_bars;

pub use client::DataClient;
pub use routing::{DetailsTab, Route};
pub use state::AppState;

use leptos::prelude::*;
use table_logic::Filters;

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    state.route.set(routing::current());
    provide_context(state);
    provide_context(DataClient::new());
    provide_context(loader::Loader::default());
    // Filters live here so they survive a visit to a details page.
    let filters = RwSignal::new(Filters::default());

    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        state.route.set(routing::current());
    });
    on_cleanup(move || listener.remove());
    // The details page's Insight is the selected one.
    Effect::new(move |_| {
        if let Route::Details { id, .. } = state.route.get() {
            if state.selected.get_untracked().as_deref() != Some(id.as_str()) {
                state.selected.set(Some(id));
            }
        }
    });

    view! {
        <header::Header />
        // data-load-ms: drop → Insights list of the last load (read by the e2e benchmark).
        <main class="ts-main" id="main" data-load-ms=move || match state.load.get() {
            state::LoadStatus::Done { ms } => ms.round().to_string(),
            _ => String::new(),
        }>
            {move || match state.route.get() {
                Route::List => view! { <list_page::ListPage filters=filters /> }.into_any(),
                Route::Bursts { rank } => {
                    if state.has_data() {
                        view! { <bursts::BurstsPage rank=rank /> }.into_any()
                    } else {
                        view! { <no_data::NoData /> }.into_any()
                    }
                }
                Route::Details { id, .. } => {
                    if !state.has_data() {
                        view! { <no_data::NoData /> }.into_any()
                    } else if state.insight(&id).is_some() {
                        view! { <details::DetailsPage /> }.into_any()
                    } else {
                        view! {
                            <section class="ts-panel ts-nodata" id="not-found">
                                <h2>"No such Insight in the loaded data"</h2>
                                <p>"It may come from other logs, or from other detection settings."</p>
                                <p><a class="ts-link" href="#/">"Back to the Insights list"</a></p>
                            </section>
                        }
                        .into_any()
                    }
                }
                Route::Overview if !state.has_data() => view! { <load_first::LoadFirst what="the Overview" /> }.into_any(),
                Route::Overview => view! { <overview_page::OverviewPage /> }.into_any(),
                Route::Events(_) if !state.has_data() => view! { <load_first::LoadFirst what="the events" /> }.into_any(),
                Route::Events(_) => view! { <events_page::EventsPage /> }.into_any(),
            }}
        </main>
    }
}
