//! One top list of the Overview as a small bar chart: a row per value, its
//! bar an SVG rectangle scaled to the list's largest count with the count
//! beside it. Every row is a link (focusable, Enter opens it) to the events
//! view filtered by that value.

use super::routing::{EventFilter, Route};
use crate::engine::overview::{Counted, TopList};
use leptos::prelude::*;

/// Width in SVG units of the longest bar.
const BAR_WIDTH: f64 = 100.0;

/// `list` under `title`; `filter_of` is the events-view filter of one entry.
/// `id` names the list (`overview-apis`), so tests and styles can find it.
#[component]
pub fn TopBars(
    title: &'static str,
    id: &'static str,
    list: TopList,
    filter_of: fn(&Counted) -> EventFilter,
    /// What an entry with no value is called in the footnote ("no user agent").
    #[prop(default = "no value")]
    missing_label: &'static str,
) -> impl IntoView {
    let max = list.entries.first().map_or(1, |c| c.count.max(1)) as f64;
    let rows = list
        .entries
        .iter()
        .map(|c| {
            let href = Route::events(filter_of(c)).to_hash();
            let width = (c.count as f64 / max * BAR_WIDTH).max(0.5);
            let count = crate::app::format::group_thousands(c.count as i64);
            let label = if c.detail.is_empty() {
                format!("{}: {count} events", c.value)
            } else {
                format!("{} ({}): {count} events", c.value, c.detail)
            };
            view! {
                <li>
                    <a class="ts-bar" href=href aria-label=label data-value=c.value.clone() data-count=c.count.to_string()>
                        <span class="ts-bar__label">
                            <span class="ts-bar__value" title=c.value.clone()>{c.value.clone()}</span>
                            {(!c.detail.is_empty()).then(|| view! { <span class="ts-bar__detail">{c.detail.clone()}</span> })}
                        </span>
                        <svg class="ts-bar__chart" viewBox="0 0 130 14" preserveAspectRatio="none" aria-hidden="true">
                            <rect class="ts-bar__rect" x="0" y="2" height="10" width=format!("{width:.2}")></rect>
                        </svg>
                        <span class="ts-bar__count">{count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let mut notes = Vec::new();
    if list.other > 0 {
        let more = list.distinct.saturating_sub(list.entries.len() as u64);
        notes.push(format!(
            "{} more values: {} events",
            more,
            crate::app::format::group_thousands(list.other as i64)
        ));
    }
    if list.missing > 0 {
        notes.push(format!(
            "{missing_label}: {} events",
            crate::app::format::group_thousands(list.missing as i64)
        ));
    }
    let empty = list.entries.is_empty();
    view! {
        <section class="ts-panel ts-top" id=id aria-label=title>
            <h3 class="ts-top__title">{title}</h3>
            {empty.then(|| view! { <p class="ts-muted">"None"</p> })}
            <ol class="ts-top__list">{rows}</ol>
            {(!notes.is_empty()).then(|| view! { <p class="ts-muted ts-top__note">{notes.join(" · ")}</p> })}
        </section>
    }
}
