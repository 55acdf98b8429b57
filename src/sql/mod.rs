//! Query text for running Trailsight's first reduction where the logs are: one
//! `SELECT` per step, in the dialect of Athena (Trino), Spark SQL or DuckDB,
//! over a table or view with the columns of AWS's documented Athena CloudTrail
//! table (`cloudtrail_logs`). [`counts`] is step 1 (the counts interchange,
//! version 1), [`insights`] steps 3 and 4 (attributions and the events of each
//! Insight's windows), [`view`] the DuckDB view with the Athena table's columns
//! over raw files.
//!
//! Every query starts from the same chain of common table expressions
//! ([`events_ctes`]): ingest's exclusions (AWS Insights records, a missing
//! `eventName`, a missing or malformed `eventTime`), its field rules (account,
//! category, `readOnly`, error code, identity) and its deduplication by
//! `eventID`, written once here so the three queries cannot disagree. The
//! minute is computed from the text of `eventTime` with integer arithmetic
//! (ingest's `parse_time`), not with the engines' timestamp functions: those
//! differ per dialect, depend on the session time zone, and fail the whole
//! query on one bad value in Trino and in Spark's ANSI mode.
//!
//! Only portable functions are used (`substr`, `trim`, `lower`, `coalesce`,
//! `nullif`, `try_cast`, `regexp_extract`, `regexp_replace`, `floor`, `%`,
//! `row_number()`); the dialects differ in the regular-expression predicate, the
//! name of the string type and the escaping of string literals ([`Dialect`]).
//! Regular expressions avoid backslashes (Spark unescapes them in literals) and
//! replacement back-references (`$1` vs `\1`).

pub mod counts;
pub mod dashboard;
pub mod insights;
mod minute;
pub mod view;

use crate::ingest::rules::{DYNAMODB_DATA, READ_EXACT, READ_PREFIXES, S3_DATA};

/// The SQL engine a query is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Amazon Athena (Trino).
    Athena,
    /// Spark SQL (EMR, Glue, Databricks).
    Spark,
    /// DuckDB.
    DuckDb,
}

impl Dialect {
    /// `--engine` value → dialect.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "athena" | "trino" => Some(Dialect::Athena),
            "spark" => Some(Dialect::Spark),
            "duckdb" => Some(Dialect::DuckDb),
            _ => None,
        }
    }

    /// A predicate: does `expr` match the regular expression `pattern`
    /// (searched, not anchored: patterns anchor themselves)?
    fn matches(self, expr: &str, pattern: &str) -> String {
        let p = self.string(pattern);
        match self {
            Dialect::Athena => format!("regexp_like({expr}, {p})"),
            Dialect::Spark => format!("({expr} RLIKE {p})"),
            Dialect::DuckDb => format!("regexp_matches({expr}, {p})"),
        }
    }

    /// `expr` as text: booleans become `true`/`false` in all three.
    fn as_text(self, expr: &str) -> String {
        match self {
            Dialect::Spark => format!("CAST({expr} AS string)"),
            Dialect::Athena | Dialect::DuckDb => format!("CAST({expr} AS varchar)"),
        }
    }

    /// A string literal. Spark SQL unescapes backslashes in literals and takes
    /// `\'` for a quote; Trino and DuckDB double the quote and keep backslashes.
    pub fn string(self, s: &str) -> String {
        match self {
            Dialect::Spark => {
                let mut out = String::with_capacity(s.len() + 2);
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                out
            }
            Dialect::Athena | Dialect::DuckDb => format!("'{}'", s.replace('\'', "''")),
        }
    }
}

/// A table name as given to `--table`: one to three dot-separated SQL
/// identifiers (`[catalog.][database.]table`) of letters, digits and `_`, not
/// starting with a digit. Anything else is refused, so the name cannot change
/// the meaning of the query.
pub fn check_table_name(name: &str) -> Result<(), String> {
    let parts: Vec<&str> = name.split('.').collect();
    let ok_part = |p: &str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if parts.len() > 3 || !parts.iter().all(|p| ok_part(p)) {
        return Err(format!(
            "table name {name:?} is not [catalog.][database.]table made of letters, digits and _"
        ));
    }
    Ok(())
}

