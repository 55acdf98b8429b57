//! Tail probabilities of the count models: Poisson and negative binomial
//! (a Gamma-mixed Poisson), upper tails for increases and lower tails for drops.
//!
//! The negative binomial is parameterised by its mean `mu` and dispersion
//! `alpha` (variance `mu + alpha * mu^2`); `alpha == 0` is the Poisson. Every
//! function returns the natural log of the probability, so the far tails the
//! detector works in (around `1e-9`) keep their precision, and sums are taken
//! term by term from the pmf at the cut point with a geometric bound on the
//! rest, which makes them accurate exactly where it matters and conservative
//! (never too small) when a sum is cut short.

/// Expected rates below this are raised to it (an API never seen before).
pub(crate) const MU_FLOOR: f64 = 1e-6;
/// Dispersions below this are treated as exactly Poisson.
const ALPHA_EPSILON: f64 = 1e-9;
/// Relative size of the last term (or of the bound on the rest) that ends a sum.
const REL_TOLERANCE: f64 = 1e-10;
/// Most terms summed before the remainder is bounded geometrically.
const MAX_TERMS: usize = 4096;

/// `ln Γ(x)` for `x > 0`.
fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `ln P(X = k)` and the ratio `P(X = k + 1) / P(X = k)` as a function of `k`,
/// for the Poisson (`alpha == 0`) or the negative binomial.
struct Pmf {
    mu: f64,
    /// `1 / alpha`, or infinity for the Poisson.
    r: f64,
    /// `mu / (mu + r)`: the negative binomial's limiting term ratio.
    q: f64,
}

impl Pmf {
    fn new(mu: f64, alpha: f64) -> Pmf {
        let mu = mu.max(MU_FLOOR);
        if alpha < ALPHA_EPSILON || !alpha.is_finite() {
            return Pmf {
                mu,
                r: f64::INFINITY,
                q: 0.0,
            };
        }
        let r = 1.0 / alpha;
        Pmf {
            mu,
            r,
            q: mu / (mu + r),
        }
    }

    fn poisson(&self) -> bool {
        self.r.is_infinite()
    }

    fn ln_pmf(&self, k: u32) -> f64 {
        let k = f64::from(k);
        if self.poisson() {
            return k * self.mu.ln() - self.mu - ln_gamma(k + 1.0);
        }
        let r = self.r;
        ln_gamma(k + r) - ln_gamma(r) - ln_gamma(k + 1.0)
            + r * (r / (self.mu + r)).ln()
            + k * self.q.ln()
    }

    /// `P(X = k + 1) / P(X = k)`.
    fn ratio_up(&self, k: f64) -> f64 {
        if self.poisson() {
            self.mu / (k + 1.0)
        } else {
            (k + self.r) / (k + 1.0) * self.q
        }
    }
}

/// `ln P(X >= c)`; 0 (probability 1) when `c <= mu`.
pub(crate) fn ln_upper_tail(c: u32, mu: f64, alpha: f64) -> f64 {
    let pmf = Pmf::new(mu, alpha);
    if f64::from(c) <= pmf.mu {
        return 0.0;
    }
    // Sum pmf(k) / pmf(c) for k = c, c + 1, ...: for c > mu every ratio is
    // below 1, so the sum converges; the rest after a term t with ratio ρ is at
    // most t ρ / (1 - ρ) where ρ bounds all later ratios (they fall toward 0
    // for the Poisson, toward q for the negative binomial).
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    let mut k = f64::from(c);
    for _ in 0..MAX_TERMS {
        let ratio = pmf.ratio_up(k);
        term *= ratio;
        sum += term;
        k += 1.0;
        let bound_ratio = pmf.ratio_up(k).max(pmf.q);
        let rest = term * bound_ratio / (1.0 - bound_ratio).max(f64::MIN_POSITIVE);
        if rest < REL_TOLERANCE * sum {
            break;
        }
        if !rest.is_finite() {
            return 0.0;
        }
    }
    let bound_ratio = pmf.ratio_up(k).max(pmf.q);
    sum += term * bound_ratio / (1.0 - bound_ratio).max(f64::MIN_POSITIVE);
    (pmf.ln_pmf(c) + sum.ln()).min(0.0)
}

