//! `trailsight counts PATH... --out FILE` writes the counts interchange file of
//! raw logs (ingest's exact rules), and `trailsight counts PATH...
//! --attributions-for INSIGHTS.jsonl --out FILE` the attributions file of the
//! Insights in INSIGHTS.jsonl: what the SQL engines' queries produce, made
//! natively, so the two can be compared (README "Beyond one machine").
//! The container follows the name: `.parquet`, `.csv.gz` (`.gz`) or CSV.

use super::CliError;
use crate::counts::{read_insight_windows, write_attributions, write_counts};
use crate::counts::{CountsTable, Format};
use crate::engine::attribution_rows;
use crate::ingest::{load_paths, Limits};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CountsArgs {
    /// Files, folders (walked recursively) and archives.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The file to write: FILE.csv, FILE.csv.gz or FILE.parquet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Write the attributions of the Insights in this JSON Lines file (the
    /// output of `trailsight detect`) instead of the counts.
    #[arg(long, value_name = "INSIGHTS.jsonl")]
    pub attributions_for: Option<PathBuf>,
    /// With --attributions-for: the options `detect` was run with.
    #[command(flatten)]
    pub watch: super::watch::WatchArgs,
}

pub fn run(args: CountsArgs) -> ExitCode {
    let cfg = match args.watch.config() {
        Ok(c) => c,
        Err(e) => return e.report("counts"),
    };
    let windows = match &args.attributions_for {
        None => None,
        Some(p) => {
            let parsed = std::fs::read_to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|t| read_insight_windows(&t))
                .map_err(|reason| CliError::BadInsights {
                    path: p.display().to_string(),
                    reason,
                });
            match parsed {
                Ok(w) => Some(w),
                Err(e) => return e.report("counts"),
            }
        }
    };
    let (ds, report) = load_paths(&args.paths, &Limits::default());
    if super::stats::no_input_read(&report) {
        eprintln!(
            "trailsight counts: no readable CloudTrail input ({} files skipped)",
            report.skipped_files.len()
        );
        return ExitCode::from(super::EXIT_NO_INPUT);
    }
    let format = Format::from_name(&args.out.to_string_lossy());
    let (bytes, what) = match &windows {
        None => {
            let t = CountsTable::from_dataset(&ds);
            let rows = t.rows.len();
            (write_counts(&t, format), format!("{rows} counts rows"))
        }
        Some(w) => {
            let rows = attribution_rows(&ds, &cfg, w);
            let what = format!("{} attributions rows for {} Insights", rows.len(), w.len());
            (write_attributions(&rows, format), what)
        }
    };
    let written = bytes.map_err(|e| e.to_string()).and_then(|b| {
        std::fs::write(&args.out, &b)
            .map(|_| b.len())
            .map_err(|e| e.to_string())
    });
    match written {
        Ok(n) => {
            eprintln!(
                "trailsight counts: {} events → {what}, {n} bytes in {}",
                ds.events.len(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "trailsight counts: cannot write {}: {e}",
                args.out.display()
            );
            ExitCode::from(1)
        }
    }
}
