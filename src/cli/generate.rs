//! `trailsight generate DIR [--days N] [--seed S] [--scale X] [--no-anomalies] [--realistic]`:
//! write simulated CloudTrail logs in the S3 delivery layout plus `labels.json`.

use crate::generate::{generate, GenerateConfig};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Output folder (created if missing).
    pub dir: PathBuf,
    /// Days of logs.
    #[arg(long, default_value_t = 9)]
    pub days: u32,
    /// Random seed (same seed, same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Traffic multiplier.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// A quiet control run: decoys only, no planted anomalies.
    #[arg(long)]
    pub no_anomalies: bool,
    /// Add the bursty traffic of real accounts (deploy pipeline, error storms,
    /// overdispersed rates, nightly batch), labelled as decoys, and anomalies
    /// planted on those APIs.
    #[arg(long)]
    pub realistic: bool,
}

pub fn run(args: GenerateArgs) -> ExitCode {
    if !args.scale.is_finite() || args.scale <= 0.0 {
        eprintln!("trailsight generate: --scale must be a positive number");
        return ExitCode::from(2);
    }
    let cfg = GenerateConfig {
        days: args.days,
        seed: args.seed,
        scale: args.scale,
        anomalies: !args.no_anomalies,
        realistic: args.realistic,
    };
    let generated = generate(&cfg);
    let mut bytes = 0usize;
    for (rel, data) in &generated.files {
        let path = args.dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, data));
        if let Err(e) = written {
            eprintln!("trailsight generate: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
        bytes += data.len();
    }
    let labels = match serde_json::to_string_pretty(&generated.labels) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("trailsight generate: cannot encode labels: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.dir)
        .and_then(|_| std::fs::write(args.dir.join("labels.json"), labels))
    {
        eprintln!("trailsight generate: cannot write labels.json: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "trailsight generate: {} events in {} files ({:.1} MB gzip), {} planted anomalies, {} decoys, in {}",
        generated.labels.events,
        generated.files.len(),
        bytes as f64 / 1e6,
        generated.labels.anomalies.len(),
        generated.labels.decoys.len(),
        args.dir.display()
    );
    ExitCode::SUCCESS
}
