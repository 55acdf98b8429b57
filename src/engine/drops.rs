//! Drops: call-rate Insights for activity far *below* its baseline (AWS: "your
//! account typically logs 20 calls per minute … but starts to log zero calls").
//!
//! A window of `DROP_WINDOWS` minutes (10, and 20 for swinging rates) with `c`
//! calls against `mu` expected is unusually low when all hold:
//!
//! 1. `mu - c >= max(DROP_MIN_DEFICIT, (1 - DROP_MAX_FRACTION) * mu)`: at most a
//!    fifth of the expected calls, and at least 20 missing, so only busy APIs
//!    can drop;
//! 2. `P(X <= c) <= P_MAX` for `X` negative binomial with mean `mu` and the
//!    series' dispersion scaled by `10 / window` (a rate that swings has quiet
//!    ten-minute stretches, but rarely two in a row);
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
use super::episode::{Episode, HotMinutes};
pub(crate) use super::params::DROP_WINDOW;
use super::params::DROP_WINDOWS;
use super::params::{
    DROP_COVERAGE, DROP_LOW_GUARD, DROP_MAX_FRACTION, DROP_MIN_DEFICIT, DROP_MIN_SAME_TYPE_DAYS,
    P_MAX,
};
use super::tails::ln_lower_tail;
use crate::model::Explanation;

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
    let mu: Vec<f64> = (0..n)
        .map(|i| {
            let (d, h) = profile.slot(first + i as i64);
            profile
                .expected
                .get(d)
                .copied()
                .flatten()
                .map_or(0.0, |e| e[h])
        })
        .collect();
    let mut hot = HotMinutes::default();
    for (k, &len) in DROP_WINDOWS.iter().enumerate() {
        let series = DropSeries {
            counts: &counts[..n],
            active: &active[..n],
            mu: &mu,
            first,
            start_i,
        };
        series.scan(profile, k, len, &mut hot);
    }
    hot.episodes(first)
}

/// One call-rate series prepared for the drop scan.
struct DropSeries<'a> {
    counts: &'a [u32],
    active: &'a [bool],
    /// Expected calls per minute.
    mu: &'a [f64],
    first: i64,
    start_i: usize,
}

impl DropSeries<'_> {
    /// Marks the hot minutes of every unusually low window of length `len`
    /// (the `k`-th of [`DROP_WINDOWS`]).
    fn scan(&self, profile: &Profile, k: usize, len: usize, hot: &mut HotMinutes) {
        let (counts, mu) = (self.counts, self.mu);
        // A window of `len` minutes spans `len / DROP_WINDOW` independent
        // ten-minute blocks, which divides the dispersion of their sum.
        let dispersion_share = DROP_WINDOW as f64 / len as f64;
        let (mut c, mut m, mut act) = (0u32, 0f64, 0usize);
        for i in 0..counts.len() {
            c += counts[i];
            m += mu[i];
            act += usize::from(self.active[i]);
            if i >= len {
                c -= counts[i - len];
                m -= mu[i - len];
                act -= usize::from(self.active[i - len]);
            }
            let (d, h) = profile.slot(self.first + i as i64);
            if i < self.start_i + len - 1 || profile.expected.get(d).copied().flatten().is_none() {
                continue;
            }
            let cf = f64::from(c);
            let low = profile.low_guard[k][d][h];
            if m - cf < DROP_MIN_DEFICIT.max((1.0 - DROP_MAX_FRACTION) * m)
                || profile.same_type_days[d] < DROP_MIN_SAME_TYPE_DAYS
                || low == u32::MAX
                || cf >= DROP_LOW_GUARD * f64::from(low)
                || (act as f64) < DROP_COVERAGE * len as f64
            {
                continue;
            }
            let alpha = profile.dispersion[d] * dispersion_share;
            let ln_p = ln_lower_tail(c, m, alpha);
            if ln_p > P_MAX.ln() {
                continue;
            }
            let why = Explanation {
                drop: true,
                window_minutes: len as u32,
                window_last_minute: self.first + i as i64,
                observed: c,
                expected: m,
                dispersion: alpha,
                log10_tail_probability: ln_p / std::f64::consts::LN_10,
                usual_extreme: low,
                recent_peak: 0,
                model_days: u32::from(profile.model_days[d]),
            };
            for j in i + 1 - len..=i {
                if f64::from(counts[j]) <= DROP_MAX_FRACTION * mu[j] {
                    hot.mark(j, &why);
                }
            }
        }
    }
}
