//! The activity chart on the list page: events per minute (or per bucket of
//! minutes) over everything loaded, drawn with plotters on a canvas.
//!
//! It can be brushed: a drag selects a range of buckets and opens the events
//! view of those minutes; a click (a spike, say) opens its bucket's events
//! ([`crate::view_model::brush`] maps pixels to minutes).

use super::format;
use super::routing::{navigate, EventFilter, Route};
use super::state::AppState;
use crate::session::Activity;
use crate::view_model::brush;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// CSS pixels of the chart's height.
const HEIGHT: u32 = 140;
/// CSS pixels around the chart and of the y labels: where the plot starts.
const MARGIN: f64 = 6.0;
const Y_LABELS: f64 = 44.0;

#[component]
pub fn ActivityChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas_ref = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(false);
    let brush = Brush::default();
    // Drawing is a sync with the outside world (the canvas): an effect.
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let utc = state.use_utc.get();
        let ok = state
            .summary
            .with(|s| s.as_ref().map(|s| draw(&canvas, &s.activity, utc).is_ok()));
        drawn.set(ok.unwrap_or(false));
    });
    let caption = move || {
        state.summary.with(|s| {
            s.as_ref()
                .map(|s| match s.activity.bucket_minutes {
                    1 => "Events per minute".to_string(),
                    b => format!("Events per {} (all loaded events)", format::duration(b)),
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="ts-panel ts-activity" aria-label="Activity">
            <h2 class="ts-activity__title">{caption}</h2>
            <div class="ts-activity__plot">
                <canvas
                    id="activity"
                    node_ref=canvas_ref
                    role="img"
                    aria-label="Events over time"
                    data-drawn=move || drawn.get().to_string()
                    on:mousedown=move |ev| brush.start(&ev)
                    on:mousemove=move |ev| brush.moved(&ev)
                    on:mouseup=move |ev| brush.end(&ev, &canvas_ref, state)
                    on:mouseleave=move |_| brush.cancel()
                ></canvas>
                <div class="ts-activity__brush" aria-hidden="true" hidden=move || brush.band().is_none()
                    style:left=move || brush.band().map(|(l, _)| format!("{l}px")).unwrap_or_default()
                    style:width=move || brush.band().map(|(_, w)| format!("{w}px")).unwrap_or_default()
                ></div>
            </div>
            <p class="ts-muted ts-activity__hint">"Drag across the chart to list the events of a range; click a spike for its events."</p>
        </section>
    }
}

/// A drag in progress on the chart: where it started and where it is, in
/// CSS pixels from the canvas's left edge.
#[derive(Clone, Copy, Default)]
struct Brush {
    from: RwSignal<Option<f64>>,
    to: RwSignal<Option<f64>>,
}

impl Brush {
    fn start(self, ev: &web_sys::MouseEvent) {
        self.from.set(Some(ev.offset_x() as f64));
        self.to.set(Some(ev.offset_x() as f64));
    }

    fn moved(self, ev: &web_sys::MouseEvent) {
        if self.from.get_untracked().is_some() {
            self.to.set(Some(ev.offset_x() as f64));
        }
    }

    fn cancel(self) {
        self.from.set(None);
        self.to.set(None);
    }

    /// The selected band (left, width) while dragging.
    fn band(self) -> Option<(f64, f64)> {
        let (a, b) = (self.from.get()?, self.to.get()?);
        ((a - b).abs() >= brush::DRAG_MIN_PX).then(|| (a.min(b), (a - b).abs()))
    }

    /// Ends the drag (or click): opens the events view of its minutes.
    fn end(self, ev: &web_sys::MouseEvent, canvas: &NodeRef<Canvas>, state: AppState) {
        let Some(from) = self.from.get_untracked() else {
            return;
        };
        self.cancel();
        let to = ev.offset_x() as f64;
        let Some(width) = canvas
            .get_untracked()
            .map(|c| c.client_width().max(300) as f64)
        else {
            return;
        };
        let range = state.summary.with_untracked(|s| {
            let a = &s.as_ref()?.activity;
            (!a.counts.is_empty()).then(|| {
                brush::Axis {
                    left: MARGIN + Y_LABELS,
                    width: (width - 2.0 * MARGIN - Y_LABELS).max(1.0),
                    buckets: a.counts.len() as i64,
                    first_minute: a.first_minute,
                    bucket_minutes: a.bucket_minutes,
                }
                .range(from, to)
            })
        });
        if let Some(range) = range {
            navigate(&Route::events(EventFilter {
                range: Some(range),
                ..Default::default()
            }));
        }
    }
}

fn draw(canvas: &web_sys::HtmlCanvasElement, activity: &Activity, utc: bool) -> Result<(), String> {
    // Sharp on high-DPI screens: backing store = CSS size × devicePixelRatio.
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let css_width = canvas.client_width().max(300) as f64;
    canvas.set_width((css_width * dpr) as u32);
    canvas.set_height((HEIGHT as f64 * dpr) as u32);
    let root = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("no canvas context")?
        .into_drawing_area();
    let css = |v: &str| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| web_sys::window()?.get_computed_style(&e).ok().flatten())
            .and_then(|s| s.get_property_value(v).ok())
            .and_then(|c| parse_hex(c.trim()))
            .unwrap_or(RGBColor(90, 100, 110))
    };
    let (fg, accent, grid) = (css("--text"), css("--accent"), css("--border"));
    root.fill(&TRANSPARENT).map_err(|e| e.to_string())?;
    let n = activity.counts.len().max(1) as i64;
    let max = activity.counts.iter().copied().max().unwrap_or(0).max(1);
    let font = ("sans-serif", 11.0 * dpr).into_font().color(&fg);
    let first = activity.first_minute;
    let step = activity.bucket_minutes.max(1);
    let mut chart = ChartBuilder::on(&root)
        .margin((MARGIN * dpr) as i32)
        .x_label_area_size((20.0 * dpr) as i32)
        .y_label_area_size((Y_LABELS * dpr) as i32)
        .build_cartesian_2d(0i64..n, 0u32..max + max / 10 + 1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid.mix(0.6))
        .axis_style(grid)
        .x_labels(6)
        .y_labels(4)
        .x_label_style(font.clone())
        .y_label_style(font)
        .x_label_formatter(&|b| format::short_minute_in(first + b * step, utc))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            AreaSeries::new(
                activity
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| (i as i64, c)),
                0,
                accent.mix(0.25),
            )
            .border_style(ShapeStyle::from(accent).stroke_width((1.5 * dpr) as u32)),
        )
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// `#rrggbb` → colour (the theme's CSS variables).
fn parse_hex(s: &str) -> Option<RGBColor> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    Some(RGBColor(c(0)?, c(2)?, c(4)?))
}
