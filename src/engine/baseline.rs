//! The model of one series, rebuilt for every day from the days before it:
//! the seasonal expected rate, how bursty the series is (its dispersion), the
//! sizes of its earlier bursts (burst memory), and the lows seen at each time
//! of day (for drops).
//!
//! Like AWS ("baseline … calculated daily"), the model for day `D` uses only
//! the days before `D` that the data covers:
//!
//! - **Expectation**, from the last [`BASELINE_DAYS`] days: `overall` = events /
//!   covered minutes; `hour[h]` = (events in hour `h` + `PRIOR_MINUTES` ×
//!   `overall`) / (covered minutes in hour `h` + `PRIOR_MINUTES`), a
//!   Gamma-Poisson posterior mean that shrinks sparse hours toward the overall
//!   rate; `expected[h]` = the same shrinkage again, from the days of `D`'s own
//!   type (weekday or weekend) toward `hour[h]`.
//! - **Burst memory**, from the last [`MODEL_DAYS`] days: the largest 1-minute
//!   count and `WINDOW`-minute sum at any time of day. A deploy pipeline that
//!   runs at random hours is as normal at 15:00 as at 09:00.
//! - **Dispersion** (see [`super::dispersion`]), from the last [`MODEL_DAYS`] days.
//! - **Low guard**: for each drop window, the smallest count in hours
//!   `h-1 … h+1` of the last [`BASELINE_DAYS`] days (a nightly pause is normal).

use super::dispersion;
use super::params::{BASELINE_DAYS, DROP_WINDOWS, MODEL_DAYS, PRIOR_MINUTES, WINDOW};

const MINUTES_PER_DAY: i64 = 1440;

/// Per-day model of one series.
pub(crate) struct Profile {
    /// Absolute day number (days since 1970-01-01) of day index 0.
    pub day0: i64,
    /// `expected[d][h]`: expected events per minute; `None` for a day without
    /// any earlier covered day (nothing to compare with).
    pub expected: Vec<Option<[f64; 24]>>,
    /// Largest 1-minute count on the model days before each day (any hour).
    pub memory1: Vec<u32>,
    /// Largest `WINDOW`-minute count on the model days before each day.
    pub memory_w: Vec<u32>,
    /// Dispersion `alpha` of each day's model (variance `mu + alpha mu^2`).
    pub dispersion: Vec<f64>,
    /// Covered days the burst memory and dispersion of each day looked at.
    pub model_days: Vec<u8>,
    /// Per drop window ([`DROP_WINDOWS`]), the smallest count at about the
    /// same time on the baseline days (`u32::MAX` when none was seen): lows
    /// seen before are normal.
    pub low_guard: [Vec<[u32; 24]>; 2],
    /// Baseline days of the same type (weekday/weekend) as each day.
    pub same_type_days: Vec<u8>,
}

impl Profile {
    /// Day index and hour of an absolute minute.
    pub fn slot(&self, minute: i64) -> (usize, usize) {
        let d = (minute.div_euclid(MINUTES_PER_DAY) - self.day0).max(0) as usize;
        let h = (minute.rem_euclid(MINUTES_PER_DAY) / 60) as usize;
        (d, h)
    }
}

/// True for Saturday and Sunday of absolute day number `day` (1970-01-01 was a Thursday).
pub(crate) fn is_weekend(day: i64) -> bool {
    (day + 3).rem_euclid(7) >= 5
}

/// Per-hour-slot statistics of the whole series (slot = day index × 24 + hour).
struct Slots {
    events: Vec<u64>,
    minutes: Vec<u32>,
    max1: Vec<u32>,
    max_w: Vec<u32>,
    /// Per drop window, the smallest count of a window ending in the slot.
    min_drop: [Vec<u32>; 2],
}

