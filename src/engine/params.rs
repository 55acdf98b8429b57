//! Every parameter of the detection model, in one place, each with why it has
//! its value. README.md ("How detection works") documents the same numbers;
//! change both together.

// --- History -----------------------------------------------------------------

/// Days of history that feed a day's seasonal expectation (AWS: "the seven days
/// preceding").
pub(crate) const BASELINE_DAYS: i64 = 7;
/// Days of history the burst memory and the dispersion look back over, when the
/// data have them (AWS analyses 28 days to set its baseline). The reported
/// `baseline.average` and `baselineDuration` stay AWS's seven-day arithmetic.
pub(crate) const MODEL_DAYS: i64 = 28;
/// Weight, in minutes, of the prior in each shrinkage step of the expectation
/// (one pseudo-hour).
pub(crate) const PRIOR_MINUTES: f64 = 60.0;

// --- Dispersion --------------------------------------------------------------

/// Block length, in minutes, over which the dispersion is measured: a rate that
/// swings from one ten-minute stretch to the next is what real busy APIs do.
pub(crate) const BLOCK_MINUTES: usize = 10;
/// A block whose count stands this many standard deviations above its hour's
/// median (under the current dispersion) is a burst: it feeds the burst memory,
/// not the dispersion.
pub(crate) const BURST_Z: f64 = 4.0;
/// ... and it must also exceed its hour's median by at least this many events, so
/// that a rare API's two calls in ten minutes are not a "burst".
pub(crate) const BURST_MIN_EXCESS: f64 = 4.0;
/// Rounds of "fit the dispersion, re-flag the bursts".
pub(crate) const DISPERSION_ROUNDS: usize = 3;
/// Pseudo-weight (in units of squared expected block counts) of a zero
/// dispersion: a series with little traffic keeps to the Poisson until its own
/// baseline shows otherwise.
pub(crate) const DISPERSION_PRIOR: f64 = 50.0;
/// Largest dispersion used (variance at most `mu + 4 mu^2`).
pub(crate) const MAX_DISPERSION: f64 = 4.0;

// --- Increases ---------------------------------------------------------------

/// Length in minutes of the longer test window (AWS's worked example counts
/// "15 calls in a five-minute period").
pub(crate) const WINDOW: usize = 5;
/// Minimum excess over expectation for the 1-minute window.
pub(crate) const MIN_EXCESS_1: f64 = 4.0;
/// Minimum excess over expectation for the `WINDOW`-minute window.
pub(crate) const MIN_EXCESS_W: f64 = 5.0;
/// The excess must also be at least this fraction of the expectation.
pub(crate) const REL_EXCESS: f64 = 0.5;
/// Largest tail probability still called unusual.
pub(crate) const P_MAX: f64 = 1e-9;
/// A count beats a guard when it exceeds `GUARD_MULT * guard + GUARD_ADD`.
pub(crate) const GUARD_MULT: f64 = 1.25;
pub(crate) const GUARD_ADD: f64 = 1.0;
/// Added to `GUARD_MULT` for the burst memory, divided by the days it has seen
/// (2.25 after one day, 1.39 after seven, 1.29 after 28): the largest of a few
/// bursts underestimates how large this series' bursts get.
pub(crate) const MEMORY_YOUTH: f64 = 1.0;
/// Consecutive normal minutes that end an episode.
pub(crate) const END_QUIET: i64 = 5;
/// Minutes of recent past whose peaks are normal.
pub(crate) const RECENT_MINUTES: usize = 60;
/// Age in minutes after which an open episode's own level counts as normal.
pub(crate) const ADAPT_MINUTES: usize = 60;

// --- Drops -------------------------------------------------------------------

/// Window length in minutes for drops (AWS's example: 20 calls a minute, then
/// none for ten minutes). With the deficit floor, an API needs about 2.5 calls
/// a minute at that time of day before it can drop.
pub(crate) const DROP_WINDOW: usize = 10;
/// Drop windows tested: ten minutes, and twenty for series whose rate swings
/// (their dispersion halves over two independent ten-minute blocks, so twenty
/// silent minutes can be significant where ten are not).
pub(crate) const DROP_WINDOWS: [usize; 2] = [DROP_WINDOW, 2 * DROP_WINDOW];
pub(crate) const DROP_MIN_DEFICIT: f64 = 20.0;
pub(crate) const DROP_MAX_FRACTION: f64 = 0.2;
pub(crate) const DROP_LOW_GUARD: f64 = 0.5;
pub(crate) const DROP_MIN_SAME_TYPE_DAYS: u8 = 2;
pub(crate) const DROP_COVERAGE: f64 = 0.8;
