//! `eventTime` text → minute since the Unix epoch, in SQL, exactly as ingest's
//! `rules::parse_time` reads it: `YYYY-MM-DD`, `T` (or `t` or a space),
//! `HH:MM:SS`, optional fraction, then `Z`, `±HH:MM`, `±HHMM`, `±HH` or
//! nothing (UTC); impossible dates (Feb 30), hours past 23, minutes past 59,
//! seconds past 60 and zone offsets past 23:59 are bad records, dropped here.
//!
//! Integer arithmetic on the digits (Howard Hinnant's `days_from_civil`, as
//! `rules::days_from_civil`) instead of timestamp functions: the same answer in
//! every dialect, independent of the session time zone, and a malformed value
//! (`try_cast` after a full pattern match) can never fail the query.
//! Divisions are `floor(CAST(x AS double) / n)`: `/` is integer division in
//! Trino, decimal for `400.0`, and floating point in Spark and DuckDB; doubles
//! hold these integers exactly.

use super::Dialect;

/// The whole `eventTime` grammar ingest accepts (after trimming).
const PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$";

/// `floor(x / n)` in every dialect.
fn div(x: &str, n: u32) -> String {
    format!("floor(CAST({x} AS double) / {n})")
}

/// The CTEs `parts`, `zoned` and `timed` (reading `raw.t`, the trimmed
/// `eventTime`); `timed` has every column of `raw` plus `minute`, and only the
/// rows whose `eventTime` ingest accepts.
pub(super) fn ctes(d: Dialect) -> String {
    let digits = |from: u32, len: u32| format!("try_cast(substr(t, {from}, {len}) AS bigint)");
    let parts = format!(
        "parts AS (\n  SELECT *, {y} AS y, {mo} AS mo, {dd} AS dd, {h} AS h, {mi} AS mi, {s} AS s,\n    \
         regexp_replace(substr(t, 20), '^[.][0-9]+', '') AS z\n  FROM raw\n  WHERE {matches}\n)",
        y = digits(1, 4),
        mo = digits(6, 2),
        dd = digits(9, 2),
        h = digits(12, 2),
        mi = digits(15, 2),
        s = digits(18, 2),
        matches = d.matches("t", PATTERN),
    );
    // z is '', 'Z', 'z', '+HH', '+HHMM' or '+HH:MM' (the pattern allows no other).
    let zoned = "zoned AS (\n  SELECT *,\n    \
         CASE WHEN length(z) >= 3 THEN try_cast(substr(z, 2, 2) AS bigint) ELSE 0 END AS zh,\n    \
         CASE length(z) WHEN 6 THEN try_cast(substr(z, 5, 2) AS bigint) \
         WHEN 5 THEN try_cast(substr(z, 4, 2) AS bigint) ELSE 0 END AS zm,\n    \
         CASE WHEN substr(z, 1, 1) = '-' THEN -1 ELSE 1 END AS zs,\n    \
         CASE WHEN mo <= 2 THEN y - 1 ELSE y END AS cy\n  FROM parts\n)"
        .to_string();
    let leap = "((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0)";
    let days_in_month = format!(
        "CASE WHEN mo = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) \
         WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    );
    // days_from_civil: era, year of era, day of year (from March), day of era.
    let era = div("cy", 400);
    let yoe = format!("(cy - {era} * 400)");
    let doy = format!("({} + dd - 1)", div("153 * ((mo + 9) % 12) + 2", 5));
    let doe = format!(
        "({yoe} * 365 + {} - {} + {doy})",
        div(&yoe, 4),
        div(&yoe, 100)
    );
    let days = format!("({era} * 146097 + {doe} - 719468)");
    // A leap second (:60) counts in the next minute, as seconds since the epoch do.
    let timed = format!(
        "timed AS (\n  SELECT *,\n    CAST({days} * 1440 + h * 60 + mi - zs * (zh * 60 + zm) \
         + (CASE WHEN s = 60 THEN 1 ELSE 0 END) AS bigint) AS minute\n  FROM zoned\n  \
         WHERE mo BETWEEN 1 AND 12 AND dd BETWEEN 1 AND {days_in_month}\n    \
         AND h <= 23 AND mi <= 59 AND s <= 60 AND zh <= 23 AND zm <= 59\n)"
    );
    format!("{parts},\n{zoned},\n{timed}")
}
