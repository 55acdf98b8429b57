//! What the Insights table says when it has no row: no Insight at all (with
//! the coverage headline saying why) or none matching the filters.

use crate::app::coverage_note::CoverageNote;
use crate::app::state::AppState;
use leptos::prelude::*;

#[component]
pub fn EmptyNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p class="ts-empty">
            {move || if state.insights.with(Vec::is_empty) {
                view! { "No Insights. " <CoverageNote headline_only=true /> }.into_any()
            } else {
                "No Insights match these filters.".into_any()
            }}
        </p>
    }
}
