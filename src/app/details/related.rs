//! The details page's left column: the Insights of the same API and Insight type,
//! newest first. Each is a link to its details page (same tab), so choosing one
//! shows it and highlights its band in the graph; the current one is marked
//! `aria-current`.

use crate::app::format::{average, duration, format_minute_in};
use crate::app::routing::{DetailsTab, Route};
use crate::app::AppState;
use crate::model::Insight;
use leptos::prelude::*;

#[component]
pub fn RelatedList(
    current: String,
    #[prop(into)] insights: Signal<Vec<Insight>>,
    #[prop(into)] tab: Signal<DetailsTab>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let items = move || {
        let mut list = insights.get();
        list.sort_by(|a, b| {
            b.start_minute
                .cmp(&a.start_minute)
                .then(a.shared_event_id.cmp(&b.shared_event_id))
        });
        let use_utc = state.use_utc.get();
        let tab = tab.get();
        list.into_iter()
            .map(|i| {
                let is_current = i.shared_event_id == current;
                let href = Route::Details {
                    id: i.shared_event_id.clone(),
                    tab,
                }
                .to_hash();
                let when = format_minute_in(i.start_minute, use_utc);
                let detail = format!(
                    "{} · {} → {}{}",
                    duration(i.insight_duration),
                    average(i.baseline_average),
                    average(i.insight_average),
                    i.key
                        .error_code
                        .as_ref()
                        .map(|c| format!(" · {c}"))
                        .unwrap_or_default()
                );
                let id = i.shared_event_id.clone();
                view! {
                    <li class="ts-related-item" class:ts-current=is_current>
                        <a
                            href=href
                            aria-current=is_current.then_some("page")
                            on:click=move |_| state.selected.set(Some(id.clone()))
                        >
                            <span class="ts-related-when">{when}</span>
                            <span class="ts-related-detail">{detail}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <aside class="ts-details-related" aria-labelledby="ts-related-title">
            <h3 id="ts-related-title">"Insights for this API"</h3>
            <p class="ts-muted">
                {move || match insights.with(Vec::len) {
                    1 => "1 Insight of the same API and type".to_string(),
                    n => format!("{n} Insights of the same API and type"),
                }}
            </p>
            <ul class="ts-related-list">{items}</ul>
        </aside>
    }
}
