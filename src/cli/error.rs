//! What can stop a command, typed, with the exit status each gives (the
//! contract in [`super`]): 2 for a usage error, 1 for an input that cannot
//! be read or a file that cannot be written. `Display` is the text printed
//! after `trailsight <command>: `.

use crate::counts::FileError;
use std::io;
use std::path::Path;
use std::process::ExitCode;

#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("unknown insight type {0:?} (expected ApiCallRateInsight or ApiErrorRateInsight)")]
    UnknownInsightType(String),
    #[error("--insight-types names no Insight type")]
    NoInsightType,
    #[error("unknown engine {0:?} (expected athena, spark or duckdb)")]
    UnknownEngine(String),
    /// Options the query builder refuses (its reason).
    #[error("{0}")]
    BadQueryOptions(String),
    #[error("cannot read {path}: {source}")]
    CannotRead { path: String, source: io::Error },
    /// A counts or attributions file that cannot be read.
    #[error("{0}")]
    Table(#[from] FileError),
    /// An Insights file whose records cannot be read.
    #[error("{path}: {reason}")]
    BadInsights { path: String, reason: String },
    #[error("cannot run generate: {0}")]
    CannotGenerate(io::Error),
    #[error("generate failed ({0}); pass a folder of logs instead")]
    GenerateFailed(std::process::ExitStatus),
}

impl CliError {
    pub fn cannot_read(path: &Path, source: io::Error) -> Self {
        CliError::CannotRead {
            path: path.display().to_string(),
            source,
        }
    }

    /// The exit status this error ends the command with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::UnknownInsightType(_)
            | CliError::NoInsightType
            | CliError::UnknownEngine(_)
            | CliError::BadQueryOptions(_) => ExitCode::from(2),
            CliError::CannotRead { .. }
            | CliError::Table(_)
            | CliError::BadInsights { .. }
            | CliError::CannotGenerate(_)
            | CliError::GenerateFailed(_) => ExitCode::from(super::EXIT_NO_INPUT),
        }
    }

    /// Prints the error for `command` and gives its exit status.
    pub fn report(&self, command: &str) -> ExitCode {
        eprintln!("trailsight {command}: {self}");
        self.exit_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_2_and_unreadable_inputs_1() {
        let usage = CliError::UnknownInsightType("X".into());
        assert_eq!(usage.exit_code(), ExitCode::from(2));
        assert_eq!(
            usage.to_string(),
            "unknown insight type \"X\" (expected ApiCallRateInsight or ApiErrorRateInsight)"
        );
        let missing = io::Error::new(io::ErrorKind::NotFound, "gone");
        let read = CliError::cannot_read(Path::new("a.csv"), missing);
        assert_eq!(
            read.exit_code(),
            ExitCode::from(super::super::EXIT_NO_INPUT)
        );
        assert_eq!(read.to_string(), "cannot read a.csv: gone");
    }
}
