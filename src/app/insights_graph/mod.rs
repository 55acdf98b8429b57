//! The Insights graph tab: [`InsightsGraph`], a plotters canvas with zoom (drag a
//! range, mouse wheel, `+`/`-`), pan (shift+drag, Pan mode, arrow keys), Reset,
//! a hover tooltip, an HTML legend, UTC/local labels and PNG download.
//!
//! The parts, one per file: the view-state hook ([`view_state`]; the state and
//! its transitions are the pure, natively tested
//! [`crate::view_model::chart_view::GraphView`]), the canvas glue ([`canvas`];
//! the drawing itself is [`crate::view_model::chart_draw`], generic over the
//! plotters backend and tested on SVG), and the [`toolbar`], [`tooltip`],
//! [`legend`], drag [`selection`], [`range_label`] and focusable [`graph_box`]
//! components. This module
//! lays them out and wires pointer and keyboard events to the state. The shown
//! range is exposed as `data-from-minute` / `data-to-minute` on the `.ts-chart`
//! element and as visible text (`.ts-chart-range`).

pub mod canvas;
pub mod graph_box;
pub mod legend;
pub mod range_label;
pub mod selection;
pub mod toolbar;
pub mod tooltip;
pub mod view_state;

use crate::view_model::chart_draw::Band;

use crate::model::{Insight, InsightType};
use canvas::Painter;
use graph_box::GraphBox;
use legend::GraphLegend;
use leptos::prelude::*;
use range_label::GraphRange;
use selection::DragSelection;
use toolbar::GraphToolbar;
use tooltip::GraphTooltip;
use view_state::use_graph_view;

/// The bands of `related` (Insights of the same series), the one with
/// `shared_id` selected.
fn bands_of(related: &[Insight], shared_id: &str) -> Vec<Band> {
    related
        .iter()
        .map(|i| Band {
            start: i.start_minute,
            end: i.end_minute,
            selected: i.shared_event_id == shared_id,
        })
        .collect()
}

/// The Insights graph of `insight`'s series with a band for each of `related`
/// (Insights of the same series; `insight` itself is drawn stronger). `visible`
/// says when the tab panel is shown: the canvas is only painted then, because a
/// hidden canvas has no width.
#[component]
pub fn InsightsGraph(
    insight: Insight,
    #[prop(into)] related: Signal<Vec<Insight>>,
    #[prop(into, default = Signal::from(true))] visible: Signal<bool>,
) -> impl IntoView {
    let graph = use_graph_view(&insight);
    let painter = Painter::new(&insight);
    let shared_id = insight.shared_event_id.clone();
    let bands = Signal::derive(move || related.with(|r| bands_of(r, &shared_id)));
    canvas::paint_on_change(painter, graph, bands, visible);
    let error_code = (insight.key.insight_type == InsightType::ApiErrorRateInsight)
        .then(|| insight.key.error_code.clone().unwrap_or_default());
    let aria = format!(
        "Insights graph of {} {} per minute; the shown range is in the text below",
        insight.key.name,
        if error_code.is_some() {
            "calls and errors"
        } else {
            "calls"
        }
    );
    let png_name = canvas::png_name(&insight);
    let (start, end) = (insight.start_minute, insight.end_minute);
    view! {
        <div class="ts-chart-wrap">
            <GraphToolbar graph start end canvas=painter.canvas png_name />
            <GraphBox graph painter>
                <canvas node_ref=painter.canvas role="img" aria-label=aria></canvas>
                <DragSelection graph />
                <GraphTooltip graph bands error_code />
                {move || graph.status.get().map(|s| view! { <p class="ts-chart-status">{s}</p> })}
            </GraphBox>
            <GraphRange graph />
            <GraphLegend insight />
        </div>
    }
}
