//! Drops: call-rate Insights for activity far *below* its baseline (AWS: "your
//! account typically logs 20 calls per minute … but starts to log zero calls").
//!
//! A `DROP_WINDOW`-minute window with `c` calls against `mu` expected is
//! unusually low when all hold:
//!
//! 1. `mu - c >= max(DROP_MIN_DEFICIT, (1 - DROP_MAX_FRACTION) * mu)`: at most a
//!    fifth of the expected calls, and at least 20 missing, so only busy APIs
//!    can drop;
//! 2. `P(X <= c) <= P_MAX` for `X ~ Poisson(mu)`;
//! 3. `c < DROP_LOW_GUARD * low`, where `low` is the smallest window count at
//!    about the same time on the baseline days (a nightly pause is normal);
//! 4. the day has at least `DROP_MIN_SAME_TYPE_DAYS` baseline days of its own
//!    type (a first quiet weekend after weekdays is not a drop);
//! 5. the account and Region logged something in at least `DROP_COVERAGE` of the
//!    window's minutes: a gap in the logs themselves (missing files) is not a
//!    drop of one API.
//!
//! The minutes of such a window whose count is at most `DROP_MAX_FRACTION` of
//! their expectation are hot; episodes form as for increases.

use super::baseline::Profile;
use super::decide::{episodes_from_hot, Episode, P_MAX};

/// Window length in minutes for drops (AWS's example: 20 calls a minute, then
/// none for ten minutes). With the deficit floor, an API needs about 2.5 calls
/// a minute at that time of day before it can drop.
pub(crate) const DROP_WINDOW: usize = 10;
const DROP_MIN_DEFICIT: f64 = 20.0;
const DROP_MAX_FRACTION: f64 = 0.2;
const DROP_LOW_GUARD: f64 = 0.5;
const DROP_MIN_SAME_TYPE_DAYS: u8 = 2;
const DROP_COVERAGE: f64 = 0.8;

/// `ln P(X <= c)` for `X ~ Poisson(mu)`; 0 (probability 1) when `c >= mu`.
pub(crate) fn ln_poisson_cdf(c: u32, mu: f64) -> f64 {
    if f64::from(c) >= mu || mu <= 0.0 {
        return 0.0;
    }
    let ln_fact: f64 = (2..=c).map(|k| f64::from(k).ln()).sum();
    let ln_pmf = f64::from(c) * mu.ln() - mu - ln_fact;
    // P(X <= c) = pmf(c) * (1 + c/mu + c(c-1)/mu^2 + ...)
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    let mut k = f64::from(c);
    while k > 0.0 {
        term *= k / mu;
        sum += term;
        k -= 1.0;
        if term < 1e-12 * sum {
            break;
        }
    }
    (ln_pmf + sum.ln()).min(0.0)
}

/// Drop episodes of a call-rate series. `active[i]` says whether its account and
/// Region logged any event in minute `first + i`.
pub(crate) fn drop_episodes(
    counts: &[u32],
    active: &[bool],
    first: i64,
    test_from: i64,
    profile: &Profile,
) -> Vec<Episode> {
    let n = counts.len().min(active.len());
    let start_i = (test_from - first).max(0) as usize;
    let mut mu = vec![0f64; n];
    let mut hot = vec![false; n];
    let (mut c, mut m, mut act) = (0u32, 0f64, 0usize);
    for i in 0..n {
        let (d, h) = profile.slot(first + i as i64);
        let expected = profile.expected.get(d).copied().flatten();
        mu[i] = expected.map_or(0.0, |e| e[h]);
        c += counts[i];
        m += mu[i];
        act += usize::from(active[i]);
        if i >= DROP_WINDOW {
            c -= counts[i - DROP_WINDOW];
            m -= mu[i - DROP_WINDOW];
            act -= usize::from(active[i - DROP_WINDOW]);
        }
        if i < start_i + DROP_WINDOW - 1 || expected.is_none() {
            continue;
        }
        let cf = f64::from(c);
        let low = profile.low_guard[d][h];
        if m - cf < DROP_MIN_DEFICIT.max((1.0 - DROP_MAX_FRACTION) * m)
            || profile.same_type_days[d] < DROP_MIN_SAME_TYPE_DAYS
            || low == u32::MAX
            || cf >= DROP_LOW_GUARD * f64::from(low)
            || (act as f64) < DROP_COVERAGE * DROP_WINDOW as f64
            || ln_poisson_cdf(c, m) > P_MAX.ln()
        {
            continue;
        }
        for j in i + 1 - DROP_WINDOW..=i {
            if f64::from(counts[j]) <= DROP_MAX_FRACTION * mu[j] {
                hot[j] = true;
            }
        }
    }
    episodes_from_hot(&hot, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_tail_matches_closed_forms() {
        assert!((ln_poisson_cdf(0, 36.0) - (-36.0)).abs() < 1e-9);
        let p = ln_poisson_cdf(1, 3.0).exp();
        assert!((p - (-3.0f64).exp() * 4.0).abs() < 1e-12);
        assert_eq!(ln_poisson_cdf(5, 3.0), 0.0);
    }
}
