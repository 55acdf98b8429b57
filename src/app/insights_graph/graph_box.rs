//! The focusable graph box around the canvas: it takes the pointer, the wheel
//! and the keyboard and hands them to the view state
//! ([`crate::view_model::chart_view::GraphView`]); a taken event's default is
//! prevented (no page scroll on a wheel zoom, no text selection on a drag).

use super::canvas::Painter;
use super::view_state::GraphState;
use leptos::prelude::*;

/// Pointer position relative to the graph box, in CSS pixels.
fn local_xy(container: NodeRef<leptos::html::Div>, ev: &web_sys::MouseEvent) -> Option<(f64, f64)> {
    let r = container.get_untracked()?.get_bounding_client_rect();
    Some((
        f64::from(ev.client_x()) - r.left(),
        f64::from(ev.client_y()) - r.top(),
    ))
}

/// The focusable graph box: takes the pointer, wheel and keyboard and hands
/// them to the view state (a taken event's default is prevented).
#[component]
pub fn GraphBox(graph: GraphState, painter: Painter, children: Children) -> impl IntoView {
    let container = painter.container;
    let on_mousedown = move |ev: web_sys::MouseEvent| {
        let Some((x, _)) = local_xy(container, &ev).filter(|_| ev.button() == 0) else {
            return;
        };
        if graph.apply(|g| g.press(x, ev.shift_key())) == Some(true) {
            ev.prevent_default();
        }
    };
    let on_mousemove = move |ev: web_sys::MouseEvent| {
        if let Some((x, y)) = local_xy(container, &ev) {
            graph.apply(|g| g.move_to(x, y));
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        let Some((x, _)) = local_xy(container, &ev) else {
            return;
        };
        if graph.apply(|g| g.wheel(x, ev.delta_y())) == Some(true) {
            ev.prevent_default();
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if graph.apply(|g| g.key(&ev.key())) == Some(true) {
            ev.prevent_default();
        }
    };
    view! {
        <div
            class="ts-chart"
            class:ts-chart-panning=move || graph.pan_mode.get()
            node_ref=container
            tabindex="0"
            aria-label="Insights graph: drag to zoom, shift+drag to pan, + and - to zoom, arrows to pan, 0 to reset"
            data-from-minute=move || graph.view.get().whole_minutes().0.to_string()
            data-to-minute=move || graph.view.get().whole_minutes().1.to_string()
            on:mousedown=on_mousedown
            on:mousemove=on_mousemove
            on:mouseup=move |_| { graph.apply(|g| g.release()); }
            on:mouseleave=move |_| { graph.apply(|g| g.leave()); }
            on:wheel=on_wheel
            on:keydown=on_keydown
            on:dblclick=move |_| { graph.apply(|g| g.reset()); }
        >
            {children()}
        </div>
    }
}
