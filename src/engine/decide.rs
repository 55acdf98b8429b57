//! The decision test: which minutes of a series are unusual, and how unusual
//! minutes group into episodes (an Insight's Start and End).
//!
//! A window of 1 minute and a window of [`WINDOW`] minutes ending at each minute
//! are tested. A window with `c` events against `mu` expected is unusual when
//! all of these hold:
//!
//! 1. `c - mu >= max(MIN_EXCESS, REL_EXCESS * mu)`: an absolute and relative
//!    floor, so one call of a rare API (or 3 calls where 0.04 were expected) is
//!    never an incident and busy APIs need a real change;
//! 2. `P(X >= c) <= P_MAX` for `X ~ Poisson(mu)`;
//! 3. `c > GUARD_MULT * guard + GUARD_ADD` for two guards: the largest count of
//!    the same window length at about the same time of day on the baseline days
//!    (see [`super::baseline`]), and the largest in the recent past
//!    ([`recent_guard`]).
//!
//! A minute is *hot* when it lies in an unusual window and carries its share of
//! the excess (for the 1-minute window: itself; for the longer window: at least
//! one event and, within half an event, a tenth of the window's excess above its
//! own expectation; so a lone call just before a burst does not move the Start,
//! while six single calls in five minutes are all part of the episode).
//! An episode starts at the first hot minute and ends after `END_QUIET`
//! consecutive minutes that are not hot; its duration runs to the last hot
//! minute inclusive.

use super::baseline::Profile;

/// Length in minutes of the longer test window (AWS's worked example counts
/// "15 calls in a five-minute period").
pub(crate) const WINDOW: usize = 5;
/// Minimum excess over expectation for the 1-minute window.
pub(crate) const MIN_EXCESS_1: f64 = 4.0;
/// Minimum excess over expectation for the `WINDOW`-minute window.
pub(crate) const MIN_EXCESS_W: f64 = 5.0;
/// The excess must also be at least this fraction of the expectation.
pub(crate) const REL_EXCESS: f64 = 0.5;
/// Largest Poisson upper-tail probability still called unusual.
pub(crate) const P_MAX: f64 = 1e-9;
/// The count must exceed `GUARD_MULT * guard + GUARD_ADD`.
pub(crate) const GUARD_MULT: f64 = 1.25;
pub(crate) const GUARD_ADD: f64 = 1.0;
/// Consecutive normal minutes that end an episode.
pub(crate) const END_QUIET: i64 = 5;
/// Minutes of recent past whose peaks are normal (see [`recent_guard`]).
pub(crate) const RECENT_MINUTES: usize = 60;
/// Age in minutes after which an open episode's own level counts as normal.
pub(crate) const ADAPT_MINUTES: usize = 60;
/// Expected rates below this are raised to it (an API never seen before).
const MU_FLOOR: f64 = 1e-6;

/// `ln(n!)`: exact sum for small `n`, Stirling's series above.
fn ln_factorial(n: u32) -> f64 {
    if n < 64 {
        (2..=n).map(|k| f64::from(k).ln()).sum()
    } else {
        let x = f64::from(n);
        x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
            - 1.0 / (360.0 * x * x * x)
    }
}

/// `ln P(X >= c)` for `X ~ Poisson(mu)`, accurate in the far upper tail
/// (`c > mu`); returns 0 (probability 1) when `c <= mu`.
pub(crate) fn ln_poisson_sf(c: u32, mu: f64) -> f64 {
    let mu = mu.max(MU_FLOOR);
    if f64::from(c) <= mu {
        return 0.0;
    }
    let ln_pmf = f64::from(c) * mu.ln() - mu - ln_factorial(c);
    // P(X >= c) = pmf(c) * (1 + mu/(c+1) + mu^2/((c+1)(c+2)) + ...)
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = f64::from(c);
    for _ in 0..10_000 {
        k += 1.0;
        term *= mu / k;
        sum += term;
        if term < 1e-12 * sum {
            break;
        }
    }
    (ln_pmf + sum.ln()).min(0.0)
}

/// Is a window with `count` events, `mu` expected and the given guard unusual?
pub(crate) fn unusual(count: u32, mu: f64, guard: u32, min_excess: f64) -> bool {
    let c = f64::from(count);
    if c - mu < min_excess.max(REL_EXCESS * mu) {
        return false;
    }
    if c <= GUARD_MULT * f64::from(guard) + GUARD_ADD {
        return false;
    }
    ln_poisson_sf(count, mu) <= P_MAX.ln()
}

