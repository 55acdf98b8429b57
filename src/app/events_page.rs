//! The standalone events view (`#/events?...`): every loaded event that
//! matches the filters and minute range in the URL, 50 a page, in time
//! order; each row expands to its original JSON. Filters show as removable
//! chips; the page number is in the URL too, so a deep link reopens it.

use super::event_line::{events_table_head, EventLine};
use super::filter_chips::FilterChips;
use super::pager::{Pager, PAGE_SIZE};
use super::routing::{navigate, EventsQuery, Route};
use super::state::AppState;
use super::DataClient;
use crate::model::EventRow;
use leptos::prelude::*;

#[component]
pub fn EventsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let query = Memo::new(move |_| match state.route.get() {
        Route::Events(q) => q,
        _ => EventsQuery::default(),
    });
    let answer = PageAnswer::new();
    let PageAnswer {
        rows,
        total,
        status,
        shown,
        ..
    } = answer;

    Effect::new(move |_| {
        let q = query.get();
        // A new load replaces the data: fetch again.
        if !state.summary.with(Option::is_some) {
            return;
        }
        match client.clone() {
            Some(client) => answer.request(client, q),
            None => status.set(Some("No data client".to_string())),
        }
    });

    let page = move || query.with(|q| q.page);
    let go = move |p: u32| {
        let mut q = query.get_untracked();
        q.page = p;
        navigate(&Route::Events(q));
    };

    view! {
        <section class="ts-panel ts-all-events" id="events-view" aria-label="Events" data-shown=move || shown.get()>
            <div class="ts-toolbar">
                <h2>"Events"</h2>
                <a class="ts-link" href=Route::Overview.to_hash()>"Overview"</a>
            </div>
            {move || view! { <FilterChips filter=query.get().filter /> }}
            <Pager
                page=Signal::derive(page)
                total=total
                shown=Signal::derive(move || rows.with(Vec::len))
                status=status
                on_go=Callback::new(go)
                id="events"
            />
            <table class="ts-table ts-all-events-table" id="events-table">
                {events_table_head(&["Time", "Event name", "User", "Identity type", "Source IP", "Region", "Error code"])}
                <tbody>
                    {move || {
                        let filter = query.get_untracked().filter;
                        rows.get().into_iter().map(|r| view! { <EventLine row=r filter=filter.clone() /> }).collect_view()
                    }}
                </tbody>
            </table>
        </section>
    }
}

/// Where one page of filtered events lands, and which request it answers.
#[derive(Clone, Copy)]
struct PageAnswer {
    rows: RwSignal<Vec<EventRow>>,
    total: RwSignal<u32>,
    status: RwSignal<Option<String>>,
    /// The route whose answer is shown (read by the e2e tests to know a
    /// navigation's rows have arrived).
    shown: RwSignal<String>,
    generation: StoredValue<u64>,
}

impl PageAnswer {
    fn new() -> Self {
        PageAnswer {
            rows: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            status: RwSignal::new(None),
            shown: RwSignal::new(String::new()),
            generation: StoredValue::new(0),
        }
    }

    /// Asks the worker for the page `q` names; a newer request supersedes it.
    fn request(self, client: DataClient, q: EventsQuery) {
        let g = self.generation.get_value() + 1;
        self.generation.set_value(g);
        self.status.set(Some("Loading events…".to_string()));
        let hash = Route::Events(q.clone()).to_hash();
        leptos::task::spawn_local(async move {
            let result = client
                .filtered_events(q.filter, q.page.saturating_mul(PAGE_SIZE), PAGE_SIZE)
                .await;
            if self.generation.try_get_value() != Some(g) {
                return;
            }
            match result {
                Ok((r, t)) => {
                    self.rows.try_set(r);
                    self.total.try_set(t);
                    self.status.try_set(None);
                    self.shown.try_set(hash);
                }
                Err(e) => {
                    self.status
                        .try_set(Some(format!("Could not load events: {e}")));
                }
            }
        });
    }
}
