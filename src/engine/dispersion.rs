//! How bursty a series is: its dispersion `alpha`, so that a count is judged
//! by a negative binomial (variance `mu + alpha mu^2`) instead of a Poisson
//! (variance `mu`) when the series' own history swings more than Poisson.
//!
//! Measured on ten-minute blocks ([`BLOCK_MINUTES`]) within each hour: a
//! real busy API's rate swings from one ten-minute stretch to the next (a
//! Gamma-distributed factor on the Poisson rate), which shows as variance of
//! the blocks around their hour's mean beyond the mean itself. The method of
//! moments on one hour with `n` blocks, mean `m` and sample variance `v` gives
//! `n (v - m)` against `n m^2`; summed over hours and divided (with
//! [`DISPERSION_PRIOR`] added below, so little data means Poisson), that is
//! `alpha`.
//!
//! Bursts are kept out: a block more than [`BURST_Z`] standard deviations and
//! [`BURST_MIN_EXCESS`] events above its hour's median is a burst, and the fit is redone without it
//! ([`DISPERSION_ROUNDS`] times). Bursts are what the burst memory in
//! [`super::baseline`] is for; counting them here would make every burst on a
//! bursty API look normal, however large. Hours whose blocks average under
//! [`MIN_BLOCK_MEAN`] events say nothing about swings (a rare API's pair of
//! calls is not a swing) and are left out.
//!
//! Which blocks are bursts is decided once per series from all its data; the
//! dispersion of day `D` then sums only the hours of the model days before `D`.

use super::params::{
    BLOCK_MINUTES, BURST_MIN_EXCESS, BURST_Z, DISPERSION_PRIOR, DISPERSION_ROUNDS, MAX_DISPERSION,
};

/// Hours whose blocks average fewer events than this are left out of the fit.
const MIN_BLOCK_MEAN: f64 = 1.0;
const MINUTES_PER_DAY: i64 = 1440;

/// One day's contribution to the fit: `Σ n (v - m)` and `Σ n m^2` over its hours.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct DayMoments {
    excess: f64,
    scale: f64,
}

/// One hour's complete blocks.
struct Hour {
    day: usize,
    blocks: Vec<f64>,
}

/// The complete blocks of each hour of `counts` (dense, from absolute minute `first`).
fn hours(counts: &[u32], first: i64, day0: i64) -> Vec<Hour> {
    let mut out: Vec<Hour> = Vec::new();
    // First block boundary at or after `first`.
    let offset =
        (BLOCK_MINUTES as i64 - first.rem_euclid(BLOCK_MINUTES as i64)) % BLOCK_MINUTES as i64;
    let mut i = offset as usize;
    let mut current_hour = None;
    while i + BLOCK_MINUTES <= counts.len() {
        let minute = first + i as i64;
        let hour = minute.div_euclid(60);
        let sum = counts[i..i + BLOCK_MINUTES]
            .iter()
            .map(|&c| u64::from(c))
            .sum::<u64>() as f64;
        match out.last_mut() {
            Some(h) if current_hour == Some(hour) => h.blocks.push(sum),
            _ => out.push(Hour {
                day: (minute.div_euclid(MINUTES_PER_DAY) - day0) as usize,
                blocks: vec![sum],
            }),
        }
        current_hour = Some(hour);
        i += BLOCK_MINUTES;
    }
    out
}

/// Mean of the blocks of `hour` not flagged in `bursts`, and how many.
fn clean_mean(blocks: &[f64], bursts: &[bool]) -> (f64, usize) {
    let (sum, n) = blocks
        .iter()
        .zip(bursts)
        .filter(|(_, &b)| !b)
        .fold((0.0, 0usize), |(s, n), (&c, _)| (s + c, n + 1));
    (if n > 0 { sum / n as f64 } else { 0.0 }, n)
}

