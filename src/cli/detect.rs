//! `trailsight detect PATH... [--insight-types T,T] [--include-read-calls]
//! [--include-data-events] [--format jsonl|eventbridge] [--out DIR]`: load
//! logs, detect Insights, print their records as JSON Lines (sorted by
//! `eventTime` then `eventID`; with `--format eventbridge` each in its
//! EventBridge envelope) on stdout, optionally write AWS's
//! `CloudTrail-Insight` S3 layout under `--out`, and on stderr a summary line
//! followed by what was and was not analysed ([`crate::engine::explain`]).

use super::memory::{self, GuardArgs};
use crate::engine::{detect, DetectConfig};
use crate::ingest::load_paths;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Files, folders (walked recursively) and archives.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Insight types to detect, comma separated: ApiCallRateInsight,ApiErrorRateInsight.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "ApiCallRateInsight,ApiErrorRateInsight"
    )]
    pub insight_types: Vec<String>,
    /// Beyond AWS: count read-only calls in call-rate Insights too.
    #[arg(long)]
    pub include_read_calls: bool,
    /// Beyond AWS: analyse data events too.
    #[arg(long)]
    pub include_data_events: bool,
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

/// The detector settings of the arguments, or a usage error.
fn config(args: &DetectArgs) -> Result<DetectConfig, String> {
    let mut cfg = DetectConfig {
        call_rate: false,
        error_rate: false,
        include_read_calls: args.include_read_calls,
        include_data_events: args.include_data_events,
    };
    for t in &args.insight_types {
        match t.trim() {
            "ApiCallRateInsight" => cfg.call_rate = true,
            "ApiErrorRateInsight" => cfg.error_rate = true,
            "" => {}
            other => return Err(format!("unknown insight type {other:?} (expected ApiCallRateInsight or ApiErrorRateInsight)")),
        }
    }
    if !cfg.call_rate && !cfg.error_rate {
        return Err("--insight-types names no Insight type".to_string());
    }
    Ok(cfg)
}

pub fn run(args: DetectArgs) -> ExitCode {
    let cfg = match config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("trailsight detect: {e}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
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
    let detected = started.elapsed();
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
        for (rel, bytes) in crate::export::s3_objects(&det.insights) {
            let path = dir.join(&rel);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&path, bytes));
            if let Err(e) = written {
                eprintln!("trailsight detect: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }
    let s = &det.summary;
    eprintln!(
        "trailsight detect: {} events loaded in {:.2} s, {} considered, detection {:.1} ms; {} series examined, {} tested, {} without enough history; \
         baseline {:.1}-{:.1} days; {} Insights ({} call rate, {} error rate, {} with a short baseline)",
        ds.events.len(),
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
    );
    let why = crate::engine::explain::explain(&s.coverage, det.insights.len());
    eprintln!("trailsight detect: {}", why.headline);
    for note in &why.notes {
        match note.setting {
            Some(setting) => eprintln!("trailsight detect: {} ({})", note.text, setting.cli_flag()),
            None => eprintln!("trailsight detect: {}", note.text),
        }
    }
    ExitCode::SUCCESS
}
