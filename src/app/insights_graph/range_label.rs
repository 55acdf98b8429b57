//! The shown range as text under the graph ("Showing 2026-11-25 12:00 –
//! 2026-11-25 15:00 UTC (3 h)"), announced politely to screen readers.

use super::view_state::GraphState;
use crate::app::format::zone_offset;
use crate::app::AppState;
use crate::format::{duration, minute_at, zone_label};
use leptos::prelude::*;

#[component]
pub fn GraphRange(graph: GraphState) -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        let (from, to) = graph.view.get().whole_minutes();
        let use_utc = state.use_utc.get();
        format!(
            "{} – {} {} ({})",
            minute_at(from, zone_offset(use_utc, from)),
            minute_at(to, zone_offset(use_utc, to)),
            zone_label(zone_offset(use_utc, (from + to) / 2)),
            duration(to - from),
        )
    };
    view! { <p class="ts-chart-range" aria-live="polite">"Showing " {text}</p> }
}
