//! The Insights graph's geometry: which minutes are shown, how they map to pixels,
//! zooming about a point, panning, the console's default span, tick choice and
//! downsampling. Pure and deterministic so it is unit-tested natively; the canvas
//! component only feeds it pointer positions and draws what it returns.

use crate::model::MinutePoint;

/// Narrowest span the user can zoom into, in minutes.
pub const MIN_SPAN: f64 = 5.0;

/// A shown time range in minutes since the epoch, `from < to`. Fractional so that
/// repeated wheel zooms stay smooth; [`ViewRange::whole_minutes`] rounds outwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewRange {
    pub from: f64,
    pub to: f64,
}

impl ViewRange {
    pub fn new(from: f64, to: f64) -> Self {
        if to >= from {
            ViewRange { from, to }
        } else {
            ViewRange { from: to, to: from }
        }
    }

    pub fn span(&self) -> f64 {
        self.to - self.from
    }

    /// First and last whole minute the range touches (`from` floored, `to` ceiled).
    pub fn whole_minutes(&self) -> (i64, i64) {
        (self.from.floor() as i64, self.to.ceil() as i64)
    }

    /// Zooms by `factor` (< 1 zooms in) keeping `anchor` (a minute) at the same
    /// pixel, then keeps the result inside `bounds`.
    pub fn zoom_about(&self, anchor: f64, factor: f64, bounds: ViewRange) -> ViewRange {
        let factor = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let anchor = anchor.clamp(self.from, self.to);
        let mut span = (self.span() * factor)
            .max(MIN_SPAN)
            .min(bounds.span().max(MIN_SPAN));
        if !span.is_finite() {
            span = MIN_SPAN;
        }
        // Where the anchor sits inside the range (0..1) is what must not move.
        let t = if self.span() > 0.0 {
            (anchor - self.from) / self.span()
        } else {
            0.5
        };
        let from = anchor - t * span;
        ViewRange::new(from, from + span).clamped(bounds)
    }

    /// Moves the range by `delta` minutes (positive = later), inside `bounds`.
    pub fn pan(&self, delta: f64, bounds: ViewRange) -> ViewRange {
        ViewRange::new(self.from + delta, self.to + delta).clamped(bounds)
    }

    /// Shifts (never shrinks unless wider than `bounds`) the range into `bounds`.
    pub fn clamped(&self, bounds: ViewRange) -> ViewRange {
        let span = self.span().min(bounds.span());
        let mut from = self.from;
        if from < bounds.from {
            from = bounds.from;
        }
        if from + span > bounds.to {
            from = bounds.to - span;
        }
        ViewRange::new(from, from + span)
    }
}

/// The console's default time span for an Insight of `duration` minutes:
/// < 4 h → 3 h, 4–12 h → 12 h, 12–24 h → 1 d, 24–72 h → 3 d, > 72 h → 1 week.
pub fn console_span(duration: u32) -> i64 {
    match duration {
        0..=239 => 3 * 60,
        240..=720 => 12 * 60,
        721..=1440 => 24 * 60,
        1441..=4320 => 3 * 24 * 60,
        _ => 7 * 24 * 60,
    }
}

/// The default view: the console span, widened when the Insight would not leave a
/// quarter of its duration (at least 10 minutes) of context on each side, centred
/// on the Insight.
pub fn default_range(start_minute: i64, end_minute: i64) -> ViewRange {
    let (start, end) = (start_minute.min(end_minute), start_minute.max(end_minute));
    let duration = end - start;
    let pad = (duration / 4).max(10);
    let span = console_span(u32::try_from(duration).unwrap_or(u32::MAX)).max(duration + 2 * pad);
    centred(start, end, span)
}

/// `span` minutes centred on the Insight from `start_minute` to `end_minute`, in
/// whole minutes so the shown range reads as exactly the span.
pub fn centred(start_minute: i64, end_minute: i64, span: i64) -> ViewRange {
    let span = span.max(MIN_SPAN as i64);
    let from = (start_minute + end_minute - span).div_euclid(2);
    ViewRange::new(from as f64, (from + span) as f64)
}

/// The console's time span presets (label, minutes).
pub const SPAN_PRESETS: [(&str, i64); 8] = [
    ("5 minutes", 5),
    ("30 minutes", 30),
    ("1 hour", 60),
    ("3 hours", 180),
    ("12 hours", 720),
    ("1 day", 1440),
    ("3 days", 4320),
    ("1 week", 10080),
];

