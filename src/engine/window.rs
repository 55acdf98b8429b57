//! The details page's queries on a loaded dataset: the calls and errors per
//! minute of one API (the Insights graph) and the events of a window (the
//! CloudTrail events tab).

use super::MAX_SPAN_MINUTES;
use crate::model::{Dataset, InsightType, Interner, MinutePoint, MinuteRange, SeriesKey};

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

/// Index range of the events whose minute is in `range` (empty when it is).
fn minute_range(ds: &Dataset, range: MinuteRange) -> std::ops::Range<usize> {
    ds.events.minute_range(range)
}

/// Calls and errors per minute of the API of `key` over `range`, contiguous
/// and zero-filled, for at most its first [`MAX_SPAN_MINUTES`] minutes (any
/// range is safe: reversed gives nothing, a huge one is cut). `calls` counts
/// every call of the API (read and write); `errors` counts errors with
/// `key.error_code`, or all errors if `None`.
pub fn minute_series(ds: &Dataset, key: &SeriesKey, range: MinuteRange) -> Vec<MinutePoint> {
    let range = range.truncated(MAX_SPAN_MINUTES as u64);
    // `truncated` bounds the length by MAX_SPAN_MINUTES, so it fits a usize.
    let len = range.len() as usize;
    let mut out: Vec<MinutePoint> = (0..len)
        .map(|i| MinutePoint {
            // Below `range.end`, so no overflow.
            minute: range.start + i as i64,
            calls: 0,
            errors: 0,
        })
        .collect();
    let Some(filter) = ApiFilter::new(ds, key) else {
        return out;
    };
    for e in ds.events.iter_range(minute_range(ds, range)) {
        if !filter.api(&e) {
            continue;
        }
        // Every event here has `range.start <= minute < range.end`.
        let at = e.minute().abs_diff(range.start) as usize;
        if let Some(p) = out.get_mut(at) {
            p.calls += 1;
            if filter.error(&e) {
                p.errors += 1;
            }
        }
    }
    out
}

