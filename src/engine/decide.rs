//! The decision test for increases: which minutes of a series are unusual, and
//! why.
//!
//! A window of 1 minute and a window of [`WINDOW`] minutes ending at each minute
//! are tested. A window with `c` events against `mu` expected is unusual when
//! all of these hold:
//!
//! 1. `c - mu >= max(MIN_EXCESS, REL_EXCESS * mu)`: an absolute and relative
//!    floor, so one call of a rare API (or 3 calls where 0.04 were expected) is
//!    never an incident and busy APIs need a real change;
//! 2. `P(X >= c) <= P_MAX` for `X` negative binomial with mean `mu` and the
//!    series' own dispersion that day (Poisson when the series is not bursty;
//!    see [`super::dispersion`]);
//! 3. `c > GUARD_MULT * guard + GUARD_ADD` for two guards: the burst memory
//!    (the largest count of the same window length on the model days before,
//!    at any time of day; see [`super::baseline`]; with `MEMORY_YOUTH / days`
//!    added to the multiplier while it has seen few days) and the largest in
//!    the recent past ([`recent_guard`]).
//!
//! A minute is *hot* when it lies in an unusual window and carries its share of
//! the excess (for the 1-minute window: itself; for the longer window: at least
//! one event and, within half an event, a tenth of the window's excess above its
//! own expectation; so a lone call just before a burst does not move the Start,
//! while six single calls in five minutes are all part of the episode).
//! Episodes form from hot minutes as [`super::episode`] says.

use super::baseline::Profile;
pub(crate) use super::episode::Episode;
use super::episode::HotMinutes;
use super::params::{
    ADAPT_MINUTES, GUARD_ADD, GUARD_MULT, MEMORY_YOUTH, P_MAX, RECENT_MINUTES, REL_EXCESS,
};
pub(crate) use super::params::{MIN_EXCESS_1, MIN_EXCESS_W, WINDOW};
use super::tails::{ln_upper_tail, MU_FLOOR};
use crate::model::Explanation;

/// [`super::params::END_QUIET`] as an index distance.
const END_QUIET_USIZE: usize = super::params::END_QUIET as usize;

/// The count a window must exceed to beat a guard: `GUARD_MULT * guard +
/// GUARD_ADD`, with a wider margin for a burst memory that has seen few days
/// (`MEMORY_YOUTH / days` more), because the largest of a few bursts
/// underestimates how large this series' bursts get.
fn guard_threshold(guard: u32, memory_days: Option<u8>) -> f64 {
    let youth = memory_days.map_or(0.0, |d| MEMORY_YOUTH / f64::from(d.max(1)));
    (GUARD_MULT + youth) * f64::from(guard) + GUARD_ADD
}

/// Does a window with `count` events, `mu` expected and dispersion `alpha`
/// pass the floors and exceed `threshold`? Returns the log tail probability
/// when it does (the caller compares it with `P_MAX`), `None` when it does not.
fn tested(count: u32, mu: f64, alpha: f64, threshold: f64, min_excess: f64) -> Option<f64> {
    let c = f64::from(count);
    if c - mu < min_excess.max(REL_EXCESS * mu) {
        return None;
    }
    if c <= threshold {
        return None;
    }
    let ln_p = ln_upper_tail(count, mu, alpha);
    (ln_p <= P_MAX.ln()).then_some(ln_p)
}

/// Is a window with `count` events, `mu` expected, dispersion `alpha` and the
/// given guard unusual? (The tests' shorthand for one window.)
#[cfg(test)]
fn unusual(count: u32, mu: f64, alpha: f64, guard: u32, min_excess: f64) -> bool {
    tested(count, mu, alpha, guard_threshold(guard, None), min_excess).is_some()
}

/// The "recent" guard: the largest 1-minute count and `WINDOW`-minute sum in
/// the `RECENT_MINUTES` before minute `i`, leaving out the open episode while it
/// is younger than `ADAPT_MINUTES`. A pattern that just appeared (a job that now
/// runs every 10 minutes) fires once, not at every repetition; a level shift
/// that lasts becomes the new normal after `ADAPT_MINUTES`.
fn recent_guard(counts: &[u32], sums: &[u32], i: usize, open_since: Option<usize>) -> (u32, u32) {
    let from = i.saturating_sub(RECENT_MINUTES);
    let cut = match open_since {
        Some(s) if i - s.min(i) < ADAPT_MINUTES => s.min(i),
        _ => i,
    };
    let g1 = counts[from..cut.max(from)]
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    // Windows that neither overlap the window under test nor reach the cut.
    let cut_w = cut.min((i + 1).saturating_sub(WINDOW));
    let gw = sums[from..cut_w.max(from)]
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    (g1, gw)
}

/// One window under test at minute index `i`.
struct Window {
    minutes: u32,
    count: u32,
    mu: f64,
    memory: u32,
    min_excess: f64,
}

