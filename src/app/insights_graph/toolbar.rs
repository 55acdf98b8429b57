//! The graph's toolbar: Zoom in, Zoom out, Pan mode, Reset axes, the console's
//! time-span presets (centred on the Insight) and Download PNG.

use super::canvas::download_png;
use super::view_state::GraphState;
use crate::view_model::chart::SPAN_PRESETS;
use leptos::prelude::*;

/// The toolbar of a graph whose Insight runs from `start` to `end` (minutes);
/// Download PNG saves `canvas` as `png_name`.
#[component]
pub fn GraphToolbar(
    graph: GraphState,
    start: i64,
    end: i64,
    canvas: NodeRef<leptos::html::Canvas>,
    png_name: String,
) -> impl IntoView {
    let on_span = move |ev: leptos::ev::Event| {
        let minutes = event_target_value(&ev).parse::<i64>().ok();
        graph.apply(|g| g.show_span(start, end, minutes));
    };
    let download = move |_| {
        if let Some(c) = canvas.get_untracked() {
            download_png(&c, &png_name);
        }
    };
    view! {
        <div class="ts-chart-toolbar" role="toolbar" aria-label="Graph tools">
            <button type="button" on:click=move |_| { graph.apply(|g| g.zoom_in()); }>"Zoom in"</button>
            <button type="button" on:click=move |_| { graph.apply(|g| g.zoom_out()); }>"Zoom out"</button>
            <button
                type="button"
                aria-pressed=move || if graph.pan_mode.get() { "true" } else { "false" }
                on:click=move |_| { graph.apply(|g| g.toggle_pan_mode()); }
            >
                "Pan"
            </button>
            <button type="button" class="ts-chart-reset" on:click=move |_| { graph.apply(|g| g.reset()); }>
                "Reset axes"
            </button>
            <label class="ts-chart-span">
                "Time span "
                <select on:change=on_span>
                    <option value="">"Default"</option>
                    {SPAN_PRESETS
                        .iter()
                        .map(|(label, minutes)| view! { <option value=minutes.to_string()>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <button type="button" class="ts-chart-download" on:click=download>"Download PNG"</button>
        </div>
    }
}
