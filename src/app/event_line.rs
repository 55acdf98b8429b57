//! One row of the standalone events view, expandable to the event's
//! original JSON (re-read by the analysis worker on demand). The user,
//! event name, source IP and error code cells are links that add that value
//! to the view's filters.

use super::format::format_ms_in;
use super::routing::{EventFilter, Route};
use super::state::AppState;
use super::DataClient;
use crate::format::pretty_json;
use crate::model::EventRow;
use leptos::prelude::*;

/// Columns of the events view's table (for the detail row's `colspan`).
pub const COLUMNS: u32 = 8;

#[component]
pub fn EventLine(row: EventRow, filter: EventFilter) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = row.index;
    let detail_id = format!("ts-all-event-json-{index}");
    let (expanded, json, toggle) = original_json_on_demand(index);
    let time_ms = row.time_ms;
    let time = move || format_ms_in(time_ms, state.use_utc.get());
    // A cell that narrows the view to its value.
    let link = |value: String, set: fn(&mut EventFilter, String)| {
        if value.is_empty() {
            return view! { <span class="ts-muted">"–"</span> }.into_any();
        }
        let mut f = filter.clone();
        set(&mut f, value.clone());
        let href = Route::events(f).to_hash();
        view! { <a class="ts-link" href=href>{value}</a> }.into_any()
    };
    let user = link(row.identity.clone(), |f, v| f.identity = Some(v));
    let name = link(row.name.clone(), |f, v| f.name = Some(v));
    let ip = link(row.source_ip.clone(), |f, v| f.source_ip = Some(v));
    let error = link(row.error_code.clone(), |f, v| f.error_code = Some(v));
    let label = format!("Show the JSON of event {}", row.event_id);
    let detail_id2 = detail_id.clone();
    view! {
        <tr class="ts-event-row" class:ts-expanded=move || expanded.get() data-index=index.to_string()>
            <td class="ts-expand-col">{expand_button(expanded, detail_id, label, toggle)}</td>
            <td class="ts-nowrap">{time}</td>
            <td>{name}<div class="ts-muted">{row.source}</div></td>
            <td class="ts-break">{user}</td>
            <td>{row.identity_type}</td>
            <td>{ip}</td>
            <td>{row.region}<div class="ts-muted">{row.account}</div></td>
            <td>{error}</td>
        </tr>
        <tr class="ts-event-detail" id=detail_id2 hidden=move || !expanded.get()>
            <td colspan=COLUMNS.to_string()>
                {original_json_view(json)}
            </td>
        </tr>
    }
}

/// An event's original JSON: not fetched yet, or the pretty text, or why it
/// could not be read.
pub type OriginalJson = RwSignal<Option<Result<String, String>>>;

/// An event row's expand state, its original JSON (fetched from the worker
/// the first time the row is expanded, then kept), and the click handler that
/// toggles it. Shared by the events view and the details page's events tab.
pub fn original_json_on_demand(
    index: u32,
) -> (
    RwSignal<bool>,
    OriginalJson,
    impl Fn(leptos::ev::MouseEvent) + 'static,
) {
    let client = use_context::<DataClient>();
    let expanded = RwSignal::new(false);
    let json: OriginalJson = RwSignal::new(None);
    let toggle = move |_| {
        expanded.update(|e| *e = !*e);
        if expanded.get_untracked() && json.with_untracked(Option::is_none) {
            let Some(client) = client.clone() else {
                json.set(Some(Err("No data client".to_string())));
                return;
            };
            leptos::task::spawn_local(async move {
                let r = client.event_json(index).await.map(|t| pretty_json(&t));
                json.try_set(Some(r));
            });
        }
    };
    (expanded, json, toggle)
}

/// The header row of an events table: the expand column, then `columns`.
pub fn events_table_head(columns: &'static [&'static str]) -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col" class="ts-expand-col"><span class="ts-visually-hidden">"Details"</span></th>
                {columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
            </tr>
        </thead>
    }
}

/// The button that opens and closes an event row's JSON (`controls` is the
/// detail row's id).
pub fn expand_button(
    expanded: RwSignal<bool>,
    controls: String,
    label: String,
    toggle: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="ts-expand"
            aria-expanded=move || if expanded.get() { "true" } else { "false" }
            aria-controls=controls
            aria-label=label
            on:click=toggle
        >
            <span aria-hidden="true">{move || if expanded.get() { "▾" } else { "▸" }}</span>
        </button>
    }
}

/// An expanded row's content: the original JSON, "Loading…", or why it
/// could not be read.
pub fn original_json_view(json: OriginalJson) -> impl IntoView {
    move || match json.get() {
        None => view! { <p class="ts-muted">"Loading…"</p> }.into_any(),
        Some(Ok(text)) => view! { <pre class="ts-json" tabindex="0">{text}</pre> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="ts-error">{format!("Could not read the event: {e}")}</p> }.into_any()
        }
    }
}
