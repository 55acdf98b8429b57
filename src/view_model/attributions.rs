//! The Attributions tab's tables, computed from an [`Insight`]'s attribution
//! blocks the way the console shows them (spec §1.4): Top user identity ARNs, Top
//! user agents and, for call-rate Insights only, Top error codes; insight and
//! baseline averages with their share of the column in parentheses; an `Other` row
//! for activity beyond the top five; the error-code value `"null"` shown as `None`.

use crate::format::{average, share as format_share};
use crate::model::{Attribution, Insight, InsightType};

/// One row of an attribution table. `None` averages are unknown (the value was not
/// among the top five of that period), shown as a dash.
#[derive(Clone, Debug, PartialEq)]
pub struct AttrRow {
    pub label: String,
    pub insight: Option<f64>,
    pub insight_share: Option<f64>,
    pub baseline: Option<f64>,
    pub baseline_share: Option<f64>,
    pub is_other: bool,
}

/// One table (and its "Top baseline …" companion) of the Attributions tab.
#[derive(Clone, Debug, PartialEq)]
pub struct AttrTable {
    pub attribute: &'static str,
    pub title: &'static str,
    pub baseline_title: &'static str,
    /// Top values during the Insight, then `Other`.
    pub rows: Vec<AttrRow>,
    /// Top values during the baseline (baseline columns only), then `Other`.
    pub baseline_rows: Vec<AttrRow>,
}

const TABLES: [(&str, &str, &str); 3] = [
    (
        "userIdentityArn",
        "Top user identity ARNs",
        "Top baseline user identity ARNs",
    ),
    ("userAgent", "Top user agents", "Top baseline user agents"),
    ("errorCode", "Top error codes", "Top baseline error codes"),
];

/// The tables to show for `insight`, in console order. Error-rate Insights get no
/// error-code table. A missing attribution block gives an empty table, so the user
/// sees that there was nothing rather than a missing heading.
pub fn attribution_tables(insight: &Insight) -> Vec<AttrTable> {
    let empty = Attribution {
        attribute: String::new(),
        insight: Vec::new(),
        baseline: Vec::new(),
        insight_other: 0.0,
        baseline_other: 0.0,
    };
    TABLES
        .iter()
        .filter(|(attr, _, _)| {
            *attr != "errorCode" || insight.key.insight_type == InsightType::ApiCallRateInsight
        })
        .map(|&(attribute, title, baseline_title)| {
            let block = insight
                .attributions
                .iter()
                .find(|a| a.attribute == attribute)
                .unwrap_or(&empty);
            AttrTable {
                attribute,
                title,
                baseline_title,
                rows: insight_rows(block),
                baseline_rows: baseline_rows(block),
            }
        })
        .collect()
}

/// How a value is shown: the no-error bucket `"null"` of error codes is `None`.
pub fn display_value(attribute: &str, value: &str) -> String {
    if attribute == "errorCode" && value == "null" {
        "None".to_string()
    } else {
        value.to_string()
    }
}

fn total(values: &[crate::model::AttributionValue], other: f64) -> f64 {
    values.iter().map(|v| clean(v.average)).sum::<f64>() + clean(other)
}