/// What the events CTE chain carries besides the counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Only the counts columns.
    Counts,
    /// Also `identity` and `user_agent` (attributions).
    Attributes,
    /// Also the event's own fields (the events query).
    Events,
}

fn list(d: Dialect, names: &[&str]) -> String {
    names
        .iter()
        .map(|n| d.string(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ingest's category rule (`ingest/to_event.rs`, `rules::infer_category`), on the
/// table's columns. `managementEvent` is not a column of AWS's Athena table, so
/// a record with neither `eventCategory` nor a known data API is Management
/// here even when its `managementEvent` says `false` (see README).
fn category(d: Dialect) -> String {
    format!(
        "CASE WHEN eventcategory = 'Management' THEN 'Management' \
         WHEN eventcategory = 'Data' THEN 'Data' \
         WHEN eventcategory IS NOT NULL THEN 'Other' \
         WHEN eventtype = 'AwsVpceEvent' THEN 'Other' \
         WHEN eventsource = 's3.amazonaws.com' AND eventname IN ({s3}) THEN 'Data' \
         WHEN eventsource = 'lambda.amazonaws.com' AND eventname LIKE 'Invoke%' THEN 'Data' \
         WHEN eventsource = 'dynamodb.amazonaws.com' AND eventname IN ({ddb}) THEN 'Data' \
         ELSE 'Management' END",
        s3 = list(d, S3_DATA),
        ddb = list(d, DYNAMODB_DATA),
    )
}

/// `readOnly` as ingest reads it: the boolean, or the strings `true`/`false` in
/// any case (Athena's column is a string), else inferred from the verb.
fn read_only(d: Dialect) -> String {
    let prefixes = READ_PREFIXES.join("|");
    let exact = READ_EXACT.join("|");
    let inferred = d.matches("eventname", &format!("^({prefixes})([A-Z]|$)|^({exact})$"));
    format!(
        "CASE lower({text}) WHEN 'true' THEN true WHEN 'false' THEN false ELSE {inferred} END",
        text = d.as_text("readonly")
    )
}

/// Ingest's identity rule: an assumed role's ARN without its session name,
/// else the ARN, else `invokedBy`, else `type/principalId` (or whichever of
/// the two exists), else ''.
fn identity(d: Dialect) -> String {
    // Five ':'-separated ARN fields, then `assumed-role/<Role>/`.
    let assumed = "^([^:]*:[^:]*:[^:]*:[^:]*:[^:]*:assumed-role/[^/]*)/";
    format!(
        "CASE WHEN coalesce(useridentity.arn, '') <> '' THEN \
         (CASE WHEN {is_assumed} THEN regexp_extract(useridentity.arn, {pattern}, 1) ELSE useridentity.arn END) \
         WHEN coalesce(useridentity.invokedby, '') <> '' THEN useridentity.invokedby \
         WHEN coalesce(useridentity.type, '') <> '' AND coalesce(useridentity.principalid, '') <> '' \
         THEN concat(useridentity.type, '/', useridentity.principalid) \
         ELSE coalesce(nullif(useridentity.type, ''), useridentity.principalid, '') END",
        is_assumed = d.matches("useridentity.arn", assumed),
        pattern = d.string(assumed),
    )
}

/// The key ingest deduplicates by: a UUID in any letter case is one key
/// (`rules::event_key` parses it); another string is itself; no `eventID`
/// (NULL here) keeps the event (ingest keys it by its bytes, see README).
fn dedup_key(d: Dialect) -> String {
    let uuid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    format!(
        "CASE WHEN {} THEN lower(eventid) ELSE nullif(eventid, '') END",
        d.matches("eventid", uuid)
    )
}

/// The CTE chain ending in `events`: one row per deduplicated event with
/// `account, region, event_source, event_name, event_category, read_only,
/// error_code, minute` (plus the columns of `detail`). Written as the body of
/// a `WITH` clause (no leading `WITH`, no trailing comma).
pub(crate) fn events_ctes(d: Dialect, table: &str, detail: Detail) -> String {
    let mut extra_raw = String::new();
    let mut extra_order = String::new();
    let mut extra_out = String::new();
    if detail != Detail::Counts {
        extra_raw.push_str(&format!(
            ",\n    {} AS identity,\n    coalesce(useragent, '') AS user_agent",
            identity(d)
        ));
        extra_order.push_str(", identity, user_agent");
        extra_out.push_str(", identity, user_agent");
    }
    if detail == Detail::Events {
        extra_raw.push_str(
            ",\n    eventid AS event_id,\n    eventtime AS event_time,\n    \
             coalesce(sourceipaddress, '') AS source_ip_address",
        );
        extra_order.push_str(", event_time, event_id, source_ip_address");
        extra_out.push_str(", event_id, event_time, source_ip_address");
    }
    let order = format!(
        "minute, account, region, event_source, event_name, event_category, read_only, error_code{extra_order}"
    );
    format!(
        "raw AS (\n  SELECT\n    trim(eventtime) AS t,\n    {dedup} AS dedup_key,\n    \
         coalesce(nullif(recipientaccountid, ''), nullif(useridentity.accountid, ''), '') AS account,\n    \
         coalesce(awsregion, '') AS region,\n    coalesce(eventsource, '') AS event_source,\n    \
         eventname AS event_name,\n    {category} AS event_category,\n    \
         {read_only} AS read_only,\n    coalesce(errorcode, '') AS error_code{extra_raw}\n  \
         FROM {table}\n  WHERE eventname <> '' AND eventtime IS NOT NULL\n    \
         AND coalesce(eventtype, '') <> 'AwsCloudTrailInsight' AND coalesce(eventcategory, '') <> 'Insight'\n    \
         AND coalesce(eventtype, '') <> 'AwsAggregatedEvent' AND coalesce(eventcategory, '') <> 'Aggregated'\n),\n\
         {minute},\n\
         ranked AS (\n  SELECT *, row_number() OVER (PARTITION BY dedup_key ORDER BY {order}) AS copy_rank\n  FROM timed\n),\n\
         events AS (\n  SELECT account, region, event_source, event_name, event_category, read_only, error_code, minute{extra_out}\n  \
         FROM ranked\n  WHERE dedup_key IS NULL OR copy_rank = 1\n)",
        dedup = dedup_key(d),
        category = category(d),
        read_only = read_only(d),
        minute = minute::ctes(d),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_literals_escape_backslashes_and_quotes() {
        assert_eq!(Dialect::Spark.string(r"a'b\c"), r"'a\'b\\c'");
        assert_eq!(Dialect::Athena.string(r"a'b\c"), r"'a''b\c'");
        assert_eq!(Dialect::DuckDb.string("it's"), "'it''s'");
    }

    #[test]
    fn table_names_are_identifiers_only() {
        assert!(check_table_name("cloudtrail_logs").is_ok());
        assert!(check_table_name("awsdatacatalog.security.cloudtrail_logs").is_ok());
        for bad in [
            "",
            "a b",
            "t; DROP TABLE x",
            "a.b.c.d",
            "1abc",
            "a..b",
            "t--",
        ] {
            assert!(check_table_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_dialect_names_the_table_once() {
        for d in [Dialect::Athena, Dialect::Spark, Dialect::DuckDb] {
            let q = events_ctes(d, "my_logs", Detail::Events);
            assert_eq!(q.matches("FROM my_logs").count(), 1);
        }
    }
}