/// Indexes into `ds.events` of the events whose minute is in `range`: all of
/// them for `None`; for a call-rate key, every call of its API; for an
/// error-rate key, the calls of its API that failed with its error code.
pub fn events_in_window(ds: &Dataset, key: Option<&SeriesKey>, range: MinuteRange) -> Vec<u32> {
    let range = minute_range(ds, range);
    let Some(key) = key else {
        return range.map(|i| i as u32).collect();
    };
    let Some(filter) = ApiFilter::new(ds, key) else {
        return Vec::new();
    };
    let errors_only = key.insight_type == InsightType::ApiErrorRateInsight;
    range
        .filter(|&i| {
            let e = ds.events.at(i);
            filter.api(&e) && (!errors_only || filter.error(&e))
        })
        .map(|i| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Event, Insight, Origin, SeriesKey};

    /// Events of one API at `minutes` (one each, the odd ones failing), and
    /// one other API's event at every minute, in a dataset.
    fn dataset(minutes: &[i64]) -> (Dataset, SeriesKey) {
        let mut ds = Dataset::default();
        let mut sym = |s: &str| ds.strings.intern(s);
        let (account, region) = (sym("111122223333"), sym("us-east-1"));
        let (source, name, other, denied) = (
            sym("ssm.amazonaws.com"),
            sym("SendCommand"),
            sym("GetParameter"),
            sym("AccessDenied"),
        );
        let event = |n: usize, minute: i64, name, error_code| Event {
            time_ms: minute * 60_000 + 30_000,
            id: n as u128,
            account,
            region,
            source,
            name,
            error_code,
            identity: Interner::EMPTY,
            user_agent: Interner::EMPTY,
            source_ip: Interner::EMPTY,
            event_type: Interner::EMPTY,
            identity_type: Interner::EMPTY,
            read_only: false,
            read_only_inferred: false,
            category: Category::Management,
            origin: Origin::default(),
        };
        let mut events: Vec<Event> = minutes
            .iter()
            .enumerate()
            .flat_map(|(n, &m)| {
                let error = if m % 2 != 0 { denied } else { Interner::EMPTY };
                [
                    event(2 * n, m, name, error),
                    event(2 * n + 1, m, other, denied),
                ]
            })
            .collect();
        events.sort_by_key(|e| (e.time_ms, e.id));
        ds.events = events.into();
        let key = SeriesKey {
            insight_type: InsightType::ApiCallRateInsight,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            source: "ssm.amazonaws.com".into(),
            name: "SendCommand".into(),
            error_code: None,
            source_category: "Management".into(),
        };
        (ds, key)
    }

    fn insight(key: &SeriesKey, start_minute: i64, end_minute: i64) -> Insight {
        Insight {
            key: key.clone(),
            shared_event_id: String::new(),
            start_event_id: String::new(),
            end_event_id: String::new(),
            start_minute,
            end_minute,
            baseline_average: 0.0,
            start_average: 0.0,
            insight_average: 0.0,
            insight_duration: (end_minute - start_minute) as u32,
            baseline_duration: 1,
            attributions: Vec::new(),
            explanation: Default::default(),
            start_record_json: String::new(),
            end_record_json: String::new(),
        }
    }

    /// The events tab's range is the Insight's minutes: its Start minute
    /// through its last unusual minute (`end_minute` is one past it), not the
    /// minute before Start nor the End minute.
    #[test]
    fn the_insight_range_lists_exactly_its_minutes() {
        let (start, end) = (1_000, 1_005);
        let (ds, key) = dataset(&(990..1_010).collect::<Vec<_>>());
        let range = MinuteRange::of_insight(&insight(&key, start, end));
        assert_eq!((range.len(), range.last()), (5, Some(end - 1)));
        let listed = events_in_window(&ds, Some(&key), range);
        let minutes: Vec<i64> = listed
            .iter()
            .map(|&i| ds.events.minute(i as usize))
            .collect();
        assert_eq!(minutes, (start..end).collect::<Vec<_>>());
        // Without a key: both APIs' events in those minutes.
        assert_eq!(events_in_window(&ds, None, range).len(), 10);
        // The graph over the same range has one point per listed minute.
        let points = minute_series(&ds, &key, range);
        assert_eq!(points.iter().map(|p| p.minute).collect::<Vec<_>>(), minutes);
        assert!(points.iter().all(|p| p.calls == 1));
        let errors: u32 = points.iter().map(|p| p.errors).sum();
        assert_eq!(errors, 2, "minutes 1001 and 1003 failed");
    }

    /// No range can panic either query: negative, reversed, empty, longer
    /// than MAX_SPAN_MINUTES, at the i64 extremes, over events anywhere.
    #[test]
    fn no_range_panics() {
        let far = i64::MAX / 60_000 - 1;
        let (ds, key) = dataset(&[-far, -3, 0, 5, 1_000, far]);
        let edges = [
            i64::MIN,
            i64::MIN + 1,
            -far - 1,
            -3,
            0,
            6,
            far,
            far + 1,
            i64::MAX - 1,
            i64::MAX,
        ];
        for &start in &edges {
            for &end in &edges {
                let range = MinuteRange::new(start, end);
                let points = minute_series(&ds, &key, range);
                let want = range.len().min(MAX_SPAN_MINUTES as u64);
                assert_eq!(points.len() as u64, want, "{range:?}");
                assert!(points.iter().all(|p| range.contains(p.minute)));
                let all = events_in_window(&ds, None, range);
                let listed = events_in_window(&ds, Some(&key), range);
                assert!(listed.len() <= all.len());
                let expect = ds
                    .events
                    .iter()
                    .filter(|e| range.contains(e.minute()))
                    .count();
                assert_eq!(all.len(), expect, "{range:?}");
                // Within the first MAX_SPAN_MINUTES, the graph counts every listed call.
                let calls: u32 = points.iter().map(|p| p.calls).sum();
                let shown = range.truncated(MAX_SPAN_MINUTES as u64);
                let in_shown = listed
                    .iter()
                    .filter(|&&i| shown.contains(ds.events.minute(i as usize)));
                assert_eq!(calls as usize, in_shown.count(), "{range:?}");
            }
        }
        assert!(MinuteRange::new(5, 5).is_empty() && MinuteRange::new(6, 5).last().is_none());
        assert_eq!(MinuteRange::new(i64::MIN, i64::MAX).len(), u64::MAX);
    }
}
