//! One row of the Insights table; a click, Enter or Space opens the Insight's
//! details page on its graph tab.

use crate::app::format;
use crate::app::routing::{navigate, DetailsTab, Route};
use crate::app::state::AppState;
use crate::model::Insight;
use leptos::prelude::*;

/// Selects the Insight `id` and opens its details page.
fn open(state: AppState, id: String) {
    state.selected.set(Some(id.clone()));
    navigate(&Route::Details {
        id,
        tab: DetailsTab::Graph,
    });
}

/// The row of `insight`, its start time in UTC when `utc`, else local time.
#[component]
pub fn InsightRow(insight: Insight, utc: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i = insight;
    let id = i.shared_event_id.clone();
    let (id_click, id_key) = (id.clone(), id.clone());
    let name_label = match &i.key.error_code {
        Some(code) => format!("{} ({code})", i.key.name),
        None => i.key.name.clone(),
    };
    let aria = format!("Open Insight {name_label}");
    let found = state.found_by(&id);
    let href = Route::Details {
        id: id.clone(),
        tab: DetailsTab::Graph,
    }
    .to_hash();
    view! {
        <tr
            class="ts-row"
            tabindex="0"
            data-id=id
            aria-label=aria
            on:click=move |_| open(state, id_click.clone())
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    open(state, id_key.clone());
                }
            }
        >
            <td><a class="ts-link" href=href tabindex="-1">{name_label}</a></td>
            <td>{format::insight_type_label(i.key.insight_type)}</td>
            <td>{i.key.source.clone()}</td>
            <td class="ts-nowrap">{format::format_minute_in(i.start_minute, utc)}</td>
            <td class="ts-num">{format::average(i.baseline_average)}</td>
            <td class="ts-num">{format::average(i.insight_average)}</td>
            <td class="ts-num">{format::rate_change(i.baseline_average, i.insight_average)}</td>
            <td>{i.key.region.clone()}</td>
            <td class="ts-mono">{i.key.account.clone()}</td>
            <td class="ts-num">{format::duration(i.insight_duration)}</td>
            <td class="ts-found-by" data-found-by=found.slug()>{found.label()}</td>
        </tr>
    }
}
