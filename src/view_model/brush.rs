//! Brushing the list page's activity chart: which buckets (and so which
//! minutes) a click or a drag covers, from positions in CSS pixels. Pure so
//! it is unit-tested natively; `app::activity_chart` wires the mouse to it.

use crate::model::MinuteRange;

/// The chart's x axis: `buckets` points at `0..buckets` spread over the plot
/// area (`left`, `width` in CSS pixels), bucket `i` holding the minutes
/// `first_minute + i * bucket_minutes` for `bucket_minutes` minutes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub left: f64,
    pub width: f64,
    pub buckets: i64,
    pub first_minute: i64,
    pub bucket_minutes: i64,
}

impl Axis {
    /// The bucket drawn nearest to `x` (clamped to the chart; the series is
    /// plotted over `0..buckets`, one point per bucket).
    pub fn bucket_at(&self, x: f64) -> i64 {
        let last = (self.buckets - 1).max(0);
        if self.width <= 0.0 || !x.is_finite() {
            return 0;
        }
        let v = (x - self.left) / self.width * self.buckets as f64;
        (v.round() as i64).clamp(0, last)
    }

    /// The minutes of the buckets from the one nearest `x0` to the one
    /// nearest `x1` (either order), half-open: a click is one bucket.
    pub fn range(&self, x0: f64, x1: f64) -> MinuteRange {
        let (a, b) = (self.bucket_at(x0), self.bucket_at(x1));
        let (lo, hi) = (a.min(b), a.max(b));
        let step = self.bucket_minutes.max(1);
        let at = |i: i64| self.first_minute.saturating_add(i.saturating_mul(step));
        MinuteRange::new(at(lo), at(hi + 1))
    }
}

/// Moves shorter than this (CSS pixels) are a click, not a drag.
pub const DRAG_MIN_PX: f64 = 4.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn axis() -> Axis {
        Axis {
            left: 50.0,
            width: 1000.0,
            buckets: 100,
            first_minute: 1_000,
            bucket_minutes: 5,
        }
    }

    #[test]
    fn a_click_is_its_bucket_and_a_drag_spans_its_buckets() {
        let a = axis();
        // Ten pixels per bucket; x = 50 is bucket 0, x = 150 bucket 10.
        assert_eq!(a.bucket_at(50.0), 0);
        assert_eq!(a.bucket_at(154.0), 10);
        assert_eq!(a.bucket_at(156.0), 11);
        assert_eq!(a.range(150.0, 150.0), MinuteRange::new(1_050, 1_055));
        let drag = a.range(250.0, 150.0);
        assert_eq!(drag, MinuteRange::new(1_050, 1_105));
        assert_eq!(drag, a.range(150.0, 250.0));
    }

    #[test]
    fn positions_off_the_plot_clamp_to_its_ends() {
        let a = axis();
        assert_eq!(a.bucket_at(-500.0), 0);
        assert_eq!(a.bucket_at(5_000.0), 99);
        assert_eq!(a.range(-1.0, 1e9), MinuteRange::new(1_000, 1_500));
        assert_eq!(a.bucket_at(f64::NAN), 0);
        let empty = Axis {
            buckets: 0,
            width: 0.0,
            ..a
        };
        assert_eq!(empty.range(10.0, 20.0), MinuteRange::new(1_000, 1_005));
    }
}
