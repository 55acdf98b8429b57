//! Step 1: the query that reduces the events to the counts interchange,
//! version 1 (`version, account, region, event_source, event_name,
//! event_category, read_only, error_code, minute, events`): one row per group
//! of deduplicated events sharing those values. Every category is kept (Other
//! too): the detector derives each account and Region's coverage and active
//! minutes from all rows.

use super::{events_ctes, Detail, Dialect};

/// The counts interchange version this query writes.
pub const COUNTS_VERSION: u32 = 1;

/// The step-1 `SELECT` for `table` in dialect `d`.
pub fn counts_query(d: Dialect, table: &str) -> String {
    format!(
        "-- Trailsight counts, version {COUNTS_VERSION} ({dialect:?}): per-minute event counts for `trailsight detect --counts`.\n\
         WITH\n{ctes}\n\
         SELECT {COUNTS_VERSION} AS version, account, region, event_source, event_name, event_category,\n  \
         read_only, error_code, minute, count(*) AS events\n\
         FROM events\n\
         GROUP BY account, region, event_source, event_name, event_category, read_only, error_code, minute\n",
        dialect = d,
        ctes = events_ctes(d, table, Detail::Counts),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_query_selects_the_interchange_columns_in_order() {
        let q = counts_query(Dialect::DuckDb, "cloudtrail_logs");
        let select = q.rsplit("SELECT 1 AS version,").next().unwrap_or("");
        let cols: Vec<&str> = select
            .split("FROM events")
            .next()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .collect();
        assert_eq!(
            cols,
            [
                "account",
                "region",
                "event_source",
                "event_name",
                "event_category",
                "read_only",
                "error_code",
                "minute",
                "count(*) AS events"
            ]
        );
    }
}
