//! One row of the CloudTrail events tab, expandable to the event's original
//! JSON (re-read by the analysis worker the first time it is opened).

use crate::app::event_line::{expand_button, original_json_on_demand, original_json_view};
use crate::app::format::format_ms_in;
use crate::app::AppState;
use crate::model::EventRow;
use leptos::prelude::*;

/// One event: its row and, when expanded, a row with the original JSON.
#[component]
pub fn EventLine(row: EventRow) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = row.index;
    let detail_id = format!("ts-event-json-{index}");
    let (expanded, json, toggle) = original_json_on_demand(index);
    let time_ms = row.time_ms;
    let time = move || format_ms_in(time_ms, state.use_utc.get());
    let error = if row.error_code.is_empty() {
        "–".to_string()
    } else {
        row.error_code.clone()
    };
    let label = format!("Show the JSON of event {}", row.event_id);
    let detail_id2 = detail_id.clone();
    view! {
        <tr class="ts-event-row" class:ts-expanded=move || expanded.get()>
            <td class="ts-expand-col">{expand_button(expanded, detail_id, label, toggle)}</td>
            <td class="ts-nowrap">{time}</td>
            <td class="ts-break">{row.identity}</td>
            <td>{row.name}</td>
            <td>{row.source_ip}</td>
            <td>{error}</td>
        </tr>
        <tr class="ts-event-detail" id=detail_id2 hidden=move || !expanded.get()>
            <td colspan="6">
                {original_json_view(json)}
            </td>
        </tr>
    }
}
