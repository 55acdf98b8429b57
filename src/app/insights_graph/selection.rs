//! The translucent box over the range being dragged to zoom.

use super::view_state::GraphState;
use leptos::prelude::*;

/// The box while a range selection is dragged, the plot area's height.
#[component]
pub fn DragSelection(graph: GraphState) -> impl IntoView {
    let selection = Memo::new(move |_| graph.graph.with(|g| g.selection_px()));
    move || {
        let (left, width) = selection.get()?;
        let a = graph.area.get_untracked();
        Some(view! {
            <div
                class="ts-chart-selection"
                style:left=format!("{left}px")
                style:width=format!("{width}px")
                style:top=format!("{}px", a.y0)
                style:height=format!("{}px", a.height)
            ></div>
        })
    }
}
