//! `trailsight bursts PATH... [--limit N] [--insight-types T,T]
//! [--include-read-calls] [--include-data-events]`: load logs and print the
//! ranked bursts ([`crate::engine::bursts`]) of the account/Regions with less
//! than a day of history, as JSON Lines with `"kind":"burst"`, on stdout.
//! Bursts are compared with the rest of the capture, not with a baseline, so
//! they are never Insights records; stderr says so.

use super::memory::{self, GuardArgs};
use super::watch::WatchArgs;
use crate::engine::bursts::{bursts, Burst};
use crate::engine::coverage;
use crate::ingest::load_paths;
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BurstsArgs {
    /// Files, folders (walked recursively) and archives.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Most bursts to print (the highest-ranked).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Which series to search (as for `detect`).
    #[command(flatten)]
    pub watch: WatchArgs,
    #[command(flatten)]
    pub guard: GuardArgs,
}

/// One output line: the marker, the rank (1 is first) and the burst.
#[derive(Serialize)]
struct Line<'a> {
    kind: &'static str,
    rank: usize,
    #[serde(flatten)]
    burst: &'a Burst,
}

pub fn run(args: BurstsArgs) -> ExitCode {
    let cfg = match args.watch.config() {
        Ok(c) => c,
        Err(e) => return e.report("bursts"),
    };
    let (ds, report) = load_paths(&args.paths, &args.guard.limits());
    if let Some(message) = memory::guard_message(&report) {
        eprintln!("trailsight bursts: {message}");
    }
    if super::stats::no_input_read(&report) {
        eprintln!(
            "trailsight bursts: no readable CloudTrail input ({} files skipped)",
            report.skipped_files.len()
        );
        return ExitCode::from(super::EXIT_NO_INPUT);
    }
    let found = bursts(&ds, &cfg, args.limit);
    let mut out = std::io::stdout().lock();
    for (i, burst) in found.iter().enumerate() {
        let line = Line {
            kind: "burst",
            rank: i + 1,
            burst,
        };
        let written = serde_json::to_string(&line)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(out, "{s}"));
        if written.is_err() {
            // stdout closed (e.g. piped into `head`): nothing more to say.
            return ExitCode::SUCCESS;
        }
    }
    eprintln!("trailsight bursts: no baseline: compared with the rest of this capture");
    let cov = coverage::report(&ds, &cfg);
    let (short, full): (Vec<_>, Vec<_>) = cov.regions.iter().partition(|r| !r.enough_history);
    eprintln!(
        "trailsight bursts: {} bursts shown from {} account/Regions with less than 24 hours of history{}",
        found.len(),
        short.len(),
        if full.is_empty() {
            String::new()
        } else {
            format!(
                "; {} account/Regions with 24 hours or more are not searched (their minutes are tested by `trailsight detect`)",
                full.len()
            )
        }
    );
    ExitCode::SUCCESS
}
