//! The details page's queries on a loaded dataset: the calls and errors per
//! minute of one API (the Insights graph) and the events of a window (the
//! CloudTrail events tab).

use super::MAX_SPAN_MINUTES;
use crate::model::{Dataset, InsightType, Interner, MinutePoint, SeriesKey};

/// Does event `e` belong to the API of `key` (any call, read or write)?
struct ApiFilter {
    account: crate::model::Sym,
    region: crate::model::Sym,
    source: crate::model::Sym,
    name: crate::model::Sym,
    /// `Some(code)` restricts "errors" to that code; `None` counts every error.
    error: Option<crate::model::Sym>,
}

impl ApiFilter {
    /// `None` when one of the key's strings never occurs in the dataset.
    fn new(ds: &Dataset, key: &SeriesKey) -> Option<ApiFilter> {
        let get = |s: &str| ds.strings.get(s);
        let error = match &key.error_code {
            Some(code) => Some(get(code)?),
            None => None,
        };
        Some(ApiFilter {
            account: get(&key.account)?,
            region: get(&key.region)?,
            source: get(&key.source)?,
            name: get(&key.name)?,
            error,
        })
    }

    fn api(&self, e: &crate::model::Event) -> bool {
        e.name == self.name
            && e.source == self.source
            && e.account == self.account
            && e.region == self.region
    }

    fn error(&self, e: &crate::model::Event) -> bool {
        match self.error {
            Some(code) => e.error_code == code,
            None => e.error_code != Interner::EMPTY,
        }
    }
}

/// Index range of the events whose minute is in `[from, to)`.
fn minute_range(ds: &Dataset, from: i64, to: i64) -> std::ops::Range<usize> {
    let lo = ds.events.partition_point(|e| e.minute() < from);
    let hi = ds.events.partition_point(|e| e.minute() < to);
    lo..hi.max(lo)
}

/// Calls and errors per minute of the API of `key` over `[from_minute, to_minute)`,
/// contiguous and zero-filled (at most [`MAX_SPAN_MINUTES`] points). `calls` counts every call of the API (read and
/// write); `errors` counts errors with `key.error_code`, or all errors if `None`.
pub fn minute_series(
    ds: &Dataset,
    key: &SeriesKey,
    from_minute: i64,
    to_minute: i64,
) -> Vec<MinutePoint> {
    let len = (to_minute - from_minute).clamp(0, MAX_SPAN_MINUTES) as usize;
    let mut out: Vec<MinutePoint> = (0..len)
        .map(|i| MinutePoint {
            minute: from_minute + i as i64,
            calls: 0,
            errors: 0,
        })
        .collect();
    let Some(filter) = ApiFilter::new(ds, key) else {
        return out;
    };
    for e in &ds.events[minute_range(ds, from_minute, to_minute)] {
        if filter.api(e) {
            let p = &mut out[(e.minute() - from_minute) as usize];
            p.calls += 1;
            if filter.error(e) {
                p.errors += 1;
            }
        }
    }
    out
}

/// Indexes into `ds.events` of the events in minutes `[from_minute, to_minute)`:
/// all of them for `None`; for a call-rate key, every call of its API; for an
/// error-rate key, the calls of its API that failed with its error code.
pub fn events_in_window(
    ds: &Dataset,
    key: Option<&SeriesKey>,
    from_minute: i64,
    to_minute: i64,
) -> Vec<u32> {
    let range = minute_range(ds, from_minute, to_minute);
    let Some(key) = key else {
        return range.map(|i| i as u32).collect();
    };
    let Some(filter) = ApiFilter::new(ds, key) else {
        return Vec::new();
    };
    let errors_only = key.insight_type == InsightType::ApiErrorRateInsight;
    range
        .filter(|&i| filter.api(&ds.events[i]) && (!errors_only || filter.error(&ds.events[i])))
        .map(|i| i as u32)
        .collect()
}
