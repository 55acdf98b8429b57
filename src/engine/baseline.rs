//! The seasonal baseline of one series: for every day, the expected rate per
//! minute in each hour of the day, and the "same time on earlier days" guard.
//!
//! Like AWS ("baseline … calculated daily"), the model for day `D` is built once
//! from the whole days `D-7 … D-1` that the data covers:
//!
//! - `overall` = events / covered minutes over those days;
//! - `hour[h]` = (events in hour `h` + `PRIOR_MINUTES` × `overall`) /
//!   (covered minutes in hour `h` + `PRIOR_MINUTES`), i.e. a Gamma-Poisson
//!   posterior mean that shrinks sparse hours toward the overall rate;
//! - `expected[h]` = the same shrinkage again, from the days of `D`'s own type
//!   (weekday or weekend) toward `hour[h]`, so a weekday 10:00 peak is expected
//!   on weekdays and a quiet weekend does not lower Monday's expectation.
//!
//! The guard is the largest 1-minute and 5-minute count seen in hours `h-1 … h+1`
//! on those days: a scheduled job that does 50 calls at 02:00 every night is
//! then normal even though the 02:00 hourly average is low.

use super::decide::WINDOW;
use super::drops::DROP_WINDOW;

/// Days of history that feed the model of a day (AWS: "the seven days preceding").
pub(crate) const BASELINE_DAYS: i64 = 7;
/// Weight, in minutes, of the prior in each shrinkage step (one pseudo-hour).
pub(crate) const PRIOR_MINUTES: f64 = 60.0;
const MINUTES_PER_DAY: i64 = 1440;

/// Per-day, per-hour expectation and guards of one series.
pub(crate) struct Profile {
    /// Absolute day number (days since 1970-01-01) of day index 0.
    pub day0: i64,
    /// `expected[d][h]`: expected events per minute; `None` for a day without
    /// any earlier covered day (nothing to compare with).
    pub expected: Vec<Option<[f64; 24]>>,
    /// Largest 1-minute count at about the same time on the baseline days.
    pub guard1: Vec<[u32; 24]>,
    /// Largest `WINDOW`-minute count at about the same time on the baseline days.
    pub guard_w: Vec<[u32; 24]>,
    /// Smallest `DROP_WINDOW`-minute count at about the same time on the
    /// baseline days (`u32::MAX` when none was seen): lows seen before are normal.
    pub low_guard: Vec<[u32; 24]>,
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

/// Builds the profile of a series from its dense per-minute `counts`, which start
/// at absolute minute `first`.
pub(crate) fn build(counts: &[u32], first: i64) -> Profile {
    let day0 = first.div_euclid(MINUTES_PER_DAY);
    let last = first + counts.len() as i64 - 1;
    let ndays = (last.div_euclid(MINUTES_PER_DAY) - day0 + 1).max(1) as usize;
    let slots = ndays * 24;
    let mut events = vec![0u64; slots];
    let mut minutes = vec![0u32; slots];
    let mut max1 = vec![0u32; slots];
    let mut max_w = vec![0u32; slots];
    let mut min_drop = vec![u32::MAX; slots];
    let mut rolling = 0u32;
    let mut rolling_drop = 0u32;
    for (i, &c) in counts.iter().enumerate() {
        rolling += c;
        if i >= WINDOW {
            rolling -= counts[i - WINDOW];
        }
        rolling_drop += c;
        if i >= DROP_WINDOW {
            rolling_drop -= counts[i - DROP_WINDOW];
        }
        let m = first + i as i64;
        let slot = (m.div_euclid(MINUTES_PER_DAY) - day0) as usize * 24
            + (m.rem_euclid(MINUTES_PER_DAY) / 60) as usize;
        events[slot] += u64::from(c);
        minutes[slot] += 1;
        max1[slot] = max1[slot].max(c);
        max_w[slot] = max_w[slot].max(rolling);
        if i + 1 >= DROP_WINDOW {
            min_drop[slot] = min_drop[slot].min(rolling_drop);
        }
    }

    let mut expected = Vec::with_capacity(ndays);
    let mut guard1 = Vec::with_capacity(ndays);
    let mut guard_w = Vec::with_capacity(ndays);
    let mut low_guard = Vec::with_capacity(ndays);
    let mut same_type_days = Vec::with_capacity(ndays);
    for d in 0..ndays {
        let from = (d as i64 - BASELINE_DAYS).max(0) as usize;
        let days: Vec<usize> = (from..d)
            .filter(|&b| minutes[b * 24..b * 24 + 24].iter().any(|&m| m > 0))
            .collect();
        let mut g1 = [0u32; 24];
        let mut gw = [0u32; 24];
        for &b in &days {
            for h in 0..24 {
                for dh in [23, 0, 1] {
                    let s = b * 24 + (h + dh) % 24;
                    g1[h] = g1[h].max(max1[s]);
                    gw[h] = gw[h].max(max_w[s]);
                }
            }
        }
        let mut low = [u32::MAX; 24];
        for &b in &days {
            for (h, l) in low.iter_mut().enumerate() {
                for dh in [23, 0, 1] {
                    *l = (*l).min(min_drop[b * 24 + (h + dh) % 24]);
                }
            }
        }
        let weekend_day = is_weekend(day0 + d as i64);
        let same = days
            .iter()
            .filter(|&&b| is_weekend(day0 + b as i64) == weekend_day)
            .count();
        guard1.push(g1);
        guard_w.push(gw);
        low_guard.push(low);
        same_type_days.push(same.min(255) as u8);
        if days.is_empty() {
            expected.push(None);
            continue;
        }
        let weekend = is_weekend(day0 + d as i64);
        let (mut total_events, mut total_minutes) = (0u64, 0u64);
        let mut hour_events = [0u64; 24];
        let mut hour_minutes = [0u64; 24];
        let mut type_events = [0u64; 24];
        let mut type_minutes = [0u64; 24];
        for &b in &days {
            let same_type = is_weekend(day0 + b as i64) == weekend;
            for h in 0..24 {
                let s = b * 24 + h;
                total_events += events[s];
                total_minutes += u64::from(minutes[s]);
                hour_events[h] += events[s];
                hour_minutes[h] += u64::from(minutes[s]);
                if same_type {
                    type_events[h] += events[s];
                    type_minutes[h] += u64::from(minutes[s]);
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
        expected.push(Some(exp));
    }
    Profile {
        day0,
        expected,
        guard1,
        guard_w,
        low_guard,
        same_type_days,
    }
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
        assert_eq!(p.guard1[2][11], 10);
    }
}
