//! `trailsight sql counts|attributions|events --engine athena|spark|duckdb
//! [--table NAME] ...`: print one SQL query (text from [`crate::sql`]) for the
//! engine that holds the logs; `trailsight sql duckdb-view --files GLOB` the
//! DuckDB view those queries read. Nothing is run here; the README ("Beyond one
//! machine") says how to run each query and feed its result to `detect`.

use super::CliError;
use crate::sql::insights::{attributions_query, events_query, parse_insights, SeriesOptions};
use crate::sql::{check_table_name, counts::counts_query, Dialect};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(subcommand)]
    pub query: SqlQuery,
}

#[derive(Debug, Subcommand)]
pub enum SqlQuery {
    /// Step 1: per-minute counts (the input of `detect --counts`).
    Counts(Common),
    /// Step 3: attributions of the Insights in FILE (the input of `detect --attributions`).
    Attributions(ForInsights),
    /// The events of each Insight's window in FILE (for the events tab).
    Events(ForInsights),
    /// DuckDB: a view with the Athena table's columns over raw CloudTrail files.
    DuckdbView(ViewArgs),
}

#[derive(Debug, Args)]
pub struct ViewArgs {
    /// The raw `{"Records":[...]}` files: a DuckDB path or glob (e.g. 'AWSLogs/**/*.json.gz').
    #[arg(long, value_name = "GLOB")]
    pub files: String,
    /// The view's name.
    #[arg(long, default_value = "cloudtrail_logs")]
    pub table: String,
}

#[derive(Debug, Args)]
pub struct Common {
    /// SQL dialect: athena (Trino), spark or duckdb.
    #[arg(long)]
    pub engine: String,
    /// Table or view with the columns of AWS's Athena CloudTrail table
    /// ([catalog.][database.]table).
    #[arg(long, default_value = "cloudtrail_logs")]
    pub table: String,
}

#[derive(Debug, Args)]
pub struct ForInsights {
    #[command(flatten)]
    pub common: Common,
    /// Insights records as JSON Lines (what `trailsight detect` prints).
    #[arg(long, value_name = "FILE")]
    pub insights: PathBuf,
    /// As given to `detect`: read-only calls count in call-rate Insights.
    #[arg(long)]
    pub include_read_calls: bool,
    /// As given to `detect`: data-event Insights are allowed in FILE.
    #[arg(long)]
    pub include_data_events: bool,
}

fn dialect_and_table(c: &Common) -> Result<Dialect, CliError> {
    let d = Dialect::parse(&c.engine).ok_or_else(|| CliError::UnknownEngine(c.engine.clone()))?;
    check_table_name(&c.table).map_err(CliError::BadQueryOptions)?;
    Ok(d)
}

/// The query of `args`.
fn query(args: SqlArgs) -> Result<String, CliError> {
    match args.query {
        SqlQuery::Counts(c) => {
            let d = dialect_and_table(&c)?;
            Ok(counts_query(d, &c.table))
        }
        SqlQuery::DuckdbView(v) => {
            check_table_name(&v.table).map_err(CliError::BadQueryOptions)?;
            Ok(crate::sql::view::duckdb_view(&v.table, &v.files))
        }
        SqlQuery::Attributions(f) => for_insights(&f, attributions_query),
        SqlQuery::Events(f) => for_insights(&f, events_query),
    }
}

type InsightsQuery = fn(
    Dialect,
    &str,
    &[crate::sql::insights::InsightWindow],
    SeriesOptions,
) -> Result<String, String>;

fn for_insights(f: &ForInsights, make: InsightsQuery) -> Result<String, CliError> {
    let d = dialect_and_table(&f.common)?;
    let text =
        std::fs::read_to_string(&f.insights).map_err(|e| CliError::cannot_read(&f.insights, e))?;
    let insights = parse_insights(&text).map_err(|reason| CliError::BadInsights {
        path: f.insights.display().to_string(),
        reason,
    })?;
    let opts = SeriesOptions {
        include_read_calls: f.include_read_calls,
        include_data_events: f.include_data_events,
    };
    make(d, &f.common.table, &insights, opts).map_err(CliError::BadQueryOptions)
}

pub fn run(args: SqlArgs) -> ExitCode {
    match query(args) {
        Ok(q) => {
            print!("{q}");
            ExitCode::SUCCESS
        }
        Err(e) => e.report("sql"),
    }
}