/// One episode: `[start, end)` in absolute minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Episode {
    pub start: i64,
    pub end: i64,
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

/// Finds the episodes of a series whose dense `counts` start at minute `first`.
/// Minutes before `test_from` (not enough history) are never tested.
pub(crate) fn episodes(
    counts: &[u32],
    first: i64,
    test_from: i64,
    profile: &Profile,
) -> Vec<Episode> {
    let n = counts.len();
    let mut hot = vec![false; n];
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
        if open.is_some_and(|(_, last)| i - last > END_QUIET as usize) {
            open = None;
        }
        let (g1, gw) = (profile.guard1[d][h], profile.guard_w[d][h]);
        let one = counts[i] > 0 && unusual(counts[i], mu[i], g1, MIN_EXCESS_1);
        let win = i + 1 >= WINDOW
            && window_count > 0
            && unusual(window_count, window_mu.max(0.0), gw, MIN_EXCESS_W);
        if !one && !win {
            continue;
        }
        // Only now (rarely) look at the recent past.
        let (r1, rw) = recent_guard(counts, &sums, i, open.map(|(s, _)| s));
        let mut marked = Vec::new();
        if one && unusual(counts[i], mu[i], r1, MIN_EXCESS_1) {
            marked.push(i);
        }
        if win && unusual(window_count, window_mu.max(0.0), rw, MIN_EXCESS_W) {
            let share = (1.0f64).max((f64::from(window_count) - window_mu) / 10.0);
            for j in (i + 1 - WINDOW).max(start_i)..=i {
                if counts[j] > 0 && f64::from(counts[j]) - mu[j] >= share - 0.5 {
                    marked.push(j);
                }
            }
        }
        for j in marked {
            hot[j] = true;
            open = match open {
                Some((s, last)) => Some((s.min(j), last.max(j))),
                None => Some((j, j)),
            };
        }
    }

    episodes_from_hot(&hot, first)
}

/// Groups hot minutes into episodes: an episode ends once `END_QUIET` minutes in a
/// row are not hot; its `end` is one past its last hot minute. Shared by increases
/// and drops so both end the same way.
pub(crate) fn episodes_from_hot(hot: &[bool], first: i64) -> Vec<Episode> {
    let mut out = Vec::new();
    let mut current: Option<(i64, i64)> = None; // (start, last hot)
    for (i, _) in hot.iter().enumerate().filter(|(_, &is_hot)| is_hot) {
        let minute = first + i as i64;
        current = match current {
            Some((s, last)) if minute - last <= END_QUIET => Some((s, minute)),
            Some((s, last)) => {
                out.push(Episode {
                    start: s,
                    end: last + 1,
                });
                Some((minute, minute))
            }
            None => Some((minute, minute)),
        };
    }
    if let Some((s, last)) = current {
        out.push(Episode {
            start: s,
            end: last + 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail_matches_closed_forms() {
        // P(X >= 1) = 1 - e^-mu
        let mu: f64 = 0.3;
        assert!((ln_poisson_sf(1, mu).exp() - (1.0 - (-mu).exp())).abs() < 1e-9);
        // P(X >= 3 | 0.0442) ~ 0.0442^3 / 6
        let p = ln_poisson_sf(3, 0.0442).exp();
        assert!(
            (p / (0.0442f64.powi(3) / 6.0 * (-0.0442f64).exp()) - 1.0).abs() < 0.05,
            "{p}"
        );
        assert_eq!(ln_poisson_sf(2, 5.0), 0.0);
        // Large counts stay finite.
        assert!(ln_poisson_sf(5000, 10.0).is_finite());
    }

    #[test]
    fn one_rare_call_is_not_unusual() {
        assert!(!unusual(1, 0.0001, 0, MIN_EXCESS_1));
        assert!(!unusual(4, 0.0001, 0, MIN_EXCESS_1));
        assert!(unusual(18, 0.0017, 0, MIN_EXCESS_1));
        assert!(unusual(15, 5.0 * 0.0442, 2, MIN_EXCESS_W));
    }

    #[test]
    fn steady_high_rate_is_not_unusual() {
        // 20 per minute expected: 30 is well within Poisson noise.
        assert!(!unusual(30, 20.0, 35, MIN_EXCESS_1));
        // A recurring spike of 50 seen before at this time is normal.
        assert!(!unusual(55, 2.0, 50, MIN_EXCESS_1));
    }
}
