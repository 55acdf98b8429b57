//! The events view's active filters as chips; each chip's button removes
//! its filter (a navigation, so back brings it back).

use super::format::format_minute_in;
use super::routing::{navigate, EventFilter, Route};
use super::state::AppState;
use crate::view_model::events_query::{text_fields, without};
use leptos::prelude::*;

#[component]
pub fn FilterChips(filter: EventFilter) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mut chips: Vec<(&'static str, String, String)> = text_fields(&filter)
        .into_iter()
        .filter_map(|(key, label, value)| {
            let shown = match value.as_deref()? {
                "" if key == "error" => "none (succeeded)".to_string(),
                "" => "(none)".to_string(),
                v => v.to_string(),
            };
            Some((key, label.to_string(), shown))
        })
        .collect();
    if filter.range.is_some() {
        chips.push(("range", "Time".to_string(), String::new()));
    }
    let range = filter.range;
    let empty = chips.is_empty();
    let views = chips
        .into_iter()
        .map(|(key, label, value)| {
            let next = without(&filter, key);
            let value = move || {
                if key != "range" {
                    return value.clone();
                }
                let utc = state.use_utc.get();
                match range {
                    Some(r) if r.start == i64::MIN => format!("until {}", format_minute_in(r.end, utc)),
                    Some(r) if r.end == i64::MAX => format!("from {}", format_minute_in(r.start, utc)),
                    Some(r) => format!("{} to {}", format_minute_in(r.start, utc), format_minute_in(r.end, utc)),
                    None => String::new(),
                }
            };
            let remove = format!("Remove the filter {label}");
            view! {
                <li class="ts-chip" data-key=key>
                    <span class="ts-chip__label">{label}": "</span>
                    <span class="ts-chip__value ts-break">{value}</span>
                    <button type="button" class="ts-chip__remove" aria-label=remove on:click=move |_| navigate(&Route::events(next.clone()))>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="ts-chips" id="event-filters" aria-label="Active filters">
            {empty.then(|| view! { <li class="ts-muted">"All loaded events (no filter)"</li> })}
            {views}
        </ul>
    }
}
