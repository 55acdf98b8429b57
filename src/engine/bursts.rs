//! Bursts: what stands out in a capture too short for Insights.
//!
//! An account/Region with less than [`MIN_HISTORY_MINUTES`] of history cannot
//! be tested for Insights (there is no baseline). For those account/Regions
//! only, this module compares each minute of a series with **the rest of the
//! same capture** and reports the minutes that stand out, grouped into bursts
//! and ranked. Bursts are not Insights: nothing here produces an Insights
//! record, and account/Regions with a full day of history get none (their
//! minutes are tested by `detect`).
//!
//! The series are detection's own ([`super::series`]): per API (call rate,
//! the events [`super::series::watched`] counts under the [`DetectConfig`])
//! and per API + error code (error rate).
//!
//! The rule, for a series with `N` events over the `T` covered minutes of its
//! account/Region (first to last event minute, both counted):
//! 1. A minute with count `c` is compared with the rate of the rest of the
//!    capture, `mu = (N - c + PRIOR_EVENTS) / max(T - 1, 1)` (leave one out,
//!    so a burst does not raise its own yardstick).
//! 2. It is a burst minute when `c - mu >= MIN_EXCESS` and the Poisson upper
//!    tail `P(X >= c | mu) <= MAX_MINUTE_P`.
//! 3. Burst minutes at most `MAX_GAP` quiet minutes apart form one burst,
//!    `[first burst minute, last burst minute + 1)`.
//! 4. A burst of `len` minutes and `n` events is scored against the rest of
//!    the capture outside it: expected per minute
//!    `(N - n + PRIOR_EVENTS) / max(T - len, 1)`, score
//!    `-log10 P(X >= n | len * expected)` (Poisson). Ranked by score, then
//!    events, then key and start (deterministic).
//!
//! Why this rule rather than a median/MAD of the nonzero minutes: in a capture
//! of an hour most series have a handful of nonzero minutes (an attack tool's
//! APIs often appear in one minute only), where the median and MAD of the
//! nonzero minutes are undefined or zero, so every minute would "stand out"
//! or none could. The leave-one-out mean uses every covered minute (zeros
//! included, which is what "quiet the rest of the time" means), is defined for
//! any series, and the Poisson tail gives a probability that ranks series of
//! different sizes on one scale. `PRIOR_EVENTS` (half an event) keeps the
//! yardstick of a series seen only in its burst at "less than one event in
//! the rest of the capture" rather than zero, so its score grows with the
//! burst's size and the capture's length instead of being infinite.

use super::series::{self, slice_minutes, Series};
use super::tails::ln_upper_tail;
use super::{DetectConfig, MIN_HISTORY_MINUTES};
use crate::model::{Dataset, MinuteRange, SeriesKey, Sym};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Least excess over the expected rate for a burst minute (events).
pub const MIN_EXCESS: f64 = 4.0;
/// Largest Poisson upper-tail probability of a burst minute.
pub const MAX_MINUTE_P: f64 = 1e-6;
/// Most quiet minutes between two burst minutes of one burst.
pub const MAX_GAP: i64 = 2;
/// Pseudo-events added to the rest of the capture (see the module docs).
pub const PRIOR_EVENTS: f64 = 0.5;
/// Values kept per attribute of a burst.
const TOP: usize = 5;

/// One value of an attribute during a burst, with its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCount {
    pub value: String,
    pub events: u64,
}

/// Minutes of one series that stand out against the rest of its capture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    /// The series (API, or API + error code, of one account/Region).
    pub key: SeriesKey,
    /// The burst's minutes, half-open (minutes since the Unix epoch).
    pub minutes: MinuteRange,
    /// The busiest minute and its count (the earliest on ties).
    pub peak_minute: i64,
    pub peak_count: u64,
    /// Events of the series in the burst.
    pub events: u64,
    /// Events of the series over the whole capture of its account/Region.
    pub series_events: u64,
    /// Minutes covered by the account/Region (first to last event, both counted).
    pub covered_minutes: i64,
    /// The rate outside the burst the burst was compared with (events per minute).
    pub expected_per_minute: f64,
    /// `-log10` of the Poisson probability of at least `events` in the burst.
    pub score: f64,
    /// Top identities (ARNs), user agents and source IPs of the burst's
    /// events, by events then value.
    pub top_identities: Vec<ValueCount>,
    pub top_user_agents: Vec<ValueCount>,
    pub top_source_ips: Vec<ValueCount>,
}

/// The `limit` highest-ranked bursts of `ds` under `cfg`, over the
/// account/Regions with less than [`MIN_HISTORY_MINUTES`] of history.
pub fn bursts(ds: &Dataset, cfg: &DetectConfig, limit: usize) -> Vec<Burst> {
    let (built, events) = series::from_dataset(ds, cfg);
    let mut out: Vec<Burst> = Vec::new();
    for (i, s) in built.series.iter().enumerate() {
        let Some(cov) = built.coverage.get(s.coverage) else {
            continue;
        };
        if cov.last_minute - cov.first_minute >= MIN_HISTORY_MINUTES {
            continue;
        }
        let covered = cov.last_minute - cov.first_minute + 1;
        let ev = events.get(i).map(Vec::as_slice).unwrap_or(&[]);
        for span in spans(&s.minutes, covered) {
            out.push(burst_of(ds, s, ev, span, covered));
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.events.cmp(&a.events))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.minutes.start.cmp(&b.minutes.start))
    });
    out.truncate(limit);
    out
}

