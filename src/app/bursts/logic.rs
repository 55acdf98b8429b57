//! The Bursts view's pure helpers (no DOM): labels, the capture range of a
//! burst's account/Region, the chart's bars, and the window a burst's events
//! are listed for.

use crate::engine::bursts::Burst;
use crate::engine::coverage::CoverageReport;
use crate::model::{Explanation, Insight, InsightType, MinutePoint, MinuteRange};

/// The label every burst carries: bursts are not Insights.
pub const NOT_INSIGHTS: &str = "Not Insights — no baseline: compared with the rest of this capture";

/// `GetPasswordData (Client.UnauthorizedOperation)` or the API alone.
pub fn burst_label(b: &Burst) -> String {
    match &b.key.error_code {
        Some(code) => format!("{} ({code})", b.key.name),
        None => b.key.name.clone(),
    }
}

/// "API calls" or "API errors" (what the series counts).
pub fn kind_label(b: &Burst) -> &'static str {
    match b.key.insight_type {
        InsightType::ApiCallRateInsight => "API calls",
        InsightType::ApiErrorRateInsight => "API errors",
    }
}

/// The minutes of the capture of the burst's account/Region (half-open),
/// falling back to the burst itself when the coverage does not name it.
pub fn capture_range(b: &Burst, coverage: &CoverageReport) -> MinuteRange {
    coverage
        .regions
        .iter()
        .find(|r| r.account == b.key.account && r.region == b.key.region)
        .map(|r| MinuteRange::new(r.first_minute, r.last_minute + 1))
        .unwrap_or(b.minutes)
}

/// Account/Regions with less than a day of history: (account, Region, hours).
pub fn short_regions(coverage: &CoverageReport) -> Vec<(String, String, f64)> {
    coverage
        .regions
        .iter()
        .filter(|r| !r.enough_history)
        .map(|r| (r.account.clone(), r.region.clone(), r.hours_covered()))
        .collect()
}

/// "calls" or "errors", for sentences.
pub fn noun(b: &Burst) -> &'static str {
    match b.key.insight_type {
        InsightType::ApiCallRateInsight => "calls",
        InsightType::ApiErrorRateInsight => "errors",
    }
}

/// The count a burst's chart shows for one minute: calls for a call-rate
/// series, errors for an error-rate one.
pub fn count_of(b: &Burst, p: &MinutePoint) -> u32 {
    match b.key.insight_type {
        InsightType::ApiCallRateInsight => p.calls,
        InsightType::ApiErrorRateInsight => p.errors,
    }
}

/// One bar of a burst's chart: its x (minutes from the range's start),
/// height (0..=1 of the tallest) and whether it is a burst minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: i64,
    pub count: u32,
    pub height: f64,
    pub in_burst: bool,
}

/// The nonzero minutes of `points` as bars.
pub fn bars(b: &Burst, points: &[MinutePoint], range: MinuteRange) -> Vec<Bar> {
    let max = points
        .iter()
        .map(|p| count_of(b, p))
        .max()
        .unwrap_or(0)
        .max(1);
    points
        .iter()
        .filter(|p| range.contains(p.minute) && count_of(b, p) > 0)
        .map(|p| {
            let count = count_of(b, p);
            Bar {
                x: p.minute - range.start,
                count,
                height: f64::from(count) / f64::from(max),
                in_burst: b.minutes.contains(p.minute),
            }
        })
        .collect()
}

/// The burst as the window the events listing shows (its series and
/// minutes); nothing else of it is an Insight, and it is never exported.
pub fn as_window(b: &Burst) -> Insight {
    Insight {
        key: b.key.clone(),
        shared_event_id: String::new(),
        start_event_id: String::new(),
        end_event_id: String::new(),
        start_minute: b.minutes.start,
        end_minute: b.minutes.end,
        baseline_average: b.expected_per_minute,
        start_average: b.peak_count as f64,
        insight_average: b.events as f64 / b.minutes.len().max(1) as f64,
        insight_duration: u32::try_from(b.minutes.len()).unwrap_or(u32::MAX),
        baseline_duration: 0,
        attributions: Vec::new(),
        explanation: Explanation::default(),
        start_record_json: String::new(),
        end_record_json: String::new(),
    }
}