/// Finds the episodes of a series whose dense `counts` start at minute `first`.
/// Minutes before `test_from` (not enough history) are never tested.
// One pass per minute with the rolling window's sums in locals: this is the
// detector's hot loop, and split into functions each minute would hand a
// dozen running values back and forth.
#[allow(clippy::too_many_lines)]
pub(crate) fn episodes(
    counts: &[u32],
    first: i64,
    test_from: i64,
    profile: &Profile,
) -> Vec<Episode> {
    let n = counts.len();
    let mut hot = HotMinutes::default();
    let mut mu = vec![0f64; n];
    // sums[i] = events in the WINDOW minutes ending at i.
    let mut sums = vec![0u32; n];
    let start_i = (test_from - first).max(0) as usize;
    let mut window_count = 0u32;
    let mut window_mu = 0f64;
    // Start and last hot minute of the open episode.
    let mut open: Option<(usize, usize)> = None;
    for i in 0..n {
        let minute = first + i as i64;
        let (d, h) = profile.slot(minute);
        let expected = profile.expected.get(d).copied().flatten();
        mu[i] = expected.map_or(0.0, |e| e[h]).max(MU_FLOOR);
        window_count += counts[i];
        window_mu += mu[i];
        if i >= WINDOW {
            window_count -= counts[i - WINDOW];
            window_mu -= mu[i - WINDOW];
        }
        sums[i] = window_count;
        if i < start_i || expected.is_none() {
            continue;
        }
        if open.is_some_and(|(_, last)| i - last > END_QUIET_USIZE) {
            open = None;
        }
        let alpha = profile.dispersion[d];
        let one = Window {
            minutes: 1,
            count: counts[i],
            mu: mu[i],
            memory: profile.memory1[d],
            min_excess: MIN_EXCESS_1,
        };
        let win = Window {
            minutes: WINDOW as u32,
            count: window_count,
            mu: window_mu.max(0.0),
            memory: profile.memory_w[d],
            min_excess: MIN_EXCESS_W,
        };
        let days = Some(profile.model_days[d]);
        let beats_memory = |w: &Window| {
            w.count > 0
                && tested(
                    w.count,
                    w.mu,
                    alpha,
                    guard_threshold(w.memory, days),
                    w.min_excess,
                )
                .is_some()
        };
        let one_ok = beats_memory(&one);
        let win_ok = i + 1 >= WINDOW && beats_memory(&win);
        if !one_ok && !win_ok {
            continue;
        }
        // Only now (rarely) look at the recent past.
        let (r1, rw) = recent_guard(counts, &sums, i, open.map(|(s, _)| s));
        let why = |w: &Window, recent: u32, ln_p: f64| Explanation {
            drop: false,
            window_minutes: w.minutes,
            window_last_minute: minute,
            observed: w.count,
            expected: w.mu,
            dispersion: alpha,
            log10_tail_probability: ln_p / std::f64::consts::LN_10,
            usual_extreme: w.memory,
            recent_peak: recent,
            model_days: u32::from(profile.model_days[d]),
        };
        let mut marked = Vec::new();
        if one_ok {
            if let Some(ln_p) = tested(
                one.count,
                one.mu,
                alpha,
                guard_threshold(r1, None),
                one.min_excess,
            ) {
                marked.push((i, why(&one, r1, ln_p)));
            }
        }
        if win_ok {
            if let Some(ln_p) = tested(
                win.count,
                win.mu,
                alpha,
                guard_threshold(rw, None),
                win.min_excess,
            ) {
                let reason = why(&win, rw, ln_p);
                let share = (1.0f64).max((f64::from(window_count) - window_mu) / 10.0);
                for j in (i + 1 - WINDOW).max(start_i)..=i {
                    if counts[j] > 0 && f64::from(counts[j]) - mu[j] >= share - 0.5 {
                        marked.push((j, reason.clone()));
                    }
                }
            }
        }
        for (j, reason) in marked {
            hot.mark(j, &reason);
            open = match open {
                Some((s, last)) => Some((s.min(j), last.max(j))),
                None => Some((j, j)),
            };
        }
    }
    hot.episodes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rare_call_is_not_unusual() {
        assert!(!unusual(1, 0.0001, 0.0, 0, MIN_EXCESS_1));
        assert!(!unusual(4, 0.0001, 0.0, 0, MIN_EXCESS_1));
        assert!(unusual(18, 0.0017, 0.0, 0, MIN_EXCESS_1));
        assert!(unusual(15, 5.0 * 0.0442, 0.0, 2, MIN_EXCESS_W));
    }

    #[test]
    fn steady_high_rate_is_not_unusual() {
        // 20 per minute expected: 30 is well within Poisson noise.
        assert!(!unusual(30, 20.0, 0.0, 35, MIN_EXCESS_1));
        // A recurring burst of 50 seen before is normal.
        assert!(!unusual(55, 2.0, 0.0, 50, MIN_EXCESS_1));
        // ... but four times its size is not.
        assert!(unusual(200, 2.0, 0.0, 50, MIN_EXCESS_1));
    }

    #[test]
    fn a_bursty_series_needs_more() {
        // 21 against 3 expected: unusual for a Poisson series, normal for one
        // whose rate swings (alpha 0.4).
        assert!(unusual(21, 3.0, 0.0, 0, MIN_EXCESS_1));
        assert!(!unusual(21, 3.0, 0.4, 0, MIN_EXCESS_1));
        assert!(unusual(80, 3.0, 0.4, 0, MIN_EXCESS_1));
    }
}
