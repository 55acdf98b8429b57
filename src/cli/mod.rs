//! The `trailsight` command line: argument parsing and dispatch.
//!
//! The contract (kept stable; tests and users depend on it):
//! - `trailsight stats PATH... [--max-events N]` prints one JSON object on stdout.
//! - `trailsight detect PATH... [--insight-types T,T] [--out DIR]` prints Insights
//!   records as JSON Lines, sorted by `eventTime` then `eventID`.
//! - `trailsight counts PATH... --out FILE [--attributions-for INSIGHTS.jsonl]` writes
//!   the interchange files natively.
//! - `trailsight generate DIR [--days N] [--seed S] [--scale X]` writes synthetic logs.
//! - `trailsight bench ...` measures ingest and detection.
//! - `trailsight bursts PATH... [--limit N]` prints the ranked bursts of account/Regions
//!   with less than 24 hours of history as JSON Lines (`"kind":"burst"`), never Insights.
//! - `trailsight sql counts|attributions|events --engine E ...` prints one SQL query.
//!
//! Exit status: 0 on success, 1 when no input could be read, 2 on usage errors
//! (clap's own exit code for usage errors is 2).

mod bench;
mod bursts;
mod counts;
mod detect;
mod error;
mod generate;
mod memory;
mod sql;
mod stats;
mod watch;

pub use error::CliError;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// In-browser CloudTrail Insights, on the command line.
#[derive(Debug, Parser)]
#[command(name = "trailsight", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read CloudTrail logs and print what was loaded and skipped, as one JSON object.
    Stats(stats::StatsArgs),
    /// Detect Insights and print their records as JSON Lines.
    Detect(detect::DetectArgs),
    /// Write synthetic CloudTrail logs in the S3 delivery layout, plus labels.json.
    Generate(generate::GenerateArgs),
    /// Benchmark ingest and detection on generated data.
    Bench(bench::BenchArgs),
    /// Print the SQL query (Athena, Spark or DuckDB) of one step of the at-scale path.
    Sql(sql::SqlArgs),
    /// Print what stands out in a capture without a baseline (bursts), as JSON Lines; not Insights.
    Bursts(bursts::BurstsArgs),
    /// Write the counts (or attributions) interchange file of raw logs.
    Counts(counts::CountsArgs),
}

/// Exit status when no input could be read.
pub const EXIT_NO_INPUT: u8 = 1;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Stats(args) => stats::run(args),
        Command::Detect(args) => detect::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Counts(args) => counts::run(args),
        Command::Bursts(args) => bursts::run(args),
    }
}
