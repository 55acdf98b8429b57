//! The DuckDB view over raw CloudTrail files with the columns and types of
//! AWS's Athena table (`trailsight sql duckdb-view`): lower-case names,
//! `eventtime` and `readonly` strings, `useridentity` a struct. The JSON types
//! are given, not detected: DuckDB's detection would make `eventTime` a
//! `TIMESTAMP` (then read in the session's time zone) and drop a field that no
//! sampled record has; and DuckDB matches JSON keys case-sensitively, so the
//! struct names AWS's spellings and the view renames them.

use super::Dialect;

/// `userIdentity` with the fields Trailsight reads (and a few more).
const IDENTITY: &str = "STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, \
     invokedBy VARCHAR, accessKeyId VARCHAR, userName VARCHAR)";

/// (Athena column, JSON key, DuckDB type): the Athena table's columns the
/// queries read, plus the common text ones.
pub const COLUMNS: &[(&str, &str, &str)] = &[
    ("eventversion", "eventVersion", "VARCHAR"),
    ("useridentity", "userIdentity", IDENTITY),
    ("eventtime", "eventTime", "VARCHAR"),
    ("eventsource", "eventSource", "VARCHAR"),
    ("eventname", "eventName", "VARCHAR"),
    ("awsregion", "awsRegion", "VARCHAR"),
    ("sourceipaddress", "sourceIPAddress", "VARCHAR"),
    ("useragent", "userAgent", "VARCHAR"),
    ("errorcode", "errorCode", "VARCHAR"),
    ("errormessage", "errorMessage", "VARCHAR"),
    ("requestparameters", "requestParameters", "VARCHAR"),
    ("responseelements", "responseElements", "VARCHAR"),
    ("additionaleventdata", "additionalEventData", "VARCHAR"),
    ("requestid", "requestID", "VARCHAR"),
    ("eventid", "eventID", "VARCHAR"),
    ("eventtype", "eventType", "VARCHAR"),
    ("apiversion", "apiVersion", "VARCHAR"),
    ("readonly", "readOnly", "VARCHAR"),
    ("recipientaccountid", "recipientAccountId", "VARCHAR"),
    ("serviceeventdetails", "serviceEventDetails", "VARCHAR"),
    ("sharedeventid", "sharedEventID", "VARCHAR"),
    ("vpcendpointid", "vpcEndpointId", "VARCHAR"),
    ("eventcategory", "eventCategory", "VARCHAR"),
];

/// `CREATE OR REPLACE VIEW table AS …` over the `{"Records":[…]}` files
/// matching `files` (a DuckDB glob or path; `.json.gz` is read too).
/// Objects up to 64 MiB: CloudTrail files hold up to 50 MB before compression,
/// past DuckDB's 16 MiB default.
pub fn duckdb_view(table: &str, files: &str) -> String {
    let record = COLUMNS
        .iter()
        .map(|(_, key, ty)| format!("{key} {ty}"))
        .collect::<Vec<_>>()
        .join(", ");
    let select = COLUMNS
        .iter()
        .map(|(name, key, _)| format!("r.{key} AS {name}"))
        .collect::<Vec<_>>()
        .join(",\n  ");
    format!(
        "CREATE OR REPLACE VIEW {table} AS\nSELECT\n  {select}\nFROM (\n  SELECT unnest(Records) AS r\n  \
         FROM read_json({files}, columns = {{'Records': 'STRUCT({record})[]'}},\n    \
         maximum_object_size = 67108864)\n);\n",
        files = Dialect::DuckDb.string(files),
    )
}
