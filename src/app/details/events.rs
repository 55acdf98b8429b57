//! The CloudTrail events tab: the events of the Insight's minutes, its Start
//! minute through its last unusual minute ([`MinuteRange::of_insight`]), 50 a page,
//! fetched from the analysis worker. The switch "Only show events for selected
//! Insights event" (on by default) limits them to the Insight's series; off shows
//! every event in the window. A row expands to the event's original JSON, fetched
//! on demand and shown as text.

use crate::app::insights_graph::zone_offset;
use crate::app::{AppState, DataClient};
use crate::model::{EventRow, Insight, MinuteRange};
use crate::viewmath::timefmt::{format_minute, format_time_ms, zone_label};
use leptos::prelude::*;

/// Events per page.
pub const PAGE_SIZE: u32 = 50;

/// `1–50 of 1234`, or `No events` when there are none.
pub fn page_label(offset: u32, shown: usize, total: u32) -> String {
    if total == 0 || shown == 0 {
        return "No events".to_string();
    }
    let last = u64::from(offset) + shown as u64;
    format!("{}–{} of {}", u64::from(offset) + 1, last, total)
}

#[component]
pub fn EventsTab(
    insight: Insight,
    #[prop(into)] visible: Signal<bool>,
    /// The switch's words when the window is not an Insight's (the Bursts view).
    #[prop(optional)]
    switch_label: Option<&'static str>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let only_selected = RwSignal::new(true);
    let page = RwSignal::new(0u32);
    let rows = RwSignal::new(Vec::<EventRow>::new());
    let total = RwSignal::new(0u32);
    let status = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);
    let range = MinuteRange::of_insight(&insight);
    let key = insight.key.clone();
    // Fetch lazily: only once the tab has been shown.
    let active =
        Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || visible.get());

    Effect::new(move |_| {
        let only = only_selected.get();
        let p = page.get();
        if !active.get() {
            return;
        }
        let Some(client) = client.clone() else {
            status.set(Some("No data client".to_string()));
            return;
        };
        let g = generation.get_value() + 1;
        generation.set_value(g);
        let key = only.then(|| key.clone());
        status.set(Some("Loading events…".to_string()));
        leptos::task::spawn_local(async move {
            let result = client.events(key, range, p * PAGE_SIZE, PAGE_SIZE).await;
            // A newer request (page or switch change) supersedes this answer.
            if generation.try_get_value() != Some(g) {
                return;
            }
            match result {
                Ok((r, t)) => {
                    rows.try_set(r);
                    total.try_set(t);
                    status.try_set(None);
                }
                Err(e) => {
                    status.try_set(Some(format!("Could not load events: {e}")));
                }
            }
        });
    });

    // "to" names the instant the range ends: the end of its last minute.
    let window_text = move || {
        let use_utc = state.use_utc.get();
        let o = zone_offset(use_utc, range.start);
        format!(
            "Events from {} to {} {}",
            format_minute(range.start, o),
            format_minute(range.end, zone_offset(use_utc, range.end)),
            zone_label(o)
        )
    };
    let pages = move || total.get().div_ceil(PAGE_SIZE).max(1);
    let label = move || page_label(page.get() * PAGE_SIZE, rows.with(Vec::len), total.get());

    view! {
        <div class="ts-events">
            <div class="ts-events-bar">
                <label class="ts-switch">
                    <input
                        type="checkbox"
                        role="switch"
                        prop:checked=move || only_selected.get()
                        on:change=move |ev| {
                            only_selected.set(event_target_checked(&ev));
                            page.set(0);
                        }
                    />
                    <span>{switch_label.unwrap_or("Only show events for selected Insights event")}</span>
                </label>
                <span class="ts-muted">{window_text}</span>
            </div>
            <div class="ts-pager" role="navigation" aria-label="Event pages">
                <button
                    type="button"
                    disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                >
                    "Previous"
                </button>
                <span class="ts-page-label" aria-live="polite">{label}</span>
                <button
                    type="button"
                    disabled=move || { page.get() + 1 >= pages() }
                    on:click=move |_| page.update(|p| *p += 1)
                >
                    "Next"
                </button>
                {move || status.get().map(|s| view! { <span class="ts-muted" role="status">{s}</span> })}
            </div>
            <table class="ts-table ts-events-table">
                <thead>
                    <tr>
                        <th scope="col" class="ts-expand-col"><span class="ts-visually-hidden">"Details"</span></th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Event name"</th>
                        <th scope="col">"Source IP"</th>
                        <th scope="col">"Error code"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.get().into_iter().map(|r| view! { <EventLine row=r /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One event: its row and, when expanded, a row with the original JSON.
#[component]
fn EventLine(row: EventRow) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = row.index;
    let detail_id = format!("ts-event-json-{index}");
    let (expanded, json, toggle) = crate::app::event_line::original_json_on_demand(index);
    let time_ms = row.time_ms;
    let time = move || {
        let o = zone_offset(state.use_utc.get(), time_ms.div_euclid(60_000));
        format!("{} {}", format_time_ms(time_ms, o), zone_label(o))
    };
    let error = if row.error_code.is_empty() {
        "–".to_string()
    } else {
        row.error_code.clone()
    };
    let label = format!("Show the JSON of event {}", row.event_id);
    let detail_id2 = detail_id.clone();
    view! {
        <tr class="ts-event-row" class:ts-expanded=move || expanded.get()>
            <td class="ts-expand-col">
                <button
                    type="button"
                    class="ts-expand"
                    aria-expanded=move || if expanded.get() { "true" } else { "false" }
                    aria-controls=detail_id
                    aria-label=label
                    on:click=toggle
                >
                    <span aria-hidden="true">{move || if expanded.get() { "▾" } else { "▸" }}</span>
                </button>
            </td>
            <td class="ts-nowrap">{time}</td>
            <td class="ts-break">{row.identity}</td>
            <td>{row.name}</td>
            <td>{row.source_ip}</td>
            <td>{error}</td>
        </tr>
        <tr class="ts-event-detail" id=detail_id2 hidden=move || !expanded.get()>
            <td colspan="6">
                {move || match json.get() {
                    None => view! { <p class="ts-muted">"Loading…"</p> }.into_any(),
                    Some(Ok(text)) => view! { <pre class="ts-json" tabindex="0">{text}</pre> }.into_any(),
                    Some(Err(e)) => view! { <p class="ts-error">{format!("Could not read the event: {e}")}</p> }.into_any(),
                }}
            </td>
        </tr>
    }
}
