//! The CloudTrail events tab: the events of the Insight's minutes, its Start
//! minute through its last unusual minute ([`MinuteRange::of_insight`]), 50 a page,
//! fetched from the analysis worker. The switch "Only show events for selected
//! Insights event" (on by default) limits them to the Insight's series; off shows
//! every event in the window. A row expands to the event's original JSON, fetched
//! on demand and shown as text.

use super::event_row::EventLine;
use crate::app::event_line::events_table_head;
use crate::app::format::zone_offset;
use crate::app::pager::{Pager, PAGE_SIZE};
use crate::app::{AppState, DataClient};
use crate::format::{minute_at, zone_label};
use crate::model::{EventRow, Insight, MinuteRange};
use leptos::prelude::*;

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
                <span class="ts-muted">{move || window_text(state.use_utc.get(), range)}</span>
            </div>
            <Pager
                page=page
                total=total
                shown=Signal::derive(move || rows.with(Vec::len))
                status=status
                on_go=Callback::new(move |p| page.set(p))
            />
            <table class="ts-table ts-events-table">
                {events_table_head(&["Time", "User", "Event name", "Source IP", "Error code"])}
                <tbody>
                    {move || rows.get().into_iter().map(|r| view! { <EventLine row=r /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "Events from … to …": `to` names the instant the range ends, the end of
/// its last minute.
fn window_text(use_utc: bool, range: MinuteRange) -> String {
    let o = zone_offset(use_utc, range.start);
    format!(
        "Events from {} to {} {}",
        minute_at(range.start, o),
        minute_at(range.end, zone_offset(use_utc, range.end)),
        zone_label(o)
    )
}
