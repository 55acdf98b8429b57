//! The Insights graph tab: [`InsightsChart`], a plotters canvas with zoom (drag a
//! range, mouse wheel, `+`/`-`), pan (shift+drag, Pan mode, arrow keys), Reset,
//! a hover tooltip, an HTML legend, UTC/local labels and PNG download.
//!
//! All geometry lives in [`crate::viewmath::chart`] (natively tested); this module
//! wires pointer and keyboard events to it, keeps the state in signals and paints
//! through [`draw`]. The shown range is exposed as `data-from-minute` /
//! `data-to-minute` on the `.ts-chart` element and as visible text (`.ts-chart-range`).

mod draw;

pub use draw::{Band, PlotArea};

use crate::app::{AppState, DataClient};
use crate::model::{Insight, InsightType, MinutePoint, MinuteRange};
use crate::viewmath::attributions::format_average;
use crate::viewmath::chart::{self as vm, ViewRange, XMapping};
use crate::viewmath::timefmt::{format_duration, format_minute, zone_label};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// CSS height of the canvas.
const CSS_HEIGHT: f64 = 320.0;
/// Widest stretch of minutes fetched for one graph (60 days).
const MAX_FETCH_SPAN: i64 = 60 * 24 * 60;
/// One wheel notch / key press zooms by this factor.
const ZOOM_STEP: f64 = 1.25;

// Moved to `app::format`; kept here so this module's callers keep compiling.
pub use crate::app::format::zone_offset;

#[derive(Clone, Copy, Debug, PartialEq)]
enum DragKind {
    Select,
    Pan,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    kind: DragKind,
    start_x: f64,
    x: f64,
    start_view: ViewRange,
}

