//! Draws the Insights graph with plotters on any [`DrawingBackend`]: background,
//! y grid, time-aligned x ticks, Insight bands, the call (and error) lines, the
//! baseline average (dashed) and the selected Insight's average over its band.
//!
//! Generic over the backend so the dashboard paints a `<canvas>`
//! (`app::insights_graph::canvas`) and native tests render the same frame to SVG
//! and read it back. The backend is sized in device pixels (CSS size ×
//! devicePixelRatio) and every length here is scaled by [`Frame::dpr`], so the
//! graph is sharp on high-DPI screens; the returned [`PlotArea`] is in CSS pixels
//! for pointer mapping.

use super::chart::{ticks, y_max, Sample, ViewRange};
use crate::format::tick_label;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt;

/// The plotting rectangle in CSS pixels relative to the drawing's top-left corner.
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

impl Band {
    /// The band's minutes clipped to `view` (at least one minute wide before
    /// clipping), or `None` when none of it is shown.
    fn clipped(&self, view: ViewRange) -> Option<(f64, f64)> {
        let clamp = |m: f64| m.clamp(view.from, view.to);
        let (s, e) = (
            clamp(self.start as f64),
            clamp(self.end.max(self.start + 1) as f64),
        );
        (e > s).then_some((s, e))
    }
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

/// Band opacity: the selected Insight's band is stronger than its neighbours'.
pub const BAND_ALPHA_SELECTED: f64 = 0.30;
pub const BAND_ALPHA_OTHER: f64 = 0.12;

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
    /// Device pixels per CSS pixel (sanitised by [`device_scale`]).
    pub dpr: f64,
    pub palette: &'a Palette,
}

/// Why a frame could not be drawn (the backend's own error, as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawError(String);

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DrawError {}

impl DrawError {
    pub fn new(reason: impl Into<String>) -> Self {
        DrawError(reason.into())
    }
}

fn backend_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> DrawError {
    DrawError(e.to_string())
}

/// A usable devicePixelRatio: finite and positive, at most 4 (a larger backing
/// store costs memory for no visible gain); anything else is 1.
pub fn device_scale(dpr: f64) -> f64 {
    if dpr.is_finite() && dpr > 0.0 {
        dpr.min(4.0)
    } else {
        1.0
    }
}

/// The backing store in device pixels for a drawing of `css_width` × `css_height`.
pub fn device_size(css_width: f64, css_height: f64, dpr: f64) -> (u32, u32) {
    let dpr = device_scale(dpr);
    let px = |css: f64| (css * dpr).round().clamp(1.0, f64::from(u32::MAX)) as u32;
    (px(css_width), px(css_height))
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Lengths in CSS pixels to whole device pixels.
#[derive(Clone, Copy)]
struct Scale(f64);

impl Scale {
    fn px(self, css: f64) -> i32 {
        (css * self.0).round() as i32
    }

    /// A stroke width of `css` pixels, at least one device pixel.
    fn stroke(self, css: f64) -> u32 {
        self.px(css).max(1) as u32
    }
}

/// Draws `frame` on `root` (sized in device pixels) and returns the plot area.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> Result<PlotArea, DrawError> {
    let scale = Scale(device_scale(frame.dpr));
    root.fill(&frame.palette.background)
        .map_err(backend_error)?;
    let top = y_max(
        frame.samples,
        &[frame.baseline_average, frame.insight_average],
    );
    let mut chart = build_chart(root, frame, top, scale)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let area = PlotArea {
        x0: f64::from(xr.start) / scale.0,
        y0: f64::from(yr.start) / scale.0,
        width: f64::from(xr.end - xr.start) / scale.0,
        height: f64::from(yr.end - yr.start) / scale.0,
        y_max: top,
    };
    draw_x_ticks(root, &chart, frame, &area, scale)?;
    // Bands first so the lines stay on top.
    draw_bands(&mut chart, frame, top)?;
    draw_lines(&mut chart, frame, scale)?;
    draw_averages(&mut chart, frame, scale)?;
    root.present().map_err(backend_error)?;
    Ok(area)
}

