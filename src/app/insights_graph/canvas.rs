//! The canvas glue of the Insights graph: sizes the `<canvas>` backing store in
//! device pixels, paints a frame with the backend-generic
//! [`crate::view_model::chart_draw::draw`] on plotters' canvas backend whenever
//! what is shown changes (range, zone, bands, size, light/dark theme), and saves
//! the canvas as a PNG.

use super::view_state::GraphState;
use crate::app::format::zone_offset;
use crate::app::AppState;
use crate::format::minute_at;
use crate::model::Insight;
use crate::view_model::chart as vm;
use crate::view_model::chart_draw::{self as draw, Band, DrawError, Frame, PlotArea};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// CSS height of the canvas.
pub const CSS_HEIGHT: f64 = 320.0;

/// What the painter needs of the Insight and the page.
#[derive(Clone, Copy)]
pub struct Painter {
    pub canvas: NodeRef<leptos::html::Canvas>,
    /// The graph box: its width is the canvas' CSS width.
    pub container: NodeRef<leptos::html::Div>,
    pub error_rate: bool,
    pub baseline_average: f64,
    pub insight_average: f64,
}

impl Painter {
    pub fn new(insight: &Insight) -> Self {
        Painter {
            canvas: NodeRef::new(),
            container: NodeRef::new(),
            error_rate: insight.key.insight_type == crate::model::InsightType::ApiErrorRateInsight,
            baseline_average: insight.baseline_average,
            insight_average: insight.insight_average,
        }
    }
}

/// Repaints on every change of what is shown while `visible` (a hidden canvas
/// has no width), and stores the drawn plot area in the graph state.
pub fn paint_on_change(p: Painter, g: GraphState, bands: Signal<Vec<Band>>, visible: Signal<bool>) {
    let state = expect_context::<AppState>();
    let repaint = repaint_trigger();
    Effect::new(move |_| {
        let view = g.view.get();
        let shown = visible.get();
        let use_utc = state.use_utc.get();
        repaint.track();
        let bands = bands.get();
        let (Some(canvas), Some(container)) = (p.canvas.get(), p.container.get()) else {
            return;
        };
        let css_width = f64::from(container.client_width());
        if !shown || css_width <= 0.0 {
            return;
        }
        let offset_at = move |m: i64| zone_offset(use_utc, m);
        let (dpr, dark) = screen();
        let result = g.points.with(|pts| {
            let samples = vm::downsample(pts, view, (css_width - 70.0).max(50.0));
            let frame = Frame {
                samples: &samples,
                view,
                error_rate: p.error_rate,
                baseline_average: p.baseline_average,
                insight_average: p.insight_average,
                bands: &bands,
                offset_at: &offset_at,
                dpr,
                palette: if dark { &draw::DARK } else { &draw::LIGHT },
            };
            paint(&canvas, css_width, &frame)
        });
        match result {
            Ok(a) => {
                g.apply(|gv| gv.area = a);
            }
            Err(e) => g.status.set(Some(format!("Could not draw the graph: {e}"))),
        }
    });
}

/// A counter bumped on window resize and on a light/dark switch; the
/// listeners live as long as the graph.
fn repaint_trigger() -> RwSignal<u32> {
    let n = RwSignal::new(0u32);
    let listener = window_event_listener(leptos::ev::resize, move |_| n.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    let theme_listener = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|mql| {
            gloo::events::EventListener::new(&mql, "change", move |_| n.update(|n| *n += 1))
        });
    StoredValue::new_local(theme_listener);
    n
}

/// The devicePixelRatio and whether the dark theme is on.
fn screen() -> (f64, bool) {
    let window = web_sys::window();
    let dpr = window
        .as_ref()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0);
    let dark = window
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false);
    (dpr, dark)
}

/// Sizes `canvas`' backing store for `css_width` × [`CSS_HEIGHT`] at the
/// frame's dpr and draws the frame on it.
fn paint(canvas: &HtmlCanvasElement, css_width: f64, frame: &Frame) -> Result<PlotArea, DrawError> {
    let (w, h) = draw::device_size(css_width, CSS_HEIGHT, frame.dpr);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| DrawError::new("the canvas has no 2D context"))?;
    draw::draw(&backend.into_drawing_area(), frame)
}

/// `trailsight-<eventName>-<start>.png`, with only file-name-safe characters.
pub fn png_name(insight: &Insight) -> String {
    let raw = format!(
        "trailsight-{}-{}",
        insight.key.name,
        minute_at(insight.start_minute, 0)
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
pub fn download_png(canvas: &HtmlCanvasElement, name: &str) {
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
