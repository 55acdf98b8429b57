//! Attributions: the top five user identities, user agents and (for call-rate
//! Insights) error codes during the Insight and during its baseline, each as an
//! average per minute of that period, plus the sum of the rest ("Other").
//!
//! The ranking works on counts per value ([`PeriodCounts`]), which come either
//! from a dataset's events or from an attributions table (the interchange file
//! of a SQL engine), so both paths rank and average exactly alike.

use crate::counts::{PeriodCounts, ATTRIBUTES};
use crate::model::{Attribution, AttributionValue, Dataset, InsightType, Sym};
use rustc_hash::FxHashMap;

/// Values kept per attribute (AWS: "a maximum of five").
const TOP: usize = 5;

impl PeriodCounts {
    /// Counts the identities, user agents and error codes of `events`.
    ///
    /// One read of each event for all three attributes: the indexes of a big
    /// series are spread over the whole dataset, so each read is a cache miss
    /// (three passes cost three misses per event), and the counting is by
    /// symbol, resolving each distinct value to its text once.
    pub(crate) fn from_events(ds: &Dataset, events: &[u32]) -> PeriodCounts {
        let mut by_sym: [FxHashMap<Sym, u64>; 3] = Default::default();
        for &i in events {
            let Some(e) = ds.events.get(i as usize) else {
                continue;
            };
            let picked = [e.identity, e.user_agent, e.error_code];
            for (map, sym) in by_sym.iter_mut().zip(picked) {
                *map.entry(sym).or_insert(0) += 1;
            }
        }
        let mut out = PeriodCounts::default();
        for (slot, counts) in out.values.iter_mut().zip(by_sym) {
            for (sym, n) in counts {
                *slot.entry(ds.strings.resolve(sym).to_string()).or_insert(0) += n;
            }
        }
        out
    }

    /// Adds `events` to `value` of attribute `slot` ([`ATTRIBUTES`] index).
    pub fn add(&mut self, slot: usize, value: &str, events: u64) {
        if let Some(map) = self.values.get_mut(slot) {
            let n = map.entry(value.to_string()).or_insert(0);
            *n = n.saturating_add(events);
        }
    }
}

/// One attribute's (value, count) sorted by count descending, then value
/// ascending (deterministic ties).
fn ranked(counts: &FxHashMap<String, u64>, null_for_empty: bool) -> Vec<(String, u64)> {
    let mut merged: FxHashMap<&str, u64> = FxHashMap::default();
    for (v, &n) in counts {
        // AWS writes the no-error bucket of the errorCode attribution as the string "null".
        let shown = if null_for_empty && v.as_str() == "" {
            "null"
        } else {
            v.as_str()
        };
        *merged.entry(shown).or_insert(0) += n;
    }
    let mut out: Vec<(String, u64)> = merged
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn top(ranked: &[(String, u64)], minutes: f64) -> (Vec<AttributionValue>, f64) {
    let minutes = minutes.max(1.0);
    let values = ranked
        .iter()
        .take(TOP)
        .map(|(v, n)| AttributionValue {
            value: v.clone(),
            average: *n as f64 / minutes,
        })
        .collect();
    let other = ranked.iter().skip(TOP).map(|(_, n)| *n as f64).sum::<f64>() / minutes;
    (values, other)
}

/// Attributions for the counts `insight` (spanning `insight_minutes`) against
/// the counts `baseline` (spanning `baseline_minutes`).
pub(crate) fn attributions(
    kind: InsightType,
    insight: &PeriodCounts,
    insight_minutes: f64,
    baseline: &PeriodCounts,
    baseline_minutes: f64,
) -> Vec<Attribution> {
    // Error-rate Insights carry the code in insightDetails; AWS omits this block for them.
    let n = if kind == InsightType::ApiCallRateInsight {
        3
    } else {
        2
    };
    (0..n)
        .map(|slot| {
            let null_for_empty = ATTRIBUTES[slot] == "errorCode";
            let (insight_values, insight_other) = top(
                &ranked(&insight.values[slot], null_for_empty),
                insight_minutes,
            );
            let (baseline_values, baseline_other) = top(
                &ranked(&baseline.values[slot], null_for_empty),
                baseline_minutes,
            );
            Attribution {
                attribute: ATTRIBUTES[slot].to_string(),
                insight: insight_values,
                baseline: baseline_values,
                insight_other,
                baseline_other,
            }
        })
        .collect()
}
