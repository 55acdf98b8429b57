//! The detector against real third-party data (skipped cleanly when
//! `../shared/data/real` is absent): our records have the keys, types and
//! nesting of AWS's documented Insights records, and the SANS ransomware lab
//! behaves as documented in README.md ("How detection works").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::Value;
use std::path::PathBuf;
use trailsight::engine::{detect, DetectConfig};
use trailsight::ingest::{load_paths, Limits};
use trailsight::model::InsightType;

fn real(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} not present, test skipped", p.display());
        None
    }
}

/// Every key of `aws` exists in `ours` with the same JSON type, recursively
/// (array elements are compared with our first element). Returns the mismatches.
fn schema_diff(aws: &Value, ours: &Value, path: &str, out: &mut Vec<String>) {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if kind(aws) != kind(ours) {
        out.push(format!(
            "{path}: AWS has {}, ours {}",
            kind(aws),
            kind(ours)
        ));
        return;
    }
    match (aws, ours) {
        (Value::Object(a), Value::Object(o)) => {
            for (k, v) in a {
                match o.get(k) {
                    Some(ov) => schema_diff(v, ov, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing in ours")),
                }
            }
        }
        (Value::Array(a), Value::Array(o)) => {
            if let Some(ofirst) = o.first() {
                for (n, v) in a.iter().enumerate() {
                    // Attribution blocks differ by `attribute`; compare like with like.
                    let counterpart = v
                        .get("attribute")
                        .and_then(|attr| o.iter().find(|x| x.get("attribute") == Some(attr)))
                        .unwrap_or(ofirst);
                    schema_diff(v, counterpart, &format!("{path}[{n}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn aws_examples(dir: &PathBuf) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        match v.get("Records").and_then(Value::as_array) {
            Some(records) => out.extend(records.iter().cloned()),
            None => out.push(v),
        }
    }
    out
}

#[test]
fn records_match_the_aws_documented_schema() {
    let Some(dir) = real("aws-docs-insights-examples") else {
        return;
    };
    let examples = aws_examples(&dir);
    assert!(examples.len() >= 4);
    // Our records from generated data: call rate (all three attribution blocks)
    // and error rate.
    let (ds, _) = trailsight::generate::generate_dataset(&Default::default());
    let det = detect(&ds, &DetectConfig::default());
    let call = det
        .insights
        .iter()
        .find(|i| i.key.insight_type == InsightType::ApiCallRateInsight)
        .unwrap();
    let mut problems = Vec::new();
    for aws in &examples {
        let state = aws["insightDetails"]["state"].as_str().unwrap();
        let ours = if state == "Start" {
            &call.start_record_json
        } else {
            &call.end_record_json
        };
        let ours: Value = serde_json::from_str(ours).unwrap();
        schema_diff(aws, &ours, "", &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sans_lab_steady_access_denied_is_quiet_and_the_kms_burst_is_found_with_reads() {
    let Some(dir) = real("sans504-s3-ransomware-lab") else {
        return;
    };
    let (ds, _) = load_paths(&[dir], &Limits::default());
    assert!(ds.events.len() > 10_000);

    // Default (AWS's scope): the AccessDenied noise is on data events and is
    // not watched; the few management writes never reach the minimum excess.
    let det = detect(&ds, &DetectConfig::default());
    assert!(
        det.insights.is_empty(),
        "{:#?}",
        det.insights
            .iter()
            .map(|i| &i.start_record_json)
            .collect::<Vec<_>>()
    );

    // With read-API volume watched, the 2021-07-30 16:32 UTC kms:Decrypt burst fires.
    let cfg = DetectConfig {
        include_read_calls: true,
        ..Default::default()
    };
    let det = detect(&ds, &cfg);
    let kms = det
        .insights
        .iter()
        .find(|i| i.key.name == "Decrypt" && i.key.source == "kms.amazonaws.com")
        .expect("kms:Decrypt burst found");
    assert_eq!(
        trailsight::format::record_time(kms.start_minute),
        "2021-07-30T16:32:00Z"
    );
    assert!(
        kms.baseline_duration < 10_080,
        "shortened baseline: {}",
        kms.baseline_duration
    );
    assert!(kms.start_average > 100.0);

    // With data events watched, the AccessDenied pattern fires once, at its onset,
    // not again every time it repeats.
    let cfg = DetectConfig {
        include_data_events: true,
        ..Default::default()
    };
    let det = detect(&ds, &cfg);
    let denied: Vec<_> = det
        .insights
        .iter()
        .filter(|i| {
            i.key.error_code.as_deref() == Some("AccessDenied") && i.key.name == "PutObject"
        })
        .collect();
    assert_eq!(denied.len(), 1, "{denied:#?}");
    assert_eq!(denied[0].key.source_category, "Data");
}
