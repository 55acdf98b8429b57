//! `trailsight generate`.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct GenerateArgs {}

pub fn run(_args: GenerateArgs) -> ExitCode {
    eprintln!("trailsight generate: not implemented yet");
    ExitCode::from(2)
}
