//! A burst's chart: the series' count per minute over the whole capture of
//! its account/Region (from the analysis worker), burst minutes highlighted.
//! An SVG of bars, one per nonzero minute; values are text in titles.

use super::logic::{bars, kind_label, Bar};
use crate::app::format;
use crate::app::{AppState, DataClient};
use crate::engine::bursts::Burst;
use crate::model::MinuteRange;
use leptos::prelude::*;

const HEIGHT: f64 = 120.0;

#[component]
pub fn BurstChart(burst: Burst, range: MinuteRange) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let points = RwSignal::new(None::<Result<Vec<Bar>, String>>);
    if let Some(client) = client {
        let b = burst.clone();
        leptos::task::spawn_local(async move {
            let r = client
                .series(b.key.clone(), range)
                .await
                .map(|p| bars(&b, &p, range));
            points.try_set(Some(r));
        });
    } else {
        points.set(Some(Err("No data client".to_string())));
    }
    let width = range.len().max(1) as f64;
    let what = kind_label(&burst);
    let caption = move || {
        let utc = state.use_utc.get();
        format!(
            "{what} per minute, {} to {} (burst minutes highlighted)",
            format::format_minute_in(range.start, utc),
            format::format_minute_in(range.end, utc)
        )
    };
    view! {
        <figure class="ts-burst-chart" id="burst-chart">
            {move || match points.get() {
                None => view! { <p class="ts-muted" role="status">"Loading the chart…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="ts-error">{format!("Could not load the chart: {e}")}</p> }.into_any(),
                Some(Ok(list)) => {
                    // One minute wide (x is in minutes), with a gap while bars are wide on screen.
                    let w = if width <= 240.0 { 0.8 } else { 1.0 };
                    let rects = list.into_iter().map(|bar| {
                        let h = (bar.height * (HEIGHT - 2.0)).max(1.0);
                        view! {
                            <rect x=bar.x.to_string() y=format!("{:.2}", HEIGHT - h) width=format!("{w:.2}") height=format!("{h:.2}")
                                class=if bar.in_burst { "ts-burst-bar ts-burst-bar--hot" } else { "ts-burst-bar" }>
                                <title>{format!("{} {what}", bar.count)}</title>
                            </rect>
                        }
                    }).collect_view();
                    view! {
                        <svg class="ts-burst-svg" viewBox=format!("0 0 {width} {HEIGHT}") preserveAspectRatio="none"
                            role="img" aria-label=caption>
                            <line x1="0" y1=HEIGHT.to_string() x2=width.to_string() y2=HEIGHT.to_string() class="ts-burst-axis" />
                            {rects}
                        </svg>
                    }.into_any()
                }
            }}
            <figcaption class="ts-muted">{caption}</figcaption>
        </figure>
    }
}
