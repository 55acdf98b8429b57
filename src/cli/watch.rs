//! What to watch: the `--insight-types`, `--include-read-calls` and
//! `--include-data-events` options shared by every command that detects or
//! must count exactly what detection counts (`detect`, `counts`, `bursts`).

use super::CliError;
use crate::engine::DetectConfig;
use clap::Args;

#[derive(Debug, Args)]
pub struct WatchArgs {
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
}

impl WatchArgs {
    /// The detector settings of the options, or a usage error.
    pub fn config(&self) -> Result<DetectConfig, CliError> {
        config_of(
            &self.insight_types,
            self.include_read_calls,
            self.include_data_events,
        )
    }
}

/// The detector settings of `--insight-types`, `--include-read-calls` and
/// `--include-data-events`, or a usage error.
pub(crate) fn config_of(
    insight_types: &[String],
    include_read_calls: bool,
    include_data_events: bool,
) -> Result<DetectConfig, CliError> {
    let mut cfg = DetectConfig {
        call_rate: false,
        error_rate: false,
        include_read_calls,
        include_data_events,
    };
    for t in insight_types {
        match t.trim() {
            "ApiCallRateInsight" => cfg.call_rate = true,
            "ApiErrorRateInsight" => cfg.error_rate = true,
            "" => {}
            other => return Err(CliError::UnknownInsightType(other.to_string())),
        }
    }
    if !cfg.call_rate && !cfg.error_rate {
        return Err(CliError::NoInsightType);
    }
    Ok(cfg)
}
