//! The Insights graph's view state and its transitions: the shown range, the
//! drag in progress (select a range to zoom, or pan), Pan mode, the hover
//! position, and what the toolbar, the mouse wheel and the keyboard do to them.
//!
//! A plain value with methods so every interaction is unit-tested natively; the
//! component (`app::insights_graph`) keeps one [`GraphView`] in a signal, feeds
//! it pointer positions relative to the graph box (CSS pixels) and renders what
//! it says. Geometry comes from [`super::chart`], the plot area from the last
//! drawn frame ([`super::chart_draw::draw`]).

use super::chart::{self, drag_selection, point_at, ViewRange, XMapping};
use super::chart_draw::{Band, PlotArea};
use crate::format::{duration, minute_at, zone_label};
use crate::model::MinutePoint;

/// One wheel notch, key press or toolbar click zooms by this factor.
pub const ZOOM_STEP: f64 = 1.25;
/// The tooltip's width allowance: it flips to the pointer's left near the edge.
const TOOLTIP_WIDTH: f64 = 240.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DragKind {
    /// Drag a range to zoom into it.
    Select,
    /// Drag the view (shift+drag or Pan mode).
    Pan,
}

/// A drag in progress, from `start_x` to `x` (CSS pixels), begun on `start_view`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drag {
    pub kind: DragKind,
    pub start_x: f64,
    pub x: f64,
    pub start_view: ViewRange,
}

/// What the graph shows and how the user is interacting with it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GraphView {
    /// The shown range.
    pub view: ViewRange,
    /// The range Reset returns to (the console's span around the Insight).
    pub default_view: ViewRange,
    /// The range zooming and panning stay inside (the fetched minutes).
    pub bounds: ViewRange,
    /// The plot area of the last drawn frame (zero width before the first).
    pub area: PlotArea,
    pub drag: Option<Drag>,
    /// The pointer's position in the graph box, while it is over it.
    pub hover: Option<(f64, f64)>,
    /// Pan mode: a plain drag pans instead of selecting.
    pub pan_mode: bool,
}

impl GraphView {
    pub fn new(default_view: ViewRange, bounds: ViewRange) -> Self {
        GraphView {
            view: default_view,
            default_view,
            bounds,
            area: PlotArea::default(),
            drag: None,
            hover: None,
            pan_mode: false,
        }
    }

    /// Minutes to pixels of the last drawn plot area.
    pub fn mapping(&self) -> XMapping {
        XMapping {
            range: self.view,
            x0: self.area.x0,
            width: self.area.width,
        }
    }

    /// Whether `x` is over the plot area (never before the first frame).
    pub fn in_plot(&self, x: f64) -> bool {
        let a = self.area;
        a.width > 0.0 && x >= a.x0 && x <= a.x0 + a.width
    }

    /// Zooms by `factor` (< 1 zooms in) about the centre of the view.
    pub fn zoom_centre(&mut self, factor: f64) {
        let v = self.view;
        self.view = v.zoom_about((v.from + v.to) / 2.0, factor, self.bounds);
    }

    pub fn zoom_in(&mut self) {
        self.zoom_centre(1.0 / ZOOM_STEP);
    }

    pub fn zoom_out(&mut self) {
        self.zoom_centre(ZOOM_STEP);
    }

    /// Pans by `fraction` of the shown span (positive = later).
    pub fn pan_by(&mut self, fraction: f64) {
        self.view = self.view.pan(self.view.span() * fraction, self.bounds);
    }

    pub fn reset(&mut self) {
        self.view = self.default_view;
    }

    pub fn toggle_pan_mode(&mut self) {
        self.pan_mode = !self.pan_mode;
    }

    /// A time-span preset of `minutes` centred on the Insight from `start` to
    /// `end`; `None` ("Default") resets.
    pub fn show_span(&mut self, start: i64, end: i64, minutes: Option<i64>) {
        match minutes {
            Some(m) => self.view = chart::centred(start, end, m).clamped(self.bounds),
            None => self.reset(),
        }
    }

    /// A primary-button press at `x`: starts a pan (with shift or in Pan mode)
    /// or a range selection. Returns whether it was over the plot (and so taken).
    pub fn press(&mut self, x: f64, shift: bool) -> bool {
        if !self.in_plot(x) {
            return false;
        }
        let kind = if shift || self.pan_mode {
            DragKind::Pan
        } else {
            DragKind::Select
        };
        self.drag = Some(Drag {
            kind,
            start_x: x,
            x,
            start_view: self.view,
        });
        true
    }

    /// The pointer moved to (`x`, `y`): hover there, and follow a drag (a pan
    /// moves the view with the pointer).
    pub fn move_to(&mut self, x: f64, y: f64) {
        self.hover = Some((x, y));
        let Some(d) = self.drag.as_mut() else {
            return;
        };
        d.x = x;
        let d = *d;
        if d.kind == DragKind::Pan && self.area.width > 0.0 {
            let delta = -(x - d.start_x) / self.area.width * d.start_view.span();
            self.view = d.start_view.pan(delta, self.bounds);
        }
    }