/// The minutes to fetch and allow panning over: the default `view` joined with the
/// loaded data's extent (`data`, whole minutes, inclusive), at most `max_span`
/// minutes, always containing `view`, centred on it when the data is longer.
/// Without a known extent, a day on either side of `view`.
pub fn fetch_bounds(view: ViewRange, data: Option<(i64, i64)>, max_span: i64) -> ViewRange {
    let (vf, vt) = view.whole_minutes();
    let (mut from, mut to) = match data {
        Some((a, b)) => (vf.min(a.min(b)), vt.max(a.max(b).saturating_add(1))),
        // Extent unknown: a day either side, so panning still works.
        None => (vf - 1440, vt + 1440),
    };
    let max_span = max_span.max(vt - vf);
    if to - from > max_span {
        let centre = (vf + vt) / 2;
        from = from.max(centre - max_span / 2);
        to = (from + max_span).min(to);
        from = to - max_span;
    }
    ViewRange::new(from as f64, to as f64)
}

/// Maps minutes to horizontal pixels of the plot area and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct XMapping {
    pub range: ViewRange,
    /// Left edge of the plot area in CSS pixels.
    pub x0: f64,
    /// Width of the plot area in CSS pixels (> 0).
    pub width: f64,
}

impl XMapping {
    pub fn minute_at(&self, px: f64) -> f64 {
        if self.width <= 0.0 {
            return self.range.from;
        }
        self.range.from + (px - self.x0) / self.width * self.range.span()
    }

    pub fn px_of(&self, minute: f64) -> f64 {
        let span = self.range.span();
        if span <= 0.0 {
            return self.x0;
        }
        self.x0 + (minute - self.range.from) / span * self.width
    }
}

/// A range chosen by dragging from pixel `a` to pixel `b`, or `None` when the drag
/// is too short (under 4 px or under [`MIN_SPAN`] once clamped) to be meant as zoom.
pub fn drag_selection(map: &XMapping, a: f64, b: f64, bounds: ViewRange) -> Option<ViewRange> {
    if (a - b).abs() < 4.0 {
        return None;
    }
    let r = ViewRange::new(map.minute_at(a), map.minute_at(b));
    let from = r.from.max(bounds.from);
    let to = r.to.min(bounds.to);
    if to - from < 1.0 {
        return None;
    }
    if to - from < MIN_SPAN {
        let mid = (from + to) / 2.0;
        return Some(ViewRange::new(mid - MIN_SPAN / 2.0, mid + MIN_SPAN / 2.0).clamped(bounds));
    }
    Some(ViewRange::new(from, to))
}

/// Tick step candidates in minutes, aligned to what a clock reader expects.
const STEPS: [i64; 16] = [
    1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080, 20160,
];

/// The smallest "round" step giving at most `max_ticks` ticks over `span` minutes.
pub fn tick_step(span: f64, max_ticks: usize) -> i64 {
    let max_ticks = max_ticks.max(1) as f64;
    for step in STEPS {
        if span / step as f64 <= max_ticks {
            return step;
        }
    }
    STEPS[STEPS.len() - 1]
}

/// Tick minutes inside `range`, aligned in the displayed time zone: a tick falls
/// where `(minute + offset) % step == 0`, so local midnight is a day tick.
pub fn ticks(range: ViewRange, max_ticks: usize, offset_minutes: i64) -> (i64, Vec<i64>) {
    let step = tick_step(range.span(), max_ticks);
    let (from, to) = range.whole_minutes();
    let local_from = from + offset_minutes;
    let first_local = local_from + (step - local_from.rem_euclid(step)) % step;
    let mut out = Vec::new();
    let mut m = first_local - offset_minutes;
    while m <= to && out.len() <= max_ticks + 1 {
        if m as f64 >= range.from && m as f64 <= range.to {
            out.push(m);
        }
        m += step;
    }
    (step, out)
}

/// Values of one displayed sample: the maxima over `minutes` consecutive minutes
/// starting at `minute` (max keeps spikes visible when many minutes share a pixel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    pub minute: i64,
    pub minutes: i64,
    pub calls: u32,
    pub errors: u32,
}

/// Reduces sorted, possibly sparse `points` over `range` to at most about two
/// samples per pixel of `width_px`. Missing minutes count as 0 (a line across a gap
/// would otherwise suggest activity that never happened).
pub fn downsample(points: &[MinutePoint], range: ViewRange, width_px: f64) -> Vec<Sample> {
    let (from, to) = range.whole_minutes();
    if to <= from {
        return Vec::new();
    }
    let span = to - from;
    let max_samples = ((width_px.max(1.0)) * 2.0).ceil() as i64;
    let bucket = ((span + max_samples - 1) / max_samples).max(1);
    let n = ((span + bucket - 1) / bucket) as usize + 1;
    let mut out: Vec<Sample> = (0..n as i64)
        .map(|i| Sample {
            minute: from + i * bucket,
            minutes: bucket,
            calls: 0,
            errors: 0,
        })
        .collect();
    let start = points.partition_point(|p| p.minute < from);
    for p in points[start..].iter().take_while(|p| p.minute <= to) {
        let i = ((p.minute - from) / bucket) as usize;
        if let Some(s) = out.get_mut(i) {
            s.calls = s.calls.max(p.calls);
            s.errors = s.errors.max(p.errors);
        }
    }
    out
}

