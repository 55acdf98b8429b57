//! AWS's own Insights beside ours: reads the Insights records CloudTrail
//! delivered (`CloudTrail-Insight/` files, kept raw in
//! [`Dataset::aws_insights`](crate::model::Dataset::aws_insights)) into
//! [`Insight`] values and pairs each with one of ours.
//!
//! The pairing rule: an AWS Insight and one of ours are the same Insight when
//! their account, Region, event source, event name, Insight type and error
//! code (none for call rate) are equal and their minutes overlap, each range
//! `[start, end)` widened by [`SLACK_MINUTES`] on both sides (so two ranges up
//! to 2 × 5 = 10 minutes apart still pair: AWS's Start can lag or lead ours by
//! a few minutes, as its model and ours differ). `sourceEventCategory` is not
//! compared (AWS leaves it out of older records). Pairs are one to one: AWS's
//! Insights are taken by start minute, and each takes the unpaired one of
//! ours with the nearest start (then the smallest `sharedEventID`).
//!
//! The result: ours paired ("both"), ours only ("Trailsight"), AWS only
//! ("AWS"). An AWS Insight is built from its Start and End records (matched
//! by `sharedEventID`); with only one of the two, what is missing is derived
//! (End minute = Start minute + `insightDuration`, or back from the End).
//! The reader is here rather than [`crate::counts::read_insight_windows`]
//! because the list also needs the averages, attributions and the records
//! themselves, and a bad record must not hide the others.

use crate::ingest::parse_time;
use crate::model::{Attribution, AttributionValue, Explanation, Insight, InsightType, SeriesKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Minutes each range is widened by on both sides when pairing.
pub const SLACK_MINUTES: i64 = 5;

/// Who found an Insight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FoundBy {
    Aws,
    Trailsight,
    Both,
}

impl FoundBy {
    pub const ALL: [FoundBy; 3] = [FoundBy::Both, FoundBy::Trailsight, FoundBy::Aws];

    /// The list's words.
    pub fn label(self) -> &'static str {
        match self {
            FoundBy::Aws => "AWS",
            FoundBy::Trailsight => "Trailsight",
            FoundBy::Both => "Both",
        }
    }

    /// The filter's value (also used in URLs and test selectors).
    pub fn slug(self) -> &'static str {
        match self {
            FoundBy::Aws => "aws",
            FoundBy::Trailsight => "trailsight",
            FoundBy::Both => "both",
        }
    }

    pub fn from_slug(s: &str) -> Option<FoundBy> {
        FoundBy::ALL.into_iter().find(|f| f.slug() == s)
    }
}

/// One of ours paired with one of AWS's, by `sharedEventID`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub ours: String,
    pub aws: String,
}

/// AWS's Insights and how they pair with ours.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pairing {
    /// AWS's Insights, by start minute then `sharedEventID`; their
    /// `start_record_json` / `end_record_json` are AWS's records (empty when
    /// that record was not loaded).
    pub aws: Vec<Insight>,
    pub pairs: Vec<Pair>,
    /// AWS records that could not be read: `record N: reason`.
    pub unreadable: Vec<String>,
}

impl Pairing {
    /// Who found the Insight with this `sharedEventID` (ours or AWS's).
    pub fn found_by(&self, shared_event_id: &str) -> FoundBy {
        if self
            .pairs
            .iter()
            .any(|p| p.ours == shared_event_id || p.aws == shared_event_id)
        {
            FoundBy::Both
        } else if self
            .aws
            .iter()
            .any(|a| a.shared_event_id == shared_event_id)
        {
            FoundBy::Aws
        } else {
            FoundBy::Trailsight
        }
    }

    /// AWS's Insights that none of ours pairs with (rows of their own in the list).
    pub fn aws_only(&self) -> impl Iterator<Item = &Insight> {
        self.aws
            .iter()
            .filter(|a| !self.pairs.iter().any(|p| p.aws == a.shared_event_id))
    }

    /// AWS's Insight paired with ours of this `sharedEventID`.
    pub fn aws_for(&self, ours: &str) -> Option<&Insight> {
        let pair = self.pairs.iter().find(|p| p.ours == ours)?;
        self.aws.iter().find(|a| a.shared_event_id == pair.aws)
    }

    /// Counts of (both, Trailsight only, AWS only) given our Insights.
    pub fn counts(&self, ours: usize) -> (usize, usize, usize) {
        let both = self.pairs.len();
        (
            both,
            ours.saturating_sub(both),
            self.aws.len().saturating_sub(both),
        )
    }
}

