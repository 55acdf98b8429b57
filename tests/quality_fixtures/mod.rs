//! Shared by the detection quality suites (`detect_quality.rs` on smooth
//! traffic, `detect_quality_bursty.rs` on realistic traffic): when an Insight
//! counts as finding a planted anomaly, and how a stray one is described.
#![allow(dead_code)]

use trailsight::format::record_time;
use trailsight::generate::PlantedAnomaly;
use trailsight::model::{Insight, InsightType};

/// The Insight finds the anomaly: same type, account, Region, API and error
/// code, and its Start within 10 minutes of the onset.
pub fn matches(i: &Insight, a: &PlantedAnomaly) -> bool {
    let kind = match i.key.insight_type {
        InsightType::ApiCallRateInsight => "call_rate",
        InsightType::ApiErrorRateInsight => "error_rate",
    };
    kind == a.kind
        && i.key.account == a.account
        && i.key.region == a.region
        && i.key.source == a.event_source
        && i.key.name == a.event_name
        && i.key.error_code == a.error_code
        && (i.start_minute - a.onset_minute).abs() <= 10
}

/// One line about an Insight, with the numbers that made it fire.
pub fn describe(i: &Insight) -> String {
    format!(
        "{} {}/{} {}:{} {:?} start {} dur {} base {:.4} avg {:.2} ({:?})",
        i.key.insight_type.as_str(),
        i.key.account,
        i.key.region,
        i.key.source,
        i.key.name,
        i.key.error_code,
        record_time(i.start_minute),
        i.insight_duration,
        i.baseline_average,
        i.insight_average,
        i.explanation
    )
}
