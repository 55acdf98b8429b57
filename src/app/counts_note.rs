//! The list page's note for a counts session: what was loaded (counts and
//! attributions files, rows), that the events are not in the browser, and
//! what to do for attributions.

use super::format::group_thousands;
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn CountsNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let source = state.summary.with(|s| s.as_ref()?.from_counts.clone())?;
        let insights = state.insights.with(Vec::len);
        let attributions = if source.attribution_files.is_empty() {
            "No attributions yet: open an Insight's Attributions tab for the query (step 3) that gives them, then load its result.".to_string()
        } else {
            format!(
                "Attributions from {} ({} of {} Insights).",
                source.attribution_files.join(", "),
                source.attributed,
                insights
            )
        };
        Some(view! {
            <section class="ts-panel ts-counts-note" id="counts-note" aria-label="Loaded from per-minute counts">
                <p>
                    {format!(
                        "Loaded from per-minute counts: {} ({} rows). The events themselves are not in this browser.",
                        source.counts_files.join(", "),
                        group_thousands(source.count_rows as i64)
                    )}
                </p>
                <p id="counts-note-attributions">{attributions}</p>
            </section>
        })
    }
}