/// `ln P(X <= c)`; 0 (probability 1) when `c >= mu`.
pub(crate) fn ln_lower_tail(c: u32, mu: f64, alpha: f64) -> f64 {
    if f64::from(c) >= mu || mu <= 0.0 {
        return 0.0;
    }
    let pmf = Pmf::new(mu, alpha);
    // Sum pmf(k) / pmf(c) for k = c, c - 1, ..., 0: a finite sum whose terms
    // shrink quickly below the mean.
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    let mut k = f64::from(c);
    while k > 0.0 {
        term /= pmf.ratio_up(k - 1.0);
        sum += term;
        k -= 1.0;
        if term < REL_TOLERANCE * 1e-2 * sum {
            break;
        }
    }
    (pmf.ln_pmf(c) + sum.ln()).min(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct sum of the pmf, for comparison.
    fn brute_upper(c: u32, mu: f64, alpha: f64) -> f64 {
        let pmf = Pmf::new(mu, alpha);
        (c..c + 20_000).map(|k| pmf.ln_pmf(k).exp()).sum::<f64>()
    }

    #[test]
    fn poisson_tails_match_closed_forms() {
        let mu: f64 = 0.3;
        assert!((ln_upper_tail(1, mu, 0.0).exp() - (1.0 - (-mu).exp())).abs() < 1e-9);
        let p = ln_upper_tail(3, 0.0442, 0.0).exp();
        assert!(
            (p / (0.0442f64.powi(3) / 6.0 * (-0.0442f64).exp()) - 1.0).abs() < 0.05,
            "{p}"
        );
        assert_eq!(ln_upper_tail(2, 5.0, 0.0), 0.0);
        assert!(ln_upper_tail(5000, 10.0, 0.0).is_finite());
        assert!((ln_lower_tail(0, 36.0, 0.0) - (-36.0)).abs() < 1e-9);
        let p = ln_lower_tail(1, 3.0, 0.0).exp();
        assert!((p - (-3.0f64).exp() * 4.0).abs() < 1e-12);
        assert_eq!(ln_lower_tail(5, 3.0, 0.0), 0.0);
    }

    #[test]
    fn negative_binomial_tails_match_direct_sums() {
        for &(c, mu, alpha) in &[
            (21u32, 3.0, 0.4),
            (80, 15.0, 0.5),
            (15, 0.22, 0.03),
            (200, 0.7, 3.6),
            (60, 1.0, 0.25),
        ] {
            let fast = ln_upper_tail(c, mu, alpha).exp();
            let slow = brute_upper(c, mu, alpha);
            assert!(
                (fast / slow - 1.0).abs() < 1e-6,
                "{c} {mu} {alpha}: {fast} vs {slow}"
            );
        }
        // Geometric with alpha = 1: P(X = k) = p q^k, P(X <= 0) = p.
        let p = 1.0 / (1.0 + 4.0);
        assert!((ln_lower_tail(0, 4.0, 1.0).exp() - p).abs() < 1e-12);
    }

    #[test]
    fn dispersion_makes_the_tail_heavier() {
        let poisson = ln_upper_tail(21, 3.0, 0.0);
        let nb = ln_upper_tail(21, 3.0, 0.4);
        assert!(
            poisson < 1e-9f64.ln() && nb > 1e-6f64.ln(),
            "{poisson} {nb}"
        );
        // A tiny dispersion is indistinguishable from the Poisson.
        let close = ln_upper_tail(21, 3.0, 1e-7);
        assert!((close - poisson).abs() < 1e-3, "{close} {poisson}");
        // Lower tail: a swinging rate's quiet stretch is not a drop.
        assert!(ln_lower_tail(2, 30.0, 0.0) < 1e-9f64.ln());
        assert!(ln_lower_tail(2, 30.0, 0.5) > 1e-3f64.ln());
    }

    #[test]
    fn extreme_inputs_stay_finite() {
        for &(c, mu, alpha) in &[
            (u32::MAX, 1.0, 0.5),
            (1, 0.0, 0.0),
            (1_000_000, 999_000.0, 1e-4),
            (10, 1e-12, 100.0),
            (3, 2.0, f64::NAN),
        ] {
            let up = ln_upper_tail(c, mu, alpha);
            assert!(up <= 0.0 && !up.is_nan(), "{c} {mu} {alpha}: {up}");
            let low = ln_lower_tail(c.min(1000), mu, alpha);
            assert!(low <= 0.0 && !low.is_nan(), "{c} {mu} {alpha}: {low}");
        }
    }
}