/// Whether a minute of `c` events stands out against the rest of a series of
/// `total` events over `covered` minutes.
fn is_burst_minute(c: u64, total: u64, covered: i64) -> bool {
    let mu = (total.saturating_sub(c) as f64 + PRIOR_EVENTS) / (covered - 1).max(1) as f64;
    let c32 = u32::try_from(c).unwrap_or(u32::MAX);
    c as f64 - mu >= MIN_EXCESS && ln_upper_tail(c32, mu, 0.0) <= MAX_MINUTE_P.ln()
}

/// The bursts of one series' sparse minutes as half-open minute spans.
fn spans(minutes: &[(i64, u32)], covered: i64) -> Vec<(i64, i64)> {
    let total: u64 = minutes.iter().map(|&(_, c)| u64::from(c)).sum();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &(m, c) in minutes {
        if !is_burst_minute(u64::from(c), total, covered) {
            continue;
        }
        match out.last_mut() {
            Some((_, end)) if m - *end <= MAX_GAP => *end = m + 1,
            _ => out.push((m, m + 1)),
        }
    }
    out
}

/// The burst of `s` over `[start, end)`, with its score and attributions.
fn burst_of(ds: &Dataset, s: &Series, ev: &[u32], span: (i64, i64), covered: i64) -> Burst {
    let (start, end) = span;
    let in_burst = series::minutes_in(&s.minutes, start, end);
    let n: u64 = in_burst.iter().map(|&(_, c)| u64::from(c)).sum();
    let total: u64 = s.minutes.iter().map(|&(_, c)| u64::from(c)).sum();
    let (peak_minute, peak_count) =
        in_burst.iter().fold(
            (start, 0u32),
            |best, &(m, c)| if c > best.1 { (m, c) } else { best },
        );
    let len = end - start;
    let expected = (total.saturating_sub(n) as f64 + PRIOR_EVENTS) / (covered - len).max(1) as f64;
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    let score = -ln_upper_tail(n32, expected * len as f64, 0.0) / std::f64::consts::LN_10;
    let burst_events = slice_minutes(ds, ev, start, end);
    let top = |pick: fn(&crate::model::Event) -> Sym| top_values(ds, burst_events, pick);
    Burst {
        key: super::series_key(&ds.strings, &s.key),
        minutes: MinuteRange::new(start, end),
        peak_minute,
        peak_count: u64::from(peak_count),
        events: n,
        series_events: total,
        covered_minutes: covered,
        expected_per_minute: expected,
        score: score.max(0.0),
        top_identities: top(|e| e.identity),
        top_user_agents: top(|e| e.user_agent),
        top_source_ips: top(|e| e.source_ip),
    }
}

