//! `trailsight bench`.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BenchArgs {}

pub fn run(_args: BenchArgs) -> ExitCode {
    eprintln!("trailsight bench: not implemented yet");
    ExitCode::from(2)
}