/// The values of `minute` in sorted `points` (zeros when the minute has none).
pub fn point_at(points: &[MinutePoint], minute: i64) -> MinutePoint {
    match points.binary_search_by_key(&minute, |p| p.minute) {
        Ok(i) => points[i],
        Err(_) => MinutePoint {
            minute,
            calls: 0,
            errors: 0,
        },
    }
}

/// The top of the y axis: the highest shown value or average, with 10 % headroom,
/// at least 1.
pub fn y_max(samples: &[Sample], averages: &[f64]) -> f64 {
    let data = samples
        .iter()
        .map(|s| s.calls.max(s.errors) as f64)
        .fold(0.0, f64::max);
    let avg = averages
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    (data.max(avg) * 1.1).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn console_span_follows_the_duration_table() {
        assert_eq!(console_span(10), 180);
        assert_eq!(console_span(239), 180);
        assert_eq!(console_span(240), 720);
        assert_eq!(console_span(721), 1440);
        assert_eq!(console_span(2000), 4320);
        assert_eq!(console_span(5000), 10080);
    }

    #[test]
    fn default_range_is_centred_and_contains_the_insight() {
        let r = default_range(1000, 1020);
        assert!(close(r.span(), 180.0));
        assert!(close((r.from + r.to) / 2.0, 1010.0));
        // Odd sums round down to a whole minute, keeping the span exact.
        let r = default_range(1000, 1005);
        assert_eq!(r, ViewRange::new(912.0, 1092.0));
        assert_eq!(centred(1000, 1020, 60), ViewRange::new(980.0, 1040.0));
        // Presets under the minimum span are widened to it.
        assert!(close(centred(1000, 1020, 2).span(), MIN_SPAN));
        // 11 hours: the 12 h span would leave under a quarter each side, so it widens.
        let r = default_range(0, 660);
        assert!(r.from <= -165.0 && r.to >= 825.0, "{r:?}");
    }

    #[test]
    fn zoom_keeps_the_anchor_at_the_same_place() {
        let bounds = ViewRange::new(0.0, 10_000.0);
        let r = ViewRange::new(1000.0, 2000.0);
        let z = r.zoom_about(1250.0, 0.5, bounds);
        assert!(close(z.span(), 500.0));
        assert!(close((1250.0 - z.from) / z.span(), 0.25));
        // Zooming back out restores the range.
        let back = z.zoom_about(1250.0, 2.0, bounds);
        assert!(close(back.from, 1000.0) && close(back.to, 2000.0));
    }

    #[test]
    fn zoom_is_limited_by_min_span_and_bounds() {
        let bounds = ViewRange::new(0.0, 600.0);
        let r = ViewRange::new(100.0, 200.0);
        assert!(close(r.zoom_about(150.0, 0.001, bounds).span(), MIN_SPAN));
        let out = r.zoom_about(150.0, 100.0, bounds);
        assert!(close(out.from, 0.0) && close(out.to, 600.0));
        // Nonsense factors leave the range alone.
        assert_eq!(r.zoom_about(150.0, f64::NAN, bounds), r);
    }

    #[test]
    fn pan_stops_at_the_bounds() {
        let bounds = ViewRange::new(0.0, 1000.0);
        let r = ViewRange::new(100.0, 200.0);
        assert_eq!(r.pan(50.0, bounds), ViewRange::new(150.0, 250.0));
        assert_eq!(r.pan(-500.0, bounds), ViewRange::new(0.0, 100.0));
        assert_eq!(r.pan(5000.0, bounds), ViewRange::new(900.0, 1000.0));
    }

    #[test]
    fn fetch_bounds_joins_data_and_caps_span() {
        let view = ViewRange::new(1000.0, 1180.0);
        assert_eq!(
            fetch_bounds(view, None, 10_000),
            ViewRange::new(-440.0, 2620.0)
        );
        assert_eq!(
            fetch_bounds(view, Some((0, 5000)), 10_000),
            ViewRange::new(0.0, 5001.0)
        );
        let b = fetch_bounds(view, Some((-100_000, 100_000)), 10_000);
        assert!(close(b.span(), 10_000.0));
        assert!(b.from <= 1000.0 && b.to >= 1180.0);
        // The view always fits, even when longer than the cap.
        let b = fetch_bounds(ViewRange::new(0.0, 50_000.0), Some((0, 60_000)), 10_000);
        assert!(b.from <= 0.0 && b.to >= 50_000.0, "{b:?}");
    }

    #[test]
    fn pixel_mapping_round_trips() {
        let map = XMapping {
            range: ViewRange::new(600.0, 780.0),
            x0: 50.0,
            width: 360.0,
        };
        assert!(close(map.px_of(600.0), 50.0));
        assert!(close(map.px_of(780.0), 410.0));
        assert!(close(map.minute_at(230.0), 690.0));
        assert!(close(map.minute_at(map.px_of(701.5)), 701.5));
    }

    #[test]
    fn drag_selection_orders_and_rejects_clicks() {
        let map = XMapping {
            range: ViewRange::new(0.0, 1000.0),
            x0: 0.0,
            width: 1000.0,
        };
        let bounds = ViewRange::new(0.0, 1000.0);
        assert_eq!(drag_selection(&map, 2.0, 4.0, bounds), None);
        assert_eq!(
            drag_selection(&map, 500.0, 300.0, bounds),
            Some(ViewRange::new(300.0, 500.0))
        );
        let small = drag_selection(&map, 300.0, 305.0, bounds).unwrap();
        assert!(close(small.span(), MIN_SPAN));
    }

    #[test]
    fn ticks_are_round_and_follow_the_offset() {
        assert_eq!(tick_step(180.0, 8), 30);
        assert_eq!(tick_step(10080.0, 8), 1440);
        let (step, t) = ticks(ViewRange::new(1000.0, 1180.0), 8, 0);
        assert_eq!(step, 30);
        assert_eq!(t, vec![1020, 1050, 1080, 1110, 1140, 1170]);
        // With a +45 minute offset, ticks fall on local half hours.
        let (_, t) = ticks(ViewRange::new(1000.0, 1180.0), 8, 45);
        assert_eq!(t.first(), Some(&1005));
        assert!(t.iter().all(|m| (m + 45) % 30 == 0));
        // Day ticks land on local midnight.
        let (step, t) = ticks(ViewRange::new(0.0, 7.0 * 1440.0), 8, -300);
        assert_eq!(step, 1440);
        assert!(t.iter().all(|m| (m - 300).rem_euclid(1440) == 0), "{t:?}");
    }

    #[test]
    fn downsample_fills_gaps_and_keeps_maxima() {
        let pts = [
            MinutePoint {
                minute: 1,
                calls: 3,
                errors: 1,
            },
            MinutePoint {
                minute: 2,
                calls: 9,
                errors: 0,
            },
            MinutePoint {
                minute: 7,
                calls: 4,
                errors: 4,
            },
        ];
        // Wide enough: one sample per minute, gaps are zero.
        let s = downsample(&pts, ViewRange::new(0.0, 8.0), 100.0);
        assert_eq!(s.len(), 9);
        assert_eq!(s[2].calls, 9);
        assert_eq!(s[5].calls, 0);
        // Two pixels: at most ~4 samples of 2 minutes each, by max.
        let s = downsample(&pts, ViewRange::new(0.0, 8.0), 2.0);
        assert!(s.len() <= 5, "{s:?}");
        assert_eq!(s[0].minutes, 2);
        assert_eq!(
            s[1],
            Sample {
                minute: 2,
                minutes: 2,
                calls: 9,
                errors: 0
            }
        );
        assert_eq!(s[0].calls, 3);
        assert_eq!(s[3].errors, 4);
    }

    #[test]
    fn downsample_is_bounded_for_long_ranges() {
        let pts: Vec<MinutePoint> = (0..20_000)
            .map(|m| MinutePoint {
                minute: m,
                calls: (m % 97) as u32,
                errors: 0,
            })
            .collect();
        let s = downsample(&pts, ViewRange::new(0.0, 20_000.0), 800.0);
        assert!(s.len() <= 1601, "{}", s.len());
        assert_eq!(s.iter().map(|x| x.calls).max(), Some(96));
    }

    #[test]
    fn point_lookup_and_y_max() {
        let pts = [MinutePoint {
            minute: 5,
            calls: 2,
            errors: 1,
        }];
        assert_eq!(point_at(&pts, 5).calls, 2);
        assert_eq!(
            point_at(&pts, 6),
            MinutePoint {
                minute: 6,
                calls: 0,
                errors: 0
            }
        );
        let s = [Sample {
            minute: 0,
            minutes: 1,
            calls: 10,
            errors: 0,
        }];
        assert!(close(y_max(&s, &[3.0]), 11.0));
        assert!(close(y_max(&s, &[20.0, f64::NAN]), 22.0));
        assert!(close(y_max(&[], &[]), 1.0));
    }
}