impl Slots {
    fn of(counts: &[u32], first: i64, day0: i64, ndays: usize) -> Slots {
        let slots = ndays * 24;
        let mut s = Slots {
            events: vec![0; slots],
            minutes: vec![0; slots],
            max1: vec![0; slots],
            max_w: vec![0; slots],
            min_drop: [vec![u32::MAX; slots], vec![u32::MAX; slots]],
        };
        let mut rolling = 0u32;
        let mut rolling_drop = [0u32; 2];
        for (i, &c) in counts.iter().enumerate() {
            rolling += c;
            if i >= WINDOW {
                rolling -= counts[i - WINDOW];
            }
            let m = first + i as i64;
            let slot = (m.div_euclid(MINUTES_PER_DAY) - day0) as usize * 24
                + (m.rem_euclid(MINUTES_PER_DAY) / 60) as usize;
            s.events[slot] += u64::from(c);
            s.minutes[slot] += 1;
            s.max1[slot] = s.max1[slot].max(c);
            s.max_w[slot] = s.max_w[slot].max(rolling);
            for (k, &len) in DROP_WINDOWS.iter().enumerate() {
                rolling_drop[k] += c;
                if i >= len {
                    rolling_drop[k] -= counts[i - len];
                }
                if i + 1 >= len {
                    s.min_drop[k][slot] = s.min_drop[k][slot].min(rolling_drop[k]);
                }
            }
        }
        s
    }

    fn covered(&self, day: usize) -> bool {
        self.minutes[day * 24..day * 24 + 24].iter().any(|&m| m > 0)
    }
}

/// Builds the profile of a series from its dense per-minute `counts`, which start
/// at absolute minute `first`.
pub(crate) fn build(counts: &[u32], first: i64) -> Profile {
    let day0 = first.div_euclid(MINUTES_PER_DAY);
    let last = first + counts.len() as i64 - 1;
    let ndays = (last.div_euclid(MINUTES_PER_DAY) - day0 + 1).max(1) as usize;
    let slots = Slots::of(counts, first, day0, ndays);
    let covered: Vec<bool> = (0..ndays).map(|d| slots.covered(d)).collect();
    let day_max = |v: &[u32], d: usize| v[d * 24..d * 24 + 24].iter().copied().max().unwrap_or(0);
    let max1: Vec<u32> = (0..ndays).map(|d| day_max(&slots.max1, d)).collect();
    let max_w: Vec<u32> = (0..ndays).map(|d| day_max(&slots.max_w, d)).collect();
    let dispersion_days = dispersion::per_day(counts, first, day0, ndays);

    let mut p = Profile {
        day0,
        expected: Vec::with_capacity(ndays),
        memory1: Vec::with_capacity(ndays),
        memory_w: Vec::with_capacity(ndays),
        dispersion: Vec::with_capacity(ndays),
        model_days: Vec::with_capacity(ndays),
        low_guard: [Vec::with_capacity(ndays), Vec::with_capacity(ndays)],
        same_type_days: Vec::with_capacity(ndays),
    };
    for d in 0..ndays {
        let model_from = d.saturating_sub(MODEL_DAYS as usize);
        let model: Vec<usize> = (model_from..d).filter(|&b| covered[b]).collect();
        p.memory1
            .push(model.iter().map(|&b| max1[b]).max().unwrap_or(0));
        p.memory_w
            .push(model.iter().map(|&b| max_w[b]).max().unwrap_or(0));
        p.dispersion
            .push(dispersion::over(&dispersion_days, model_from, d));
        p.model_days.push(model.len().min(255) as u8);

        let from = d.saturating_sub(BASELINE_DAYS as usize);
        let days: Vec<usize> = (from..d).filter(|&b| covered[b]).collect();
        for k in 0..DROP_WINDOWS.len() {
            p.low_guard[k].push(low_guard(&slots.min_drop[k], &days));
        }
        let weekend = is_weekend(day0 + d as i64);
        let same = days
            .iter()
            .filter(|&&b| is_weekend(day0 + b as i64) == weekend)
            .count();
        p.same_type_days.push(same.min(255) as u8);
        p.expected
            .push((!days.is_empty()).then(|| expectation(&slots, &days, day0, weekend)));
    }
    p
}