/// The median of an hour's blocks: the centre bursts are measured from (a
/// burst split over two blocks must not hide the smaller half by raising a mean).
fn median(blocks: &[f64]) -> f64 {
    let mut sorted = blocks.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `n (v - m)` and `n m^2` of an hour's non-burst blocks, or `None` when the
/// hour says nothing about swings.
fn hour_moments(blocks: &[f64], bursts: &[bool]) -> Option<(f64, f64)> {
    let (m, n) = clean_mean(blocks, bursts);
    if n < 2 || m < MIN_BLOCK_MEAN {
        return None;
    }
    let ss: f64 = blocks
        .iter()
        .zip(bursts)
        .filter(|(_, &b)| !b)
        .map(|(&c, _)| (c - m) * (c - m))
        .sum();
    let v = ss / (n - 1) as f64;
    Some((n as f64 * (v - m), n as f64 * m * m))
}

fn alpha_of(excess: f64, scale: f64) -> f64 {
    (excess / (scale + DISPERSION_PRIOR)).clamp(0.0, MAX_DISPERSION)
}

/// Each day's moments, after flagging bursts over the whole series.
pub(crate) fn per_day(counts: &[u32], first: i64, day0: i64, ndays: usize) -> Vec<DayMoments> {
    let hours = hours(counts, first, day0);
    let mut bursts: Vec<Vec<bool>> = hours.iter().map(|h| vec![false; h.blocks.len()]).collect();
    let mut alpha = 0.0;
    for _ in 0..DISPERSION_ROUNDS {
        let (mut excess, mut scale) = (0.0, 0.0);
        for (h, flags) in hours.iter().zip(bursts.iter_mut()) {
            let m = median(&h.blocks);
            let sd = (m + alpha * m * m).max(1e-9).sqrt();
            for (c, flag) in h.blocks.iter().zip(flags.iter_mut()) {
                *flag = c - m >= BURST_MIN_EXCESS && (c - m) / sd > BURST_Z;
            }
            if let Some((e, s)) = hour_moments(&h.blocks, flags) {
                excess += e;
                scale += s;
            }
        }
        alpha = alpha_of(excess, scale);
    }
    let mut days = vec![DayMoments::default(); ndays];
    for (h, flags) in hours.iter().zip(&bursts) {
        if let (Some((e, s)), Some(day)) = (hour_moments(&h.blocks, flags), days.get_mut(h.day)) {
            day.excess += e;
            day.scale += s;
        }
    }
    days
}

/// The dispersion fitted on days `from..to`.
pub(crate) fn over(days: &[DayMoments], from: usize, to: usize) -> f64 {
    let (excess, scale) = days
        .get(from..to.min(days.len()))
        .unwrap_or(&[])
        .iter()
        .fold((0.0, 0.0), |(e, s), d| (e + d.excess, s + d.scale));
    alpha_of(excess, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Poisson draw by inversion (small means) for the tests.
    fn poisson(rng: &mut ChaCha8Rng, mu: f64) -> u32 {
        let (mut k, mut p, limit) = (0u32, rng.gen::<f64>(), (-mu).exp());
        while p > limit {
            k += 1;
            p *= rng.gen::<f64>();
        }
        k
    }

    /// Gamma(shape 2, mean 1) as the sum of two exponentials.
    fn gamma2(rng: &mut ChaCha8Rng) -> f64 {
        let e = |rng: &mut ChaCha8Rng| -(1.0 - rng.gen::<f64>()).ln();
        (e(rng) + e(rng)) / 2.0
    }

    fn fit(counts: &[u32]) -> f64 {
        let days = per_day(counts, 0, 0, counts.len() / 1440);
        over(&days, 0, days.len())
    }

    #[test]
    fn poisson_traffic_has_no_dispersion() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let counts: Vec<u32> = (0..7 * 1440).map(|_| poisson(&mut rng, 3.0)).collect();
        assert!(fit(&counts) < 0.02, "{}", fit(&counts));
    }

    #[test]
    fn a_swinging_rate_is_measured() {
        // Rate 3 a minute times a Gamma(2) factor redrawn every ten minutes:
        // alpha = 1 / shape = 0.5.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut counts = Vec::new();
        for _ in 0..7 * 144 {
            let f = gamma2(&mut rng);
            counts.extend((0..10).map(|_| poisson(&mut rng, 3.0 * f)));
        }
        let a = fit(&counts);
        assert!((0.3..0.7).contains(&a), "{a}");
    }

    #[test]
    fn bursts_on_a_quiet_series_are_not_dispersion() {
        // 0.5 a minute, plus a 20-a-minute burst of 3 minutes four times a day.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut counts: Vec<u32> = (0..7 * 1440).map(|_| poisson(&mut rng, 0.5)).collect();
        for day in 0..7 {
            for k in 0..4 {
                let at = day * 1440 + 420 + k * 173;
                for c in &mut counts[at..at + 3] {
                    *c += 20;
                }
            }
        }
        let quiet: Vec<u32> = (0..7 * 1440).map(|_| poisson(&mut rng, 0.5)).collect();
        assert!(fit(&counts) < 0.03, "{}", fit(&counts));
        assert!((fit(&counts) - fit(&quiet)).abs() < 0.02);
    }

    #[test]
    fn only_earlier_days_count_and_empty_input_is_poisson() {
        assert_eq!(over(&[], 0, 5), 0.0);
        assert_eq!(fit(&[]), 0.0);
        let days = per_day(&[5; 100], 7, 0, 1);
        assert_eq!(days.len(), 1);
        assert_eq!(over(&days, 3, 1), 0.0);
    }
}
