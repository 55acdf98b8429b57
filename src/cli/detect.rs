//! `trailsight detect PATH... [--insight-types T,T] [--include-read-calls]
//! [--include-data-events] [--format jsonl|eventbridge] [--out DIR]`: load
//! logs, detect Insights, print their records as JSON Lines (sorted by
//! `eventTime` then `eventID`; with `--format eventbridge` each in its
//! EventBridge envelope) on stdout, optionally write AWS's
//! `CloudTrail-Insight` S3 layout under `--out`, and on stderr a summary line
//! followed by what was and was not analysed ([`crate::engine::explain`]).
//!
//! `trailsight detect --counts FILE... [--attributions FILE...]` does the same
//! from the interchange files of a SQL engine (README "Beyond one machine").

use super::memory::{self, GuardArgs};
use super::watch::WatchArgs;
use super::CliError;
use crate::counts::{read_attributions, read_counts, AttributionTable, CountsTable};
use crate::engine::{detect, detect_counts, DetectConfig, Detection};
use crate::ingest::load_paths;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Files, folders (walked recursively) and archives.
    #[arg(required_unless_present = "counts", conflicts_with = "counts")]
    pub paths: Vec<PathBuf>,
    /// Read per-minute counts files (CSV, .csv.gz, Parquet; summed) instead of logs.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub counts: Vec<PathBuf>,
    /// With --counts: attributions files (CSV, .csv.gz, Parquet) for the Insights.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "counts")]
    pub attributions: Vec<PathBuf>,
    #[command(flatten)]
    pub watch: WatchArgs,
    /// Output format on stdout: the records (jsonl) or the records in
    /// EventBridge envelopes (eventbridge, detail-type "AWS Insight via CloudTrail").
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Also write the records in AWS's CloudTrail-Insight S3 layout under DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub guard: GuardArgs,
}

/// What stdout carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One Insights record per line.
    Jsonl,
    /// One EventBridge event per line, the record as its `detail`.
    Eventbridge,
}

/// Reads files with `read` (name, bytes), or says why not.
fn read_files<T>(
    paths: &[PathBuf],
    read: impl FnOnce(&[(String, Vec<u8>)]) -> Result<T, crate::counts::FileError>,
) -> Result<T, CliError> {
    let mut loaded = Vec::with_capacity(paths.len());
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| CliError::cannot_read(p, e))?;
        loaded.push((p.display().to_string(), bytes));
    }
    Ok(read(&loaded)?)
}

fn named(files: &[(String, Vec<u8>)]) -> impl Iterator<Item = (&str, &[u8])> {
    files.iter().map(|(n, b)| (n.as_str(), b.as_slice()))
}

/// Loads the counts (and attributions) and detects; the note says where the
/// attributions came from.
fn detect_from_counts(args: &DetectArgs, cfg: &DetectConfig) -> Result<FromCounts, CliError> {
    let started = std::time::Instant::now();
    let counts: CountsTable = read_files(&args.counts, |f| read_counts(named(f)))?;
    let table: Option<AttributionTable> = if args.attributions.is_empty() {
        None
    } else {
        Some(read_files(&args.attributions, |f| {
            read_attributions(named(f))
        })?)
    };
    let loaded = started.elapsed();
    let started = std::time::Instant::now();
    let det = detect_counts(&counts, table.as_ref(), cfg);
    let detected = started.elapsed();
    let missing = det.summary.insights_without_attributions;
    let note = match &table {
        None => {
            "attributions: none (no --attributions given; attribution lists are empty)".to_string()
        }
        Some(t) => {
            let used: std::collections::HashSet<&str> = det
                .insights
                .iter()
                .map(|i| i.shared_event_id.as_str())
                .collect();
            let unused = t.ids().filter(|id| !used.contains(id)).count();
            format!(
                "attributions: {} of {} Insights found in the attributions files{}",
                det.insights.len() as u64 - missing,
                det.insights.len(),
                if unused > 0 {
                    format!(", which also hold {unused} Insights not detected here (other counts or options?)")
                } else {
                    String::new()
                }
            )
        }
    };
    Ok(FromCounts {
        events: counts.total_events(),
        det,
        note,
        loaded,
        detected,
    })
}