    /// The button was released: a long enough selection becomes the view.
    pub fn release(&mut self) {
        if let Some(d) = self.drag.take() {
            if d.kind == DragKind::Select {
                if let Some(r) = drag_selection(&self.mapping(), d.start_x, d.x, self.bounds) {
                    self.view = r;
                }
            }
        }
    }

    /// The pointer left the graph: no hover, and a drag is dropped unapplied.
    pub fn leave(&mut self) {
        self.hover = None;
        self.drag = None;
    }

    /// A wheel turn over `x`: zooms about the minute under the pointer (down
    /// = out). Returns whether it was taken (over the plot, a real turn).
    pub fn wheel(&mut self, x: f64, delta_y: f64) -> bool {
        if !self.in_plot(x) || delta_y == 0.0 || !delta_y.is_finite() {
            return false;
        }
        let factor = if delta_y > 0.0 {
            ZOOM_STEP
        } else {
            1.0 / ZOOM_STEP
        };
        let anchor = self.mapping().minute_at(x);
        self.view = self.view.zoom_about(anchor, factor, self.bounds);
        true
    }

    /// A key press (`KeyboardEvent.key`): `+`/`-` zoom, arrows pan a tenth,
    /// `0`/Home reset. Returns whether the key was one of these.
    pub fn key(&mut self, key: &str) -> bool {
        match key {
            "+" | "=" => self.zoom_in(),
            "-" | "_" => self.zoom_out(),
            "ArrowLeft" => self.pan_by(-0.1),
            "ArrowRight" => self.pan_by(0.1),
            "0" | "Home" => self.reset(),
            _ => return false,
        }
        true
    }

    /// The selection being dragged as (left, width) in CSS pixels, inside the
    /// plot area; `None` unless a range selection is in progress.
    pub fn selection_px(&self) -> Option<(f64, f64)> {
        let d = self.drag.filter(|d| d.kind == DragKind::Select)?;
        let a = self.area;
        let lo = d.start_x.min(d.x).max(a.x0);
        let hi = d.start_x.max(d.x).min(a.x0 + a.width);
        Some((lo, (hi - lo).max(0.0)))
    }

    /// Where the tooltip points: the hover position over the plot while no drag
    /// is in progress.
    pub fn tooltip_at(&self) -> Option<(f64, f64)> {
        let (x, y) = self.hover?;
        (self.drag.is_none() && self.in_plot(x)).then_some((x, y))
    }

    /// The whole minute under `x`.
    pub fn minute_at(&self, x: f64) -> i64 {
        self.mapping().minute_at(x).floor() as i64
    }

    /// The tooltip box's (left, top) for a pointer at (`x`, `y`) in a graph box
    /// `height` pixels high: right of the pointer, or left of it near the right edge.
    pub fn tooltip_box(&self, x: f64, y: f64, height: f64) -> (f64, f64) {
        let a = self.area;
        let left = if x + TOOLTIP_WIDTH > a.x0 + a.width {
            (x - TOOLTIP_WIDTH).max(0.0)
        } else {
            x + 12.0
        };
        (left, (y + 12.0).min(height - 60.0))
    }
}

/// The lines of the hover tooltip at one minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooltipText {
    /// `2026-11-25 14:57 UTC`.
    pub time: String,
    pub calls: String,
    /// For an error-rate Insight: `Errors (AccessDenied): 3`.
    pub errors: Option<String>,
    /// When the minute is inside one of the Insights drawn as bands.
    pub band: Option<String>,
}

/// The tooltip at `minute` of sorted `points`; `error_code` is set for an
/// error-rate Insight; `bands` are the Insights drawn on the graph.
pub fn tooltip_text(
    points: &[MinutePoint],
    minute: i64,
    offset_at: &dyn Fn(i64) -> i64,
    error_code: Option<&str>,
    bands: &[Band],
) -> TooltipText {
    let p = point_at(points, minute);
    let offset = offset_at(minute);
    let band = bands
        .iter()
        .find(|b| minute >= b.start && minute < b.end.max(b.start + 1))
        .map(|b| {
            format!(
                "Insight started {} · {}",
                minute_at(b.start, offset_at(b.start)),
                duration(b.end - b.start)
            )
        });
    TooltipText {
        time: format!("{} {}", minute_at(minute, offset), zone_label(offset)),
        calls: format!("API calls: {}", p.calls),
        errors: error_code.map(|code| format!("Errors ({code}): {}", p.errors)),
        band,
    }
}

#[cfg(test)]
#[path = "chart_view_tests.rs"]
mod tests;
