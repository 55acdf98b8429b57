//! `trailsight stats PATH...`: load logs and print what was loaded and skipped
//! as ONE JSON object on stdout.

use super::memory::{self, GuardArgs};
use crate::ingest::{load_paths, LoadReport};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Files, folders (walked recursively) and archives (.zip, .tar, .tar.gz).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub guard: GuardArgs,
}

pub fn run(args: StatsArgs) -> ExitCode {
    let limits = args.guard.limits();
    let (ds, report) = load_paths(&args.paths, &limits);
    let resident = memory::rss();
    drop(ds);
    let mut out = stats_json(&report);
    out["max_events"] = json!(limits.max_events);
    out["peak_rss_bytes"] = json!(memory::peak_rss());
    out["rss_after_load_bytes"] = json!(resident);
    println!("{out}");
    if let Some(message) = memory::guard_message(&report) {
        eprintln!("trailsight stats: {message}");
    }
    if no_input_read(&report) {
        ExitCode::from(super::EXIT_NO_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// True when nothing CloudTrail-like could be read at all: every path was
/// missing, unreadable, empty, a digest, or not CloudTrail.
pub fn no_input_read(report: &LoadReport) -> bool {
    report.records == 0 && report.aws_insight_records == 0 && report.aggregated_event_records == 0
}

/// ISO 8601 UTC with milliseconds, e.g. `2021-07-28T15:28:01.000Z`.
pub fn iso_ms(ms: i64) -> String {
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

/// The stats object: the documented fields first, then the extra detail.
pub fn stats_json(r: &LoadReport) -> serde_json::Value {
    let skipped: Vec<_> = r
        .skipped_files
        .iter()
        .map(|s| json!({"path": s.path, "reason": s.reason}))
        .collect();
    let samples: Vec<_> = r
        .bad_record_samples
        .iter()
        .map(|b| json!({"path": b.path, "record": b.record, "reason": b.reason}))
        .collect();
    let reasons: serde_json::Map<String, serde_json::Value> = r
        .bad_reasons
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "files": r.files,
        "events": r.events,
        "duplicates": r.duplicates,
        "skipped_files": skipped,
        "bad_records": r.bad_records,
        "first_event_time": r.first_event_ms.map(iso_ms),
        "last_event_time": r.last_event_ms.map(iso_ms),
        "accounts": r.accounts,
        "regions": r.regions,
        "files_seen": r.files_seen,
        "records": r.records,
        "bad_reasons": reasons,
        "bad_record_samples": samples,
        "aws_insight_records": r.aws_insight_records,
        "aggregated_event_records": r.aggregated_event_records,
        "bytes_read": r.bytes_read,
        "not_read": r.not_read,
        "memory_guard": memory::guard_message(r),
    })
}
