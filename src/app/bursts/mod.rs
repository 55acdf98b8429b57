//! The Bursts view (`#/bursts`, `#/bursts/<rank>`): for captures too short
//! for Insights, the minutes of a series that stand out against the rest of
//! the same capture ([`crate::engine::bursts`]), ranked. Clearly labelled as
//! not Insights, never exported.
//!
//! [`BurstsPage`] fetches the ranked list from the analysis worker (under
//! the current detection settings) and shows the list ([`list`]) or one
//! entry ([`detail`]: chart, top values, events).

pub mod chart;
pub mod detail;
pub mod list;
pub mod logic;
pub mod offer;
pub mod top_values;

use crate::app::{AppState, DataClient};
use crate::engine::bursts::Burst;
use leptos::prelude::*;

/// Bursts fetched for the view.
pub const LIMIT: u32 = 100;

#[component]
pub fn BurstsPage(rank: Option<usize>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let bursts = RwSignal::new(None::<Result<Vec<Burst>, String>>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let settings = state.settings.get();
        // A new load or detection refetches.
        state.summary.track();
        let Some(client) = client.clone() else {
            bursts.set(Some(Err("No data client".to_string())));
            return;
        };
        let g = generation.get_value() + 1;
        generation.set_value(g);
        leptos::task::spawn_local(async move {
            let r = client.bursts(settings, LIMIT).await;
            if generation.try_get_value() == Some(g) {
                bursts.try_set(Some(r));
            }
        });
    });
    view! {
        <section class="ts-panel ts-bursts" id="bursts" aria-labelledby="bursts-title">
            <h2 id="bursts-title">"Bursts"</h2>
            <p class="ts-bursts__label" id="bursts-label" role="note">{logic::NOT_INSIGHTS}</p>
            <p class="ts-muted">
                "Per API, and per API and error code, the minutes whose count stands out against the rest of \
                 this capture, in the account/Regions with less than 24 hours of history (where Insights \
                 cannot be tested). Ranked by how unlikely the burst is under the series' rate in the rest of \
                 the capture. Bursts are never exported as Insights records."
            </p>
            {move || match bursts.get() {
                None => view! { <p class="ts-muted" role="status">"Looking for bursts…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="ts-error" role="alert">{format!("Could not find bursts: {e}")}</p> }.into_any(),
                Some(Ok(list)) => match rank {
                    Some(r) => match list.get(r - 1).cloned() {
                        Some(b) => view! { <detail::BurstDetail burst=b rank=r /> }.into_any(),
                        None => view! {
                            <p class="ts-empty">{format!("No burst ranked {r}.")}" "<a class="ts-link" href="#/bursts">"All bursts"</a></p>
                        }.into_any(),
                    },
                    None => view! { <list::BurstList bursts=list /> }.into_any(),
                },
            }}
        </section>
    }
}
