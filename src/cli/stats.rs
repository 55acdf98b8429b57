//! `trailsight stats`.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct StatsArgs {}

pub fn run(_args: StatsArgs) -> ExitCode {
    eprintln!("trailsight stats: not implemented yet");
    ExitCode::from(2)
}