struct FromCounts {
    det: Detection,
    events: u64,
    note: String,
    loaded: std::time::Duration,
    detected: std::time::Duration,
}

pub fn run(args: DetectArgs) -> ExitCode {
    let cfg = match args.watch.config() {
        Ok(c) => c,
        Err(e) => return e.report("detect"),
    };
    let started = std::time::Instant::now();
    let (det, events, note, loaded, detected) = if args.counts.is_empty() {
        let (ds, report) = load_paths(&args.paths, &args.guard.limits());
        let loaded = started.elapsed();
        if let Some(message) = memory::guard_message(&report) {
            eprintln!("trailsight detect: {message}");
        }
        if super::stats::no_input_read(&report) {
            eprintln!(
                "trailsight detect: no readable CloudTrail input ({} files skipped)",
                report.skipped_files.len()
            );
            return ExitCode::from(super::EXIT_NO_INPUT);
        }
        let started = std::time::Instant::now();
        let det = detect(&ds, &cfg);
        let events = ds.events.len() as u64;
        (det, events, String::new(), loaded, started.elapsed())
    } else {
        match detect_from_counts(&args, &cfg) {
            Ok(f) => (f.det, f.events, f.note, f.loaded, f.detected),
            Err(e) => return e.report("detect"),
        }
    };
    let lines = match args.format {
        Format::Jsonl => crate::export::json_lines(&det.insights),
        Format::Eventbridge => crate::export::eventbridge_lines(&det.insights),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(lines.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    if let Some(dir) = &args.out {
        if let Err(code) = write_out(dir, &det.insights) {
            return code;
        }
    }
    print_summary(&det, events, &note, loaded, detected);
    ExitCode::SUCCESS
}

/// Writes the Insights in AWS's S3 layout under `dir` (`--out`).
fn write_out(dir: &std::path::Path, insights: &[crate::model::Insight]) -> Result<(), ExitCode> {
    for (rel, bytes) in crate::export::s3_objects(insights) {
        let path = dir.join(&rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, bytes));
        if let Err(e) = written {
            eprintln!("trailsight detect: cannot write {}: {e}", path.display());
            return Err(ExitCode::from(1));
        }
    }
    Ok(())
}

/// The run's summary and what was and was not analysed, on stderr.
fn print_summary(
    det: &crate::engine::Detection,
    events: u64,
    note: &str,
    loaded: std::time::Duration,
    detected: std::time::Duration,
) {
    let s = &det.summary;
    eprintln!(
        "trailsight detect: {} events loaded in {:.2} s, {} considered, detection {:.1} ms; {} series examined, {} tested, {} without enough history; \
         baseline {:.1}-{:.1} days; {} Insights ({} call rate, {} error rate, {} with a short baseline){}{}",
        events,
        loaded.as_secs_f64(),
        s.events_considered,
        detected.as_secs_f64() * 1000.0,
        s.series_examined,
        s.series_tested,
        s.series_without_enough_history,
        s.min_baseline_days,
        s.max_baseline_days,
        det.insights.len(),
        s.call_rate_insights,
        s.error_rate_insights,
        s.insights_with_short_baseline,
        if note.is_empty() { "" } else { "; " },
        note,
    );
    // What was and was not analysed.
    let why = crate::engine::explain::explain(&s.coverage, det.insights.len());
    eprintln!("trailsight detect: {}", why.headline);
    for note in &why.notes {
        match note.setting {
            Some(setting) => eprintln!("trailsight detect: {} ({})", note.text, setting.cli_flag()),
            None => eprintln!("trailsight detect: {}", note.text),
        }
    }
}