/// The smallest window count (`min_drop`, per slot) in hours `h-1 … h+1` of `days`.
fn low_guard(min_drop: &[u32], days: &[usize]) -> [u32; 24] {
    let mut low = [u32::MAX; 24];
    for &b in days {
        for (h, l) in low.iter_mut().enumerate() {
            for dh in [23, 0, 1] {
                *l = (*l).min(min_drop[b * 24 + (h + dh) % 24]);
            }
        }
    }
    low
}

/// The expected events per minute in each hour of a day of type `weekend`,
/// from the baseline `days` (see the module docs).
fn expectation(slots: &Slots, days: &[usize], day0: i64, weekend: bool) -> [f64; 24] {
    let (mut total_events, mut total_minutes) = (0u64, 0u64);
    let mut hour_events = [0u64; 24];
    let mut hour_minutes = [0u64; 24];
    let mut type_events = [0u64; 24];
    let mut type_minutes = [0u64; 24];
    for &b in days {
        let same_type = is_weekend(day0 + b as i64) == weekend;
        for h in 0..24 {
            let s = b * 24 + h;
            total_events += slots.events[s];
            total_minutes += u64::from(slots.minutes[s]);
            hour_events[h] += slots.events[s];
            hour_minutes[h] += u64::from(slots.minutes[s]);
            if same_type {
                type_events[h] += slots.events[s];
                type_minutes[h] += u64::from(slots.minutes[s]);
            }
        }
    }
    let overall = total_events as f64 / total_minutes.max(1) as f64;
    let mut exp = [0f64; 24];
    for h in 0..24 {
        let hour = (hour_events[h] as f64 + PRIOR_MINUTES * overall)
            / (hour_minutes[h] as f64 + PRIOR_MINUTES);
        exp[h] = (type_events[h] as f64 + PRIOR_MINUTES * hour)
            / (type_minutes[h] as f64 + PRIOR_MINUTES);
    }
    exp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_of_known_dates() {
        // 2026-03-02 is a Monday, 2026-03-07 a Saturday.
        let monday = 20514;
        assert!(!is_weekend(monday));
        assert!(is_weekend(monday + 5));
        assert!(is_weekend(monday + 6));
        assert!(!is_weekend(monday + 7));
    }

    #[test]
    fn hourly_peak_is_expected_on_later_days() {
        // 3 days; 10 events per minute from 10:00 to 10:59, 1 per minute otherwise.
        let first = 20514 * 1440;
        let counts: Vec<u32> = (0..3 * 1440)
            .map(|i| if (i % 1440) / 60 == 10 { 10 } else { 1 })
            .collect();
        let p = build(&counts, first);
        assert!(p.expected[0].is_none());
        let e = p.expected[2].expect("day 2 has history");
        assert!(e[10] > 9.0 && e[3] < 1.5, "{e:?}");
        assert_eq!(p.memory1[2], 10);
    }

    #[test]
    fn burst_memory_remembers_bursts_at_any_hour_for_28_days() {
        // 40 days of silence but for a 20-a-minute burst on day 0 at 09:00 and
        // one of 30 on day 5 at 17:00.
        let first = 20514 * 1440;
        let mut counts = vec![0u32; 40 * 1440];
        counts[9 * 60] = 20;
        counts[5 * 1440 + 17 * 60] = 30;
        let p = build(&counts, first);
        assert_eq!(p.memory1[0], 0);
        assert_eq!(p.memory1[1], 20);
        assert_eq!(p.memory1[6], 30);
        assert_eq!(
            p.memory1[28], 30,
            "day 0 has left the window, day 5 has not"
        );
        assert_eq!(p.memory1[34], 0, "both have left the 28-day window");
        assert_eq!(p.model_days[10], 10);
        assert_eq!(p.model_days[39], 28);
    }
}