/// Reads AWS's records and pairs them with `ours`.
pub fn pairing(ours: &[Insight], records: &[String]) -> Pairing {
    let (aws, unreadable) = read_aws_insights(records);
    let pairs = pair(ours, &aws);
    Pairing {
        aws,
        pairs,
        unreadable,
    }
}

/// Whether `a` and `b` are the same Insight by the pairing rule.
pub fn matches(a: &Insight, b: &Insight) -> bool {
    let (x, y) = (&a.key, &b.key);
    x.insight_type == y.insight_type
        && x.account == y.account
        && x.region == y.region
        && x.source == y.source
        && x.name == y.name
        && x.error_code == y.error_code
        && a.start_minute < end_of(b).saturating_add(SLACK_MINUTES)
        && b.start_minute < end_of(a).saturating_add(SLACK_MINUTES)
}

/// One past the last minute (an empty range counts as its Start minute).
fn end_of(i: &Insight) -> i64 {
    i.end_minute.max(i.start_minute.saturating_add(1))
}

/// One-to-one pairs of `aws` with `ours` (see the module docs).
pub fn pair(ours: &[Insight], aws: &[Insight]) -> Vec<Pair> {
    let mut order: Vec<&Insight> = aws.iter().collect();
    order.sort_by(|a, b| {
        (a.start_minute, &a.shared_event_id).cmp(&(b.start_minute, &b.shared_event_id))
    });
    let mut taken = vec![false; ours.len()];
    let mut out = Vec::new();
    for a in order {
        let best = ours
            .iter()
            .enumerate()
            .filter(|(n, o)| !taken[*n] && matches(o, a))
            .min_by(|(_, x), (_, y)| {
                let d = |o: &Insight| o.start_minute.abs_diff(a.start_minute);
                d(x).cmp(&d(y))
                    .then_with(|| x.shared_event_id.cmp(&y.shared_event_id))
            });
        if let Some((n, o)) = best {
            taken[n] = true;
            out.push(Pair {
                ours: o.shared_event_id.clone(),
                aws: a.shared_event_id.clone(),
            });
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    event_time: String,
    aws_region: String,
    #[serde(rename = "eventID", default)]
    event_id: String,
    recipient_account_id: String,
    #[serde(rename = "sharedEventID")]
    shared_event_id: String,
    insight_details: Details,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    state: String,
    event_source: String,
    event_name: String,
    insight_type: String,
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    source_event_category: Option<String>,
    insight_context: Context,
}

#[derive(Deserialize)]
struct Context {
    statistics: Statistics,
    #[serde(default)]
    attributions: Vec<RawAttribution>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    baseline: Average,
    insight: Average,
    #[serde(default)]
    insight_duration: Option<f64>,
    #[serde(default)]
    baseline_duration: Option<f64>,
}

#[derive(Deserialize)]
struct Average {
    average: f64,
}

#[derive(Deserialize)]
struct RawAttribution {
    attribute: String,
    #[serde(default)]
    insight: Vec<RawValue>,
    #[serde(default)]
    baseline: Vec<RawValue>,
}

#[derive(Deserialize)]
struct RawValue {
    value: String,
    average: f64,
}

/// One record, checked: its minute and whether it is a Start.
struct Read {
    record: Record,
    minute: i64,
    start: bool,
    json: String,
}

fn read_one(json: &str) -> Result<Read, String> {
    let record: Record = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let minute = parse_time(&record.event_time)
        .ok_or_else(|| format!("bad eventTime {:?}", record.event_time))?
        .div_euclid(60_000);
    let start = match record.insight_details.state.as_str() {
        "Start" => true,
        "End" => false,
        other => return Err(format!("unknown state {other:?}")),
    };
    insight_type(&record.insight_details.insight_type)?;
    Ok(Read {
        record,
        minute,
        start,
        json: json.to_string(),
    })
}

fn insight_type(s: &str) -> Result<InsightType, String> {
    match s {
        "ApiCallRateInsight" => Ok(InsightType::ApiCallRateInsight),
        "ApiErrorRateInsight" => Ok(InsightType::ApiErrorRateInsight),
        other => Err(format!("unknown insightType {other:?}")),
    }
}

/// AWS's Insights of `records` (raw JSON, one record each), and the
/// records that could not be read. A record repeated (the same file loaded
/// twice) counts once.
pub fn read_aws_insights(records: &[String]) -> (Vec<Insight>, Vec<String>) {
    let mut unreadable = Vec::new();
    // sharedEventID -> (Start, End)
    let mut by_id: BTreeMap<String, (Option<Read>, Option<Read>)> = BTreeMap::new();
    for (n, json) in records.iter().enumerate() {
        match read_one(json) {
            Ok(r) => {
                let slot = by_id.entry(r.record.shared_event_id.clone()).or_default();
                let side = if r.start { &mut slot.0 } else { &mut slot.1 };
                if side.is_none() {
                    *side = Some(r);
                }
            }
            Err(e) => unreadable.push(format!("record {}: {e}", n + 1)),
        }
    }
    let mut out: Vec<Insight> = by_id
        .into_iter()
        .filter_map(|(id, (start, end))| build(id, start, end))
        .collect();
    out.sort_by(|a, b| {
        (a.start_minute, &a.shared_event_id).cmp(&(b.start_minute, &b.shared_event_id))
    });
    (out, unreadable)
}

/// Minutes of a record's duration field (AWS writes whole minutes).
fn minutes(x: Option<f64>) -> Option<u32> {
    x.filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v.round().min(f64::from(u32::MAX)) as u32)
}

fn attributions(raw: &[RawAttribution]) -> Vec<Attribution> {
    let values = |v: &[RawValue]| -> Vec<AttributionValue> {
        v.iter()
            .map(|x| AttributionValue {
                value: x.value.clone(),
                average: x.average,
            })
            .collect()
    };
    raw.iter()
        .map(|a| Attribution {
            attribute: a.attribute.clone(),
            insight: values(&a.insight),
            baseline: values(&a.baseline),
            insight_other: 0.0,
            baseline_other: 0.0,
        })
        .collect()
}

/// The context (statistics, attributions) of a record, if there is one.
fn stats(r: &Option<Read>) -> Option<&Context> {
    r.as_ref()
        .map(|r| &r.record.insight_details.insight_context)
}

/// The Insight of one `sharedEventID` from its Start and/or End record.
fn build(id: String, start: Option<Read>, end: Option<Read>) -> Option<Insight> {
    let main = start.as_ref().or(end.as_ref())?;
    let d = &main.record.insight_details;
    let duration = stats(&end)
        .and_then(|c| minutes(c.statistics.insight_duration))
        .or_else(|| stats(&start).and_then(|c| minutes(c.statistics.insight_duration)))
        .unwrap_or(1);
    let baseline_duration = stats(&end)
        .or(stats(&start))
        .and_then(|c| minutes(c.statistics.baseline_duration))
        .unwrap_or(0);
    let start_minute = match (&start, &end) {
        (Some(s), _) => s.minute,
        (None, Some(e)) => e.minute.saturating_sub(i64::from(duration)),
        (None, None) => return None,
    };
    let end_minute = match &end {
        Some(e) => e.minute,
        None => start_minute.saturating_add(i64::from(duration)),
    };
    let error_code = match insight_type(&d.insight_type).ok()? {
        InsightType::ApiErrorRateInsight => d.error_code.clone().filter(|c| !c.is_empty()),
        InsightType::ApiCallRateInsight => None,
    };
    let context = stats(&end).or(stats(&start))?;
    Some(Insight {
        key: SeriesKey {
            insight_type: insight_type(&d.insight_type).ok()?,
            account: main.record.recipient_account_id.clone(),
            region: main.record.aws_region.clone(),
            source: d.event_source.clone(),
            name: d.event_name.clone(),
            error_code,
            source_category: d
                .source_event_category
                .clone()
                .unwrap_or_else(|| "Management".to_string()),
        },
        shared_event_id: id,
        start_event_id: start
            .as_ref()
            .map(|r| r.record.event_id.clone())
            .unwrap_or_default(),
        end_event_id: end
            .as_ref()
            .map(|r| r.record.event_id.clone())
            .unwrap_or_default(),
        start_minute,
        end_minute,
        baseline_average: context.statistics.baseline.average,
        start_average: stats(&start)
            .map(|c| c.statistics.insight.average)
            .unwrap_or(context.statistics.insight.average),
        insight_average: context.statistics.insight.average,
        insight_duration: duration,
        baseline_duration,
        attributions: attributions(&context.attributions),
        explanation: Explanation::default(),
        start_record_json: start.map(|r| r.json).unwrap_or_default(),
        end_record_json: end.map(|r| r.json).unwrap_or_default(),
    })
}

#[cfg(test)]
#[path = "pairing_tests.rs"]
mod tests;
