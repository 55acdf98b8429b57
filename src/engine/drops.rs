//! Drops: call-rate Insights for activity far *below* its baseline (AWS: "your
//! account typically logs 20 calls per minute … but starts to log zero calls").
//!
//! A `DROP_WINDOW`-minute window with `c` calls against `mu` expected is
//! unusually low when all hold:
//!
//! 1. `mu - c >= max(DROP_MIN_DEFICIT, (1 - DROP_MAX_FRACTION) * mu)`: at most a
//!    fifth of the expected calls, and at least 20 missing, so only busy APIs
//!    can drop;
//! 2. `P(X <= c) <= P_MAX` for `X` negative binomial with mean `mu` and the
//!    series' dispersion (a rate that swings has quiet stretches);
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
    let mut mu = vec![0f64; n];
    let mut hot = HotMinutes::default();
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
        {
            continue;
        }
        let alpha = profile.dispersion[d];
        let ln_p = ln_lower_tail(c, m, alpha);
        if ln_p > P_MAX.ln() {
            continue;
        }
        let why = Explanation {
            drop: true,
            window_minutes: DROP_WINDOW as u32,
            window_last_minute: first + i as i64,
            observed: c,
            expected: m,
            dispersion: alpha,
            log10_tail_probability: ln_p / std::f64::consts::LN_10,
            usual_extreme: low,
            recent_peak: 0,
            model_days: u32::from(profile.model_days[d]),
        };
        for j in i + 1 - DROP_WINDOW..=i {
            if f64::from(counts[j]) <= DROP_MAX_FRACTION * mu[j] {
                hot.mark(j, &why);
            }
        }
    }
    hot.episodes(first)
}
