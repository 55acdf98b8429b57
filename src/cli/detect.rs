//! `trailsight detect`.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DetectArgs {}

pub fn run(_args: DetectArgs) -> ExitCode {
    eprintln!("trailsight detect: not implemented yet");
    ExitCode::from(2)
}
