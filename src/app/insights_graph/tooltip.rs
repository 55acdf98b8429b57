//! The graph's hover read-out: a vertical line at the pointer and a tooltip with
//! the minute, its calls (and errors) and the Insight band it falls in. The text
//! comes from [`crate::view_model::chart_view::tooltip_text`].

use super::canvas::CSS_HEIGHT;
use super::view_state::GraphState;
use crate::app::format::zone_offset;
use crate::app::AppState;
use crate::view_model::chart_draw::Band;
use crate::view_model::chart_view::tooltip_text;
use leptos::prelude::*;

/// The tooltip while the pointer is over the plot and no drag is in progress;
/// `error_code` is set for an error-rate Insight (its errors line shows).
#[component]
pub fn GraphTooltip(
    graph: GraphState,
    #[prop(into)] bands: Signal<Vec<Band>>,
    error_code: Option<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = Memo::new(move |_| graph.graph.with(|g| g.tooltip_at()));
    move || {
        let (x, y) = at.get()?;
        let a = graph.area.get();
        let (minute, (left, top)) = graph
            .graph
            .with_untracked(|g| (g.minute_at(x), g.tooltip_box(x, y, CSS_HEIGHT)));
        let use_utc = state.use_utc.get();
        let offset_at = move |m: i64| zone_offset(use_utc, m);
        let t = graph.points.with(|pts| {
            bands.with(|b| tooltip_text(pts, minute, &offset_at, error_code.as_deref(), b))
        });
        Some(view! {
            <div class="ts-chart-hover" style:left=format!("{x}px") style:top=format!("{}px", a.y0)
                style:height=format!("{}px", a.height)></div>
            <div class="ts-chart-tooltip" role="status" style:left=format!("{left}px")
                style:top=format!("{top}px")>
                <div class="ts-chart-tooltip-time">{t.time}</div>
                <div>{t.calls}</div>
                {t.errors.map(|e| view! { <div>{e}</div> })}
                {t.band.map(|b| view! { <div class="ts-chart-tooltip-band">{b}</div> })}
            </div>
        })
    }
}