/// The [`TOP`] most frequent values of `pick` over `events`, by events
/// descending then value ascending; empty values are left out.
fn top_values(
    ds: &Dataset,
    events: &[u32],
    pick: fn(&crate::model::Event) -> Sym,
) -> Vec<ValueCount> {
    let mut by_sym: FxHashMap<Sym, u64> = FxHashMap::default();
    for &i in events {
        if let Some(e) = ds.events.get(i as usize) {
            *by_sym.entry(pick(&e)).or_insert(0) += 1;
        }
    }
    let mut out: Vec<ValueCount> = by_sym
        .into_iter()
        .map(|(sym, events)| ValueCount {
            value: ds.strings.resolve(sym).to_string(),
            events,
        })
        .filter(|v| !v.value.is_empty())
        .collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.value.cmp(&b.value)));
    out.truncate(TOP);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Event, InsightType, Interner, Origin};

    /// Appends `n` events of `name` (and `error`) at `minute`.
    fn push(ds: &mut Dataset, minute: i64, n: u32, name: &str, error: &str, who: &str) {
        for _ in 0..n {
            let mut s = |t: &str| ds.strings.intern(t);
            let e = Event {
                time_ms: minute * 60_000,
                id: 0,
                account: s("111122223333"),
                region: s("us-east-1"),
                source: s("ec2.amazonaws.com"),
                name: s(name),
                error_code: s(error),
                identity: s(who),
                user_agent: s("agent"),
                source_ip: s("192.0.2.1"),
                event_type: Interner::EMPTY,
                identity_type: Interner::EMPTY,
                read_only: name.starts_with("Get"),
                read_only_inferred: false,
                category: Category::Management,
                origin: Origin::default(),
            };
            ds.events.push(e);
        }
    }

    /// Sorts by time and numbers the events, as ingest leaves them.
    fn done(mut ds: Dataset) -> Dataset {
        let mut events = ds.events.to_vec();
        events.sort_by_key(|e| e.time_ms);
        for (i, e) in events.iter_mut().enumerate() {
            e.id = i as u128;
        }
        ds.events = events.into();
        ds
    }

    /// Two hours of steady writes with a small deterministic wobble (6 to 10 a minute).
    fn steady(ds: &mut Dataset, minutes: i64) {
        for m in 0..minutes {
            push(
                ds,
                m,
                6 + (m * 7 % 5) as u32,
                "RunInstances",
                "",
                "arn:steady",
            );
        }
    }

    #[test]
    fn steady_traffic_gives_no_bursts() {
        let mut ds = Dataset::default();
        steady(&mut ds, 120);
        let ds = done(ds);
        assert!(bursts(&ds, &DetectConfig::default(), 10).is_empty());
    }

    #[test]
    fn a_planted_burst_ranks_first() {
        let mut ds = Dataset::default();
        steady(&mut ds, 120);
        // A spike of the steady API (40 against about 8) and a smaller one of
        // an API quiet the rest of the time.
        push(&mut ds, 50, 40, "RunInstances", "", "arn:spike");
        for m in 70..73 {
            push(
                &mut ds,
                m,
                30,
                "GetPasswordData",
                "Client.UnauthorizedOperation",
                "arn:attacker",
            );
        }
        push(
            &mut ds,
            76,
            20,
            "GetPasswordData",
            "Client.UnauthorizedOperation",
            "arn:attacker",
        );
        push(
            &mut ds,
            100,
            1,
            "GetPasswordData",
            "Client.UnauthorizedOperation",
            "arn:other",
        );
        let ds = done(ds);
        let got = bursts(&ds, &DetectConfig::default(), 10);
        assert_eq!(got.len(), 3, "{got:#?}");
        let first = &got[0];
        assert_eq!(first.key.insight_type, InsightType::ApiErrorRateInsight);
        assert_eq!(first.key.name, "GetPasswordData");
        assert_eq!(
            first.key.error_code.as_deref(),
            Some("Client.UnauthorizedOperation")
        );
        // Minutes 73 to 75 are three quiet minutes (more than MAX_GAP): minute 76 is a burst of its own.
        assert_eq!(first.minutes, MinuteRange::new(70, 73));
        assert_eq!(
            (first.events, first.peak_count, first.peak_minute),
            (90, 30, 70)
        );
        assert_eq!(first.top_identities[0].value, "arn:attacker");
        assert!(first.expected_per_minute < 1.0);
        let spike = got
            .iter()
            .find(|b| b.key.name == "RunInstances")
            .expect("the RunInstances spike");
        assert_eq!(spike.minutes, MinuteRange::new(50, 51));
        // The spike minute has both identities; the spike's own leads.
        assert_eq!(spike.top_identities[0].value, "arn:spike");
        assert_eq!(spike.top_identities.len(), 2);
        assert!(got.windows(2).all(|w| w[0].score >= w[1].score));
        assert_eq!(bursts(&ds, &DetectConfig::default(), 1).len(), 1);
    }

    #[test]
    fn close_burst_minutes_merge() {
        let mut ds = Dataset::default();
        steady(&mut ds, 60);
        for m in [20, 23] {
            push(&mut ds, m, 30, "DeleteTrail", "", "arn:x");
        }
        let ds = done(ds);
        let got = bursts(&ds, &DetectConfig::default(), 10);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].minutes, MinuteRange::new(20, 24));
        assert_eq!(got[0].events, 60);
    }

    #[test]
    fn a_full_day_of_history_gets_no_bursts() {
        let mut ds = Dataset::default();
        steady(&mut ds, 60);
        push(&mut ds, 50, 200, "DeleteTrail", "", "arn:x");
        // One event a day later: the account/Region now has a baseline.
        push(
            &mut ds,
            MIN_HISTORY_MINUTES,
            1,
            "RunInstances",
            "",
            "arn:steady",
        );
        let ds = done(ds);
        assert!(bursts(&ds, &DetectConfig::default(), 10).is_empty());
    }

    #[test]
    fn only_account_regions_without_a_day_are_searched() {
        let mut ds = Dataset::default();
        steady(&mut ds, 60);
        push(&mut ds, 30, 200, "DeleteTrail", "", "arn:x");
        push(&mut ds, 0, 1, "StopLogging", "", "arn:y");
        push(&mut ds, 40, 200, "StopLogging", "", "arn:y");
        push(&mut ds, MIN_HISTORY_MINUTES, 1, "StopLogging", "", "arn:y");
        // StopLogging lives in another Region, which has a day of history.
        let other = ds.strings.intern("eu-west-1");
        let stop = ds.strings.intern("StopLogging");
        let mut events = ds.events.to_vec();
        for e in events.iter_mut().filter(|e| e.name == stop) {
            e.region = other;
        }
        ds.events = events.into();
        let ds = done(ds);
        let got = bursts(&ds, &DetectConfig::default(), 10);
        let names: Vec<_> = got.iter().map(|b| b.key.name.as_str()).collect();
        assert_eq!(names, ["DeleteTrail"]);
    }
}