/// Negative, NaN or infinite averages (malformed input) count as zero.
fn clean(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

fn share(v: f64, total: f64) -> Option<f64> {
    (total > 0.0).then(|| clean(v) / total)
}

fn insight_rows(a: &Attribution) -> Vec<AttrRow> {
    let it = total(&a.insight, a.insight_other);
    let bt = total(&a.baseline, a.baseline_other);
    let mut rows: Vec<AttrRow> = a
        .insight
        .iter()
        .map(|v| {
            // The baseline average of the same value, when it was a top baseline value;
            // with no baseline activity at all it is known to be 0.
            let baseline = a
                .baseline
                .iter()
                .find(|b| b.value == v.value)
                .map(|b| clean(b.average))
                .or((bt == 0.0).then_some(0.0));
            AttrRow {
                label: display_value(&a.attribute, &v.value),
                insight: Some(clean(v.average)),
                insight_share: share(v.average, it),
                baseline,
                baseline_share: baseline.and_then(|b| share(b, bt)),
                is_other: false,
            }
        })
        .collect();
    if clean(a.insight_other) > 0.0 || clean(a.baseline_other) > 0.0 {
        rows.push(AttrRow {
            label: "Other".to_string(),
            insight: Some(clean(a.insight_other)),
            insight_share: share(a.insight_other, it),
            baseline: Some(clean(a.baseline_other)),
            baseline_share: share(a.baseline_other, bt),
            is_other: true,
        });
    }
    rows
}

fn baseline_rows(a: &Attribution) -> Vec<AttrRow> {
    let bt = total(&a.baseline, a.baseline_other);
    let mut rows: Vec<AttrRow> = a
        .baseline
        .iter()
        .map(|v| AttrRow {
            label: display_value(&a.attribute, &v.value),
            insight: None,
            insight_share: None,
            baseline: Some(clean(v.average)),
            baseline_share: share(v.average, bt),
            is_other: false,
        })
        .collect();
    if clean(a.baseline_other) > 0.0 {
        rows.push(AttrRow {
            label: "Other".to_string(),
            insight: None,
            insight_share: None,
            baseline: Some(clean(a.baseline_other)),
            baseline_share: share(a.baseline_other, bt),
            is_other: true,
        });
    }
    rows
}

/// `0.6 (100%)`, `0.6` without a share, `–` when unknown.
pub fn format_cell(avg: Option<f64>, share: Option<f64>) -> String {
    match (avg, share) {
        (Some(a), Some(s)) => format!("{} ({})", average(a), format_share(s)),
        (Some(a), None) => average(a),
        (None, _) => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttributionValue, SeriesKey};

    fn val(value: &str, average: f64) -> AttributionValue {
        AttributionValue {
            value: value.to_string(),
            average,
        }
    }

    fn insight(kind: InsightType, attributions: Vec<Attribution>) -> Insight {
        Insight {
            key: SeriesKey {
                insight_type: kind,
                account: "123456789012".into(),
                region: "us-east-1".into(),
                source: "ec2.amazonaws.com".into(),
                name: "RunInstances".into(),
                error_code: None,
                source_category: "Management".into(),
            },
            shared_event_id: "s".into(),
            start_event_id: "a".into(),
            end_event_id: "b".into(),
            start_minute: 0,
            end_minute: 10,
            baseline_average: 0.1,
            start_average: 1.0,
            insight_average: 0.6,
            insight_duration: 10,
            baseline_duration: 10080,
            attributions,
            explanation: Default::default(),
            start_record_json: "{}".into(),
            end_record_json: "{}".into(),
        }
    }

    #[test]
    fn null_error_code_is_none_with_full_share() {
        let i = insight(
            InsightType::ApiCallRateInsight,
            vec![Attribution {
                attribute: "errorCode".into(),
                insight: vec![val("null", 0.6)],
                baseline: vec![val("null", 0.1)],
                insight_other: 0.0,
                baseline_other: 0.0,
            }],
        );
        let tables = attribution_tables(&i);
        assert_eq!(tables.len(), 3);
        let err = &tables[2];
        assert_eq!(err.title, "Top error codes");
        assert_eq!(err.rows.len(), 1);
        assert_eq!(err.rows[0].label, "None");
        assert_eq!(
            format_cell(err.rows[0].insight, err.rows[0].insight_share),
            "0.6 (100%)"
        );
        assert_eq!(
            format_cell(err.rows[0].baseline, err.rows[0].baseline_share),
            "0.1 (100%)"
        );
        // No attribution block: an empty table, not a missing one.
        assert!(tables[0].rows.is_empty());
    }

    #[test]
    fn other_row_and_shares_add_up() {
        let i = insight(
            InsightType::ApiErrorRateInsight,
            vec![Attribution {
                attribute: "userAgent".into(),
                insight: vec![
                    val("aws-cli", 3.0),
                    val("<img src=x onerror=alert(1)>", 1.0),
                ],
                baseline: vec![val("aws-cli", 0.5)],
                insight_other: 1.0,
                baseline_other: 0.5,
            }],
        );
        let tables = attribution_tables(&i);
        // Error rate: no error-code table.
        assert_eq!(tables.len(), 2);
        let ua = &tables[1];
        assert_eq!(ua.rows.len(), 3);
        assert_eq!(ua.rows[1].label, "<img src=x onerror=alert(1)>");
        // A value not among the top baseline values has an unknown baseline.
        assert_eq!(
            format_cell(ua.rows[1].baseline, ua.rows[1].baseline_share),
            "–"
        );
        let other = &ua.rows[2];
        assert!(other.is_other);
        assert_eq!(other.label, "Other");
        assert_eq!(format_cell(other.insight, other.insight_share), "1 (20%)");
        assert_eq!(
            format_cell(other.baseline, other.baseline_share),
            "0.5 (50%)"
        );
        let sum: f64 = ua.rows.iter().filter_map(|r| r.insight_share).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert_eq!(ua.baseline_rows.len(), 2);
        assert_eq!(ua.baseline_rows[0].insight, None);
    }

    #[test]
    fn empty_baseline_means_zero() {
        let i = insight(
            InsightType::ApiCallRateInsight,
            vec![Attribution {
                attribute: "userIdentityArn".into(),
                insight: vec![val("arn:aws:sts::1:assumed-role/Admin", 2.0)],
                baseline: vec![],
                insight_other: 0.0,
                baseline_other: 0.0,
            }],
        );
        let row = &attribution_tables(&i)[0].rows[0];
        assert_eq!(row.baseline, Some(0.0));
        assert_eq!(format_cell(row.baseline, row.baseline_share), "0");
    }
}
