//! Paints the Insights graph on a `<canvas>` with plotters: background, y grid,
//! time-aligned x ticks, Insight bands, the call (and error) lines, the baseline
//! average (dashed) and the selected Insight's average over its band.
//!
//! The canvas backing store is sized in device pixels (CSS size × devicePixelRatio)
//! and every length here is scaled by `dpr`, so the graph is sharp on high-DPI
//! screens; the returned [`PlotArea`] is in CSS pixels for pointer mapping.

use crate::viewmath::chart::{ticks, y_max, Sample, ViewRange};
use crate::viewmath::timefmt::tick_label;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The plotting rectangle in CSS pixels relative to the canvas' top-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PlotArea {
    pub x0: f64,
    pub y0: f64,
    pub width: f64,
    pub height: f64,
    /// The y value at the top of the plot area.
    pub y_max: f64,
}

/// One Insight band: first and last minute, and whether it is the selected one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub start: i64,
    pub end: i64,
    pub selected: bool,
}

/// Colours of one theme.
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub calls: RGBColor,
    pub errors: RGBColor,
    pub baseline: RGBColor,
    pub band: RGBColor,
}

pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(65, 77, 92),
    grid: RGBColor(233, 235, 237),
    calls: RGBColor(9, 114, 211),
    errors: RGBColor(209, 50, 18),
    baseline: RGBColor(95, 107, 122),
    band: RGBColor(236, 114, 17),
};

pub const DARK: Palette = Palette {
    background: RGBColor(22, 29, 38),
    text: RGBColor(209, 213, 219),
    grid: RGBColor(40, 52, 68),
    calls: RGBColor(83, 159, 229),
    errors: RGBColor(255, 93, 100),
    baseline: RGBColor(157, 167, 179),
    band: RGBColor(255, 153, 0),
};

/// Everything one frame needs.
pub struct Frame<'a> {
    pub samples: &'a [Sample],
    pub view: ViewRange,
    /// Draw the errors line too (error-rate Insight).
    pub error_rate: bool,
    pub baseline_average: f64,
    pub insight_average: f64,
    pub bands: &'a [Band],
    /// Offset east of UTC, in minutes, of the displayed zone at a given minute.
    pub offset_at: &'a dyn Fn(i64) -> i64,
    pub css_width: f64,
    pub css_height: f64,
    pub dpr: f64,
    pub palette: &'a Palette,
}

/// Draws `frame` on `canvas` (resizing its backing store) and returns the plot area.
pub fn draw(canvas: &HtmlCanvasElement, frame: &Frame) -> Result<PlotArea, String> {
    let dpr = if frame.dpr.is_finite() && frame.dpr > 0.0 {
        frame.dpr.min(4.0)
    } else {
        1.0
    };
    let w = (frame.css_width * dpr).round().max(1.0) as u32;
    let h = (frame.css_height * dpr).round().max(1.0) as u32;
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let px = |css: f64| (css * dpr).round() as i32;
    let pal = frame.palette;
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    root.fill(&pal.background).map_err(|e| e.to_string())?;

    let view = frame.view;
    let top = y_max(
        frame.samples,
        &[frame.baseline_average, frame.insight_average],
    );
    let font = ("sans-serif", 12.0 * dpr).into_font().color(&pal.text);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .margin_left(px(4.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(view.from..view.to, 0.0..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format_y(*v))
        .label_style(font.clone())
        .axis_style(pal.baseline.stroke_width(px(1.0).max(1) as u32))
        .bold_line_style(pal.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let area = PlotArea {
        x0: f64::from(xr.start) / dpr,
        y0: f64::from(yr.start) / dpr,
        width: f64::from(xr.end - xr.start) / dpr,
        height: f64::from(yr.end - yr.start) / dpr,
        y_max: top,
    };

    // X ticks aligned to the displayed zone (midnight, whole hours …).
    let max_ticks = (area.width / 90.0).floor().max(2.0) as usize;
    let centre = ((view.from + view.to) / 2.0).round() as i64;
    let (step, tick_minutes) = ticks(view, max_ticks, (frame.offset_at)(centre));
    let grid = pal.grid.stroke_width(px(1.0).max(1) as u32);
    let label_style = font.pos(Pos::new(HPos::Center, VPos::Top));
    for m in tick_minutes {
        let (x, _) = chart.backend_coord(&(m as f64, 0.0));
        root.draw(&PathElement::new(vec![(x, yr.start), (x, yr.end)], grid))
            .map_err(|e| e.to_string())?;
        let label = tick_label(m, (frame.offset_at)(m), step);
        root.draw(&Text::new(
            label,
            (x, yr.end + px(6.0)),
            label_style.clone(),
        ))
        .map_err(|e| e.to_string())?;
    }

    let clamp_x = |m: f64| m.clamp(view.from, view.to);
    // Bands first so the lines stay on top; the selected one is stronger.
    for b in frame.bands {
        let (s, e) = (
            clamp_x(b.start as f64),
            clamp_x(b.end.max(b.start + 1) as f64),
        );
        if e <= s {
            continue;
        }
        let alpha = if b.selected { 0.30 } else { 0.12 };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(s, 0.0), (e, top)],
                pal.band.mix(alpha).filled(),
            )))
            .map_err(|e| e.to_string())?;
    }

    let line_w = px(1.5).max(1) as u32;
    let xs = |s: &Sample| clamp_x(s.minute as f64);
    chart
        .draw_series(LineSeries::new(
            frame.samples.iter().map(|s| (xs(s), f64::from(s.calls))),
            pal.calls.stroke_width(line_w),
        ))
        .map_err(|e| e.to_string())?;
    if frame.error_rate {
        chart
            .draw_series(LineSeries::new(
                frame.samples.iter().map(|s| (xs(s), f64::from(s.errors))),
                pal.errors.stroke_width(line_w),
            ))
            .map_err(|e| e.to_string())?;
    }

    let dash = px(6.0).max(2);
    let gap = px(4.0).max(2);
    if frame.baseline_average.is_finite() {
        chart
            .draw_series(DashedLineSeries::new(
                vec![
                    (view.from, frame.baseline_average),
                    (view.to, frame.baseline_average),
                ],
                dash,
                gap,
                pal.baseline.stroke_width(line_w),
            ))
            .map_err(|e| e.to_string())?;
    }
    if let Some(sel) = frame.bands.iter().find(|b| b.selected) {
        let (s, e) = (
            clamp_x(sel.start as f64),
            clamp_x(sel.end.max(sel.start + 1) as f64),
        );
        if e > s && frame.insight_average.is_finite() {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(s, frame.insight_average), (e, frame.insight_average)],
                    dash,
                    gap,
                    pal.band.stroke_width(px(2.0).max(1) as u32),
                ))
                .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(area)
}

/// Y labels: integers as such, small values with up to two decimals.
fn format_y(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        crate::viewmath::attributions::format_average(v)
    }
}
