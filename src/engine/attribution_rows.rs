//! The attributions rows of given Insights computed from raw logs: the
//! native twin of the step-3 SQL query (`trailsight attributions`, and the
//! reference the SQL engines are checked against). Each Insight's series
//! events are exactly those [`super::detect`] counts with the same settings.

use super::series;
use super::DetectConfig;
use crate::counts::{AttributionRow, InsightWindow, PeriodCounts, ATTRIBUTES, PERIODS};
use crate::model::{Dataset, InsightType, Interner, SeriesKey};

/// For each Insight of `windows`, the attribution counts (Start minute, whole
/// duration, baseline window) of its series' events in `ds`, where the series'
/// events are exactly those [`detect`] with `cfg` counts. An Insight whose
/// series has no events gets empty counts.
pub fn window_period_counts(
    ds: &Dataset,
    cfg: &DetectConfig,
    windows: &[InsightWindow],
) -> Vec<[PeriodCounts; 3]> {
    let (built, events) = series::from_dataset(ds, cfg);
    windows
        .iter()
        .map(|w| {
            let Some(list) = raw_key(ds, &w.key)
                .and_then(|k| built.find(&k))
                .and_then(|i| events.get(i))
            else {
                return Default::default();
            };
            let start = w.start_minute;
            let period =
                |from, to| PeriodCounts::from_events(ds, series::slice_minutes(ds, list, from, to));
            [
                period(start, start.saturating_add(1)),
                period(start, start.saturating_add(w.insight_duration.max(1))),
                period(start.saturating_sub(w.baseline_duration), start),
            ]
        })
        .collect()
}

/// The interned form of `key` in `ds`, or `None` when one of its strings never occurs.
fn raw_key(ds: &Dataset, key: &SeriesKey) -> Option<series::RawKey> {
    let get = |s: &str| ds.strings.get(s);
    Some(series::RawKey {
        kind: key.insight_type,
        account: get(&key.account)?,
        region: get(&key.region)?,
        source: get(&key.source)?,
        name: get(&key.name)?,
        error: match &key.error_code {
            Some(code) if key.insight_type == InsightType::ApiErrorRateInsight => get(code)?,
            _ => Interner::EMPTY,
        },
        data: key.source_category == "Data",
    })
}

/// The attributions rows of `windows` (Insights) from the dataset's events of
/// each Insight's series (the events `detect` with `cfg` counts), sorted.
pub fn attribution_rows(
    ds: &Dataset,
    cfg: &DetectConfig,
    windows: &[InsightWindow],
) -> Vec<AttributionRow> {
    let mut rows = Vec::new();
    for (w, periods) in windows.iter().zip(window_period_counts(ds, cfg, windows)) {
        for (p, counts) in periods.iter().enumerate() {
            for (a, values) in counts.values.iter().enumerate() {
                for (value, &events) in values {
                    rows.push(AttributionRow {
                        shared_event_id: w.shared_event_id.clone(),
                        period: PERIODS[p],
                        attribute: ATTRIBUTES[a],
                        value: value.clone(),
                        events,
                    });
                }
            }
        }
    }
    rows.sort_by(|a, b| {
        (&a.shared_event_id, a.period, a.attribute, &a.value).cmp(&(
            &b.shared_event_id,
            b.period,
            b.attribute,
            &b.value,
        ))
    });
    rows
}