/// The cartesian chart over the shown minutes and `0..top`, with its y mesh
/// and labels (x labels are drawn by [`draw_x_ticks`], aligned to the zone).
fn build_chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    frame: &Frame,
    top: f64,
    scale: Scale,
) -> Result<Chart<'a, DB>, DrawError> {
    let pal = frame.palette;
    let font = ("sans-serif", 12.0 * scale.0).into_font().color(&pal.text);
    let mut chart = ChartBuilder::on(root)
        .margin_top(scale.px(10.0))
        .margin_right(scale.px(16.0))
        .margin_left(scale.px(4.0))
        .x_label_area_size(scale.px(26.0))
        .y_label_area_size(scale.px(48.0))
        .build_cartesian_2d(frame.view.from..frame.view.to, 0.0..top)
        .map_err(backend_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format_y(*v))
        .label_style(font)
        .axis_style(pal.baseline.stroke_width(scale.stroke(1.0)))
        .bold_line_style(pal.grid.stroke_width(scale.stroke(1.0)))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(backend_error)?;
    Ok(chart)
}

/// X ticks aligned to the displayed zone (midnight, whole hours …): a grid line
/// and a label under the plot for each, at most one per 90 CSS pixels.
fn draw_x_ticks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    frame: &Frame,
    area: &PlotArea,
    scale: Scale,
) -> Result<(), DrawError> {
    let view = frame.view;
    let (_, yr) = chart.plotting_area().get_pixel_range();
    let max_ticks = (area.width / 90.0).floor().max(2.0) as usize;
    let centre = ((view.from + view.to) / 2.0).round() as i64;
    let (step, tick_minutes) = ticks(view, max_ticks, (frame.offset_at)(centre));
    let grid = frame.palette.grid.stroke_width(scale.stroke(1.0));
    let label_style = ("sans-serif", 12.0 * scale.0)
        .into_font()
        .color(&frame.palette.text)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for m in tick_minutes {
        let (x, _) = chart.backend_coord(&(m as f64, 0.0));
        root.draw(&PathElement::new(vec![(x, yr.start), (x, yr.end)], grid))
            .map_err(backend_error)?;
        let label = tick_label(m, (frame.offset_at)(m), step);
        root.draw(&Text::new(
            label,
            (x, yr.end + scale.px(6.0)),
            label_style.clone(),
        ))
        .map_err(backend_error)?;
    }
    Ok(())
}

/// One filled rectangle per shown band, full height.
fn draw_bands<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    frame: &Frame,
    top: f64,
) -> Result<(), DrawError> {
    for b in frame.bands {
        let Some((s, e)) = b.clipped(frame.view) else {
            continue;
        };
        let alpha = if b.selected {
            BAND_ALPHA_SELECTED
        } else {
            BAND_ALPHA_OTHER
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(s, 0.0), (e, top)],
                frame.palette.band.mix(alpha).filled(),
            )))
            .map_err(backend_error)?;
    }
    Ok(())
}

/// The calls line, and the errors line for an error-rate Insight.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    frame: &Frame,
    scale: Scale,
) -> Result<(), DrawError> {
    let view = frame.view;
    let x = |s: &Sample| (s.minute as f64).clamp(view.from, view.to);
    let width = scale.stroke(1.5);
    chart
        .draw_series(LineSeries::new(
            frame.samples.iter().map(|s| (x(s), f64::from(s.calls))),
            frame.palette.calls.stroke_width(width),
        ))
        .map_err(backend_error)?;
    if frame.error_rate {
        chart
            .draw_series(LineSeries::new(
                frame.samples.iter().map(|s| (x(s), f64::from(s.errors))),
                frame.palette.errors.stroke_width(width),
            ))
            .map_err(backend_error)?;
    }
    Ok(())
}

/// The baseline average across the view and the selected Insight's average
/// over its band, both dashed.
fn draw_averages<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    frame: &Frame,
    scale: Scale,
) -> Result<(), DrawError> {
    let (view, pal) = (frame.view, frame.palette);
    let dash = scale.px(6.0).max(2);
    let gap = scale.px(4.0).max(2);
    if frame.baseline_average.is_finite() {
        let y = frame.baseline_average;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(view.from, y), (view.to, y)],
                dash,
                gap,
                pal.baseline.stroke_width(scale.stroke(1.5)),
            ))
            .map_err(backend_error)?;
    }
    let selected = frame.bands.iter().find(|b| b.selected);
    if let Some((s, e)) = selected.and_then(|b| b.clipped(view)) {
        if frame.insight_average.is_finite() {
            let y = frame.insight_average;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(s, y), (e, y)],
                    dash,
                    gap,
                    pal.band.stroke_width(scale.stroke(2.0)),
                ))
                .map_err(backend_error)?;
        }
    }
    Ok(())
}

/// Y labels: integers as such, small values with up to two decimals.
fn format_y(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        crate::format::average(v)
    }
}

#[cfg(test)]
#[path = "chart_draw_tests.rs"]
mod tests;
