//! Attributions: the top five user identities, user agents and (for call-rate
//! Insights) error codes during the Insight and during its baseline, each as an
//! average per minute of that period, plus the sum of the rest ("Other").

use crate::model::{Attribution, AttributionValue, Dataset, Event, InsightType, Interner, Sym};
use std::collections::HashMap;

/// An attribute: its JSON name, how to read it from an event, and whether the
/// empty value is written as the string "null".
type Attribute = (&'static str, fn(&Event) -> Sym, bool);

/// Values kept per attribute (AWS: "a maximum of five").
const TOP: usize = 5;

/// Counts of one attribute's values over some events, as (value, count) sorted
/// by count descending, then value ascending (deterministic ties).
fn ranked(
    ds: &Dataset,
    events: &[u32],
    pick: fn(&Event) -> Sym,
    null_for_empty: bool,
) -> Vec<(String, u64)> {
    let mut counts: HashMap<Sym, u64> = HashMap::new();
    for &i in events {
        *counts.entry(pick(&ds.events[i as usize])).or_insert(0) += 1;
    }
    let mut out: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(sym, n)| {
            let s = ds.strings.resolve(sym);
            // AWS writes the no-error bucket of the errorCode attribution as the string "null".
            let value = if null_for_empty && sym == Interner::EMPTY {
                "null".to_string()
            } else {
                s.to_string()
            };
            (value, n)
        })
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

/// Attributions for the events `insight` (spanning `insight_minutes`) against the
/// events `baseline` (spanning `baseline_minutes`).
pub(crate) fn attributions(
    ds: &Dataset,
    kind: InsightType,
    insight: &[u32],
    insight_minutes: f64,
    baseline: &[u32],
    baseline_minutes: f64,
) -> Vec<Attribution> {
    let mut attributes: Vec<Attribute> = vec![
        ("userIdentityArn", |e| e.identity, false),
        ("userAgent", |e| e.user_agent, false),
    ];
    // Error-rate Insights carry the code in insightDetails; AWS omits this block for them.
    if kind == InsightType::ApiCallRateInsight {
        attributes.push(("errorCode", |e| e.error_code, true));
    }
    attributes
        .into_iter()
        .map(|(attribute, pick, null_for_empty)| {
            let (insight_values, insight_other) =
                top(&ranked(ds, insight, pick, null_for_empty), insight_minutes);
            let (baseline_values, baseline_other) = top(
                &ranked(ds, baseline, pick, null_for_empty),
                baseline_minutes,
            );
            Attribution {
                attribute: attribute.to_string(),
                insight: insight_values,
                baseline: baseline_values,
                insight_other,
                baseline_other,
            }
        })
        .collect()
}