/// The Insights graph of `insight`'s series with a band for each of `related`
/// (Insights of the same series; `insight` itself is drawn stronger). `visible`
/// says when the tab panel is shown: the canvas is only painted then, because a
/// hidden canvas has no width.
#[component]
pub fn InsightsChart(
    insight: Insight,
    #[prop(into)] related: Signal<Vec<Insight>>,
    #[prop(into, default = Signal::from(true))] visible: Signal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let default_view = vm::default_range(insight.start_minute, insight.end_minute);
    let extent = state.summary.with_untracked(|s| {
        let s = s.as_ref()?;
        Some((
            s.first_event_ms?.div_euclid(60_000),
            s.last_event_ms?.div_euclid(60_000),
        ))
    });
    let bounds = vm::fetch_bounds(default_view, extent, MAX_FETCH_SPAN);

    let view = RwSignal::new(default_view);
    let points = RwSignal::new(Vec::<MinutePoint>::new());
    let status = RwSignal::new(Some("Loading the series…".to_string()));
    let area = RwSignal::new(PlotArea::default());
    let drag = RwSignal::new(None::<Drag>);
    let hover = RwSignal::new(None::<(f64, f64)>);
    let pan_mode = RwSignal::new(false);
    let resized = RwSignal::new(0u32);
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let box_ref = NodeRef::<leptos::html::Div>::new();

    let error_rate = insight.key.insight_type == InsightType::ApiErrorRateInsight;
    let shared_id = insight.shared_event_id.clone();
    // The minutes the whole range touches: a minute's bar spans [m, m + 1).
    let (fetch_from, fetch_to) = bounds.whole_minutes();
    let fetch = MinuteRange::new(fetch_from, fetch_to);
    match client {
        Some(client) => {
            let key = insight.key.clone();
            leptos::task::spawn_local(async move {
                match client.series(key, fetch).await {
                    Ok(mut p) => {
                        if !p.is_sorted_by_key(|x| x.minute) {
                            p.sort_by_key(|x| x.minute);
                        }
                        points.try_set(p);
                        status.try_set(None);
                    }
                    Err(e) => {
                        status.try_set(Some(format!("Could not load the series: {e}")));
                    }
                }
            });
        }
        None => status.set(Some("No data client".to_string())),
    }

    let listener = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    // Repaint when the system switches between light and dark. The listener lives
    // in the component's owner and is removed when the chart is dropped.
    let theme_listener = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|mql| {
            gloo::events::EventListener::new(&mql, "change", move |_| resized.update(|n| *n += 1))
        });
    StoredValue::new_local(theme_listener);

    // Paint whenever what is shown changes.
    let bands_for_draw = {
        let shared_id = shared_id.clone();
        move || -> Vec<Band> {
            related.with(|r| {
                r.iter()
                    .map(|i| Band {
                        start: i.start_minute,
                        end: i.end_minute,
                        selected: i.shared_event_id == shared_id,
                    })
                    .collect()
            })
        }
    };
    let (baseline_average, insight_average) = (insight.baseline_average, insight.insight_average);
    Effect::new(move |_| {
        let v = view.get();
        let shown = visible.get();
        let use_utc = state.use_utc.get();
        resized.track();
        let bands = bands_for_draw();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let Some(container) = box_ref.get() else {
            return;
        };
        let css_width = f64::from(container.client_width());
        if !shown || css_width <= 0.0 {
            return;
        }
        let window = web_sys::window();
        let dpr = window
            .as_ref()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0);
        let dark = window
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .map(|m| m.matches())
            .unwrap_or(false);
        let offset_at = move |m: i64| zone_offset(use_utc, m);
        let result = points.with(|pts| {
            let samples = vm::downsample(pts, v, (css_width - 70.0).max(50.0));
            draw::draw(
                &canvas,
                &draw::Frame {
                    samples: &samples,
                    view: v,
                    error_rate,
                    baseline_average,
                    insight_average,
                    bands: &bands,
                    offset_at: &offset_at,
                    css_width,
                    css_height: CSS_HEIGHT,
                    dpr,
                    palette: if dark { &draw::DARK } else { &draw::LIGHT },
                },
            )
        });
        match result {
            Ok(a) => area.set(a),
            Err(e) => status.set(Some(format!("Could not draw the graph: {e}"))),
        }
    });

    let mapping = move || {
        let a = area.get_untracked();
        XMapping {
            range: view.get_untracked(),
            x0: a.x0,
            width: a.width,
        }
    };
    // Pointer position relative to the chart box, in CSS pixels.
    let local_xy = move |ev: &web_sys::MouseEvent| -> Option<(f64, f64)> {
        let el = box_ref.get_untracked()?;
        let r = el.get_bounding_client_rect();
        Some((
            f64::from(ev.client_x()) - r.left(),
            f64::from(ev.client_y()) - r.top(),
        ))
    };
    let in_plot = move |x: f64| {
        let a = area.get_untracked();
        a.width > 0.0 && x >= a.x0 && x <= a.x0 + a.width
    };
    let zoom =
        move |anchor: f64, factor: f64| view.update(|v| *v = v.zoom_about(anchor, factor, bounds));
    let zoom_centre = move |factor: f64| {
        let v = view.get_untracked();
        zoom((v.from + v.to) / 2.0, factor);
    };
    let pan_by = move |fraction: f64| view.update(|v| *v = v.pan(v.span() * fraction, bounds));
    let reset = move || view.set(default_view);

    let on_mousedown = move |ev: web_sys::MouseEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some((x, _)) = local_xy(&ev) else { return };
        if !in_plot(x) {
            return;
        }
        ev.prevent_default();
        let kind = if ev.shift_key() || pan_mode.get_untracked() {
            DragKind::Pan
        } else {
            DragKind::Select
        };
        drag.set(Some(Drag {
            kind,
            start_x: x,
            x,
            start_view: view.get_untracked(),
        }));
    };
    let on_mousemove = move |ev: web_sys::MouseEvent| {
        let Some((x, y)) = local_xy(&ev) else { return };
        hover.set(Some((x, y)));
        let Some(mut d) = drag.get_untracked() else {
            return;
        };
        d.x = x;
        drag.set(Some(d));
        if d.kind == DragKind::Pan {
            let w = area.get_untracked().width;
            if w > 0.0 {
                let delta = -(x - d.start_x) / w * d.start_view.span();
                view.set(d.start_view.pan(delta, bounds));
            }
        }
    };
    let on_mouseup = move |_: web_sys::MouseEvent| {
        if let Some(d) = drag.get_untracked() {
            if d.kind == DragKind::Select {
                if let Some(r) = vm::drag_selection(&mapping(), d.start_x, d.x, bounds) {
                    view.set(r);
                }
            }
        }
        drag.set(None);
    };
    let on_mouseleave = move |_: web_sys::MouseEvent| {
        hover.set(None);
        drag.set(None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        let Some((x, _)) = local_xy(&ev) else { return };
        if !in_plot(x) || ev.delta_y() == 0.0 {
            return;
        }
        ev.prevent_default();
        let factor = if ev.delta_y() > 0.0 {
            ZOOM_STEP
        } else {
            1.0 / ZOOM_STEP
        };
        zoom(mapping().minute_at(x), factor);
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let handled = match ev.key().as_str() {
            "+" | "=" => {
                zoom_centre(1.0 / ZOOM_STEP);
                true
            }
            "-" | "_" => {
                zoom_centre(ZOOM_STEP);
                true
            }
            "ArrowLeft" => {
                pan_by(-0.1);
                true
            }
            "ArrowRight" => {
                pan_by(0.1);
                true
            }
            "0" | "Home" => {
                reset();
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    };

    // A console time-span preset, centred on the Insight; "Default" resets.
    let (ins_start, ins_end) = (insight.start_minute, insight.end_minute);
    let on_span = move |ev: leptos::ev::Event| match event_target_value(&ev).parse::<i64>() {
        Ok(minutes) => view.set(vm::centred(ins_start, ins_end, minutes).clamped(bounds)),
        Err(_) => reset(),
    };

    let download = {
        let name = png_name(&insight);
        move |_| {
            if let Some(canvas) = canvas_ref.get_untracked() {
                download_png(&canvas, &name);
            }
        }
    };

    let range_text = move || {
        let v = view.get();
        let use_utc = state.use_utc.get();
        let (from, to) = v.whole_minutes();
        format!(
            "{} – {} {} ({})",
            format_minute(from, zone_offset(use_utc, from)),
            format_minute(to, zone_offset(use_utc, to)),
            zone_label(zone_offset(use_utc, (from + to) / 2)),
            format_duration(to - from),
        )
    };

    let selection = move || {
        let d = drag.get()?;
        if d.kind != DragKind::Select {
            return None;
        }
        let a = area.get_untracked();
        let lo = d.start_x.min(d.x).max(a.x0);
        let hi = d.start_x.max(d.x).min(a.x0 + a.width);
        Some(view! {
            <div
                class="ts-chart-selection"
                style:left=format!("{lo}px")
                style:width=format!("{}px", (hi - lo).max(0.0))
                style:top=format!("{}px", a.y0)
                style:height=format!("{}px", a.height)
            ></div>
        })
    };

    let tooltip_insight = insight.clone();
    let tooltip = move || {
        let (x, y) = hover.get()?;
        if drag.get().is_some() || !in_plot(x) {
            return None;
        }
        let a = area.get();
        let minute = mapping().minute_at(x).floor() as i64;
        let p = points.with(|pts| vm::point_at(pts, minute));
        let use_utc = state.use_utc.get();
        let offset = zone_offset(use_utc, minute);
        let time = format!("{} {}", format_minute(minute, offset), zone_label(offset));
        let calls = format!("API calls: {}", p.calls);
        let errors = error_rate.then(|| {
            let code = tooltip_insight.key.error_code.clone().unwrap_or_default();
            format!("Errors ({code}): {}", p.errors)
        });
        let band = related.with(|r| {
            r.iter()
                .find(|i| minute >= i.start_minute && minute < i.end_minute.max(i.start_minute + 1))
                .map(|i| {
                    let o = zone_offset(use_utc, i.start_minute);
                    format!(
                        "Insight started {} · {}",
                        format_minute(i.start_minute, o),
                        format_duration(i.end_minute - i.start_minute)
                    )
                })
        });
        let left = if x + 240.0 > a.x0 + a.width {
            (x - 240.0).max(0.0)
        } else {
            x + 12.0
        };
        Some(view! {
            <div class="ts-chart-hover" style:left=format!("{x}px") style:top=format!("{}px", a.y0)
                style:height=format!("{}px", a.height)></div>
            <div class="ts-chart-tooltip" role="status" style:left=format!("{left}px")
                style:top=format!("{}px", (y + 12.0).min(CSS_HEIGHT - 60.0))>
                <div class="ts-chart-tooltip-time">{time}</div>
                <div>{calls}</div>
                {errors.map(|e| view! { <div>{e}</div> })}
                {band.map(|b| view! { <div class="ts-chart-tooltip-band">{b}</div> })}
            </div>
        })
    };

    let series_label = if error_rate {
        format!("Calls to {}", insight.key.name)
    } else {
        "API calls per minute".to_string()
    };
    let errors_label = insight
        .key
        .error_code
        .clone()
        .map(|c| format!("Errors ({c}) per minute"));
    let baseline_label = format!(
        "Baseline average: {}",
        format_average(insight.baseline_average)
    );
    let insight_label = format!(
        "Insight average: {}",
        format_average(insight.insight_average)
    );
    let aria = format!(
        "Insights graph of {} {} per minute; the shown range is in the text below",
        insight.key.name,
        if error_rate {
            "calls and errors"
        } else {
            "calls"
        }
    );

    view! {
        <div class="ts-chart-wrap">
            <div class="ts-chart-toolbar" role="toolbar" aria-label="Graph tools">
                <button type="button" on:click=move |_| zoom_centre(1.0 / ZOOM_STEP)>"Zoom in"</button>
                <button type="button" on:click=move |_| zoom_centre(ZOOM_STEP)>"Zoom out"</button>
                <button
                    type="button"
                    aria-pressed=move || if pan_mode.get() { "true" } else { "false" }
                    on:click=move |_| pan_mode.update(|p| *p = !*p)
                >
                    "Pan"
                </button>
                <button type="button" class="ts-chart-reset" on:click=move |_| reset()>"Reset axes"</button>
                <label class="ts-chart-span">
                    "Time span "
                    <select on:change=on_span>
                        <option value="">"Default"</option>
                        {vm::SPAN_PRESETS
                            .iter()
                            .map(|(label, minutes)| view! { <option value=minutes.to_string()>{*label}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" class="ts-chart-download" on:click=download>"Download PNG"</button>
            </div>
            <div
                class="ts-chart"
                class:ts-chart-panning=move || pan_mode.get()
                node_ref=box_ref
                tabindex="0"
                aria-label="Insights graph: drag to zoom, shift+drag to pan, + and - to zoom, arrows to pan, 0 to reset"
                data-from-minute=move || view.get().whole_minutes().0.to_string()
                data-to-minute=move || view.get().whole_minutes().1.to_string()
                on:mousedown=on_mousedown
                on:mousemove=on_mousemove
                on:mouseup=on_mouseup
                on:mouseleave=on_mouseleave
                on:wheel=on_wheel
                on:keydown=on_keydown
                on:dblclick=move |_| reset()
            >
                <canvas node_ref=canvas_ref role="img" aria-label=aria></canvas>
                {selection}
                {tooltip}
                {move || status.get().map(|s| view! { <p class="ts-chart-status">{s}</p> })}
            </div>
            <p class="ts-chart-range" aria-live="polite">"Showing " {range_text}</p>
            <ul class="ts-chart-legend" aria-label="Legend">
                <li><span class="ts-swatch ts-swatch-calls"></span>{series_label}</li>
                {errors_label.map(|l| view! { <li><span class="ts-swatch ts-swatch-errors"></span>{l}</li> })}
                <li><span class="ts-swatch ts-swatch-baseline"></span>{baseline_label}</li>
                <li><span class="ts-swatch ts-swatch-insight"></span>{insight_label}</li>
                <li><span class="ts-swatch ts-swatch-band"></span>"Insights event (Start to End)"</li>
            </ul>
        </div>
    }
}

/// `trailsight-<eventName>-<start>.png`, with only file-name-safe characters.
fn png_name(insight: &Insight) -> String {
    let raw = format!(
        "trailsight-{}-{}",
        insight.key.name,
        format_minute(insight.start_minute, 0)
    );
    let safe: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}.png")
}

/// Saves the canvas as a PNG through a temporary `<a download>`.
fn download_png(canvas: &web_sys::HtmlCanvasElement, name: &str) {
    let Ok(url) = canvas.to_data_url() else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = document.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(&url);
    a.set_download(name);
    a.click();
}
