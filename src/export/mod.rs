//! Insights out, for the CLI and the dashboard's downloads alike: the records
//! as JSON Lines, the same records in EventBridge envelopes ([`eventbridge`]),
//! AWS's `CloudTrail-Insight` S3 layout (`{"Records":[…]}` gzip objects) for
//! `--out` and, zipped ([`s3_zip`]), for downloads, and the Insights list as
//! CSV ([`csv`]). [`build`] makes the file of one [`ExportKind`].
//!
//! All are deterministic: records are sorted by `eventTime` then `eventID`,
//! object names are derived from their contents, and gzip headers and zip
//! entries carry no timestamp.

pub mod csv;
pub mod eventbridge;
pub mod s3_zip;

use crate::model::Insight;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use uuid::Uuid;

/// Namespace for object-name unique strings (uuid v5 of the records' IDs).
const NAME_NAMESPACE: Uuid = Uuid::from_u128(0x1f3e_7a21_c4d6_4b88_a0e2_9d5c_6b7f_3e10);

/// Export formats (the dashboard's download buttons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    /// `.zip` in AWS's `AWSLogs/<acct>/CloudTrail-Insight/<region>/YYYY/MM/DD/` layout.
    S3Zip,
    /// One Insights event record per line.
    JsonLines,
    /// The Insights list as CSV.
    Csv,
    /// One EventBridge event per line (`detail` = the Insights record).
    EventBridge,
}

/// One export file, ready to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub file_name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// The file of `kind` for `insights`.
pub fn build(kind: ExportKind, insights: &[Insight]) -> Result<ExportFile, String> {
    let (file_name, mime, bytes) = match kind {
        ExportKind::S3Zip => (
            "trailsight-insights.zip",
            "application/zip",
            s3_zip::s3_zip(insights)?,
        ),
        ExportKind::JsonLines => (
            "trailsight-insights.jsonl",
            "application/x-ndjson",
            json_lines(insights).into_bytes(),
        ),
        ExportKind::EventBridge => (
            "trailsight-insights-eventbridge.jsonl",
            "application/x-ndjson",
            eventbridge_lines(insights).into_bytes(),
        ),
        ExportKind::Csv => (
            "trailsight-insights.csv",
            "text/csv",
            csv::csv(insights).into_bytes(),
        ),
    };
    Ok(ExportFile {
        file_name: file_name.into(),
        mime: mime.into(),
        bytes,
    })
}

/// One record: (minute, eventID, account, region, json).
struct Rec<'a> {
    minute: i64,
    id: &'a str,
    account: &'a str,
    region: &'a str,
    json: &'a str,
}

fn sorted_records(insights: &[Insight]) -> Vec<Rec<'_>> {
    let mut recs: Vec<Rec> = insights
        .iter()
        .flat_map(|i| {
            [
                (i.start_minute, &i.start_event_id, &i.start_record_json),
                (i.end_minute, &i.end_event_id, &i.end_record_json),
            ]
            .into_iter()
            .map(move |(minute, id, json)| Rec {
                minute,
                id,
                account: &i.key.account,
                region: &i.key.region,
                json,
            })
        })
        .collect();
    recs.sort_by(|a, b| a.minute.cmp(&b.minute).then_with(|| a.id.cmp(b.id)));
    recs
}

/// All records (Start and End), sorted by `eventTime` then `eventID`, one per line.
pub fn json_lines(insights: &[Insight]) -> String {
    let mut out = String::new();
    for r in sorted_records(insights) {
        out.push_str(r.json);
        out.push('\n');
    }
    out
}

/// All records as [`json_lines`] orders them, each in its EventBridge
/// envelope (`detail-type` "AWS Insight via CloudTrail"), one per line.
pub fn eventbridge_lines(insights: &[Insight]) -> String {
    let mut out = String::new();
    for r in sorted_records(insights) {
        let time = crate::format::record_time(r.minute);
        out.push_str(&eventbridge::envelope(
            r.id, r.account, r.region, &time, r.json,
        ));
        out.push('\n');
    }
    out
}

/// 16 characters from `[A-Za-z0-9]`, derived from the IDs of a file's records.
fn unique_string(ids: &[&str]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bits = Uuid::new_v5(&NAME_NAMESPACE, ids.join(",").as_bytes()).as_u128();
    (0..16)
        .map(|i| ALPHABET[((bits >> (i * 7)) % ALPHABET.len() as u128) as usize] as char)
        .collect()
}

/// Gzip of `bytes` with a fixed header (no timestamp, no name).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// AWS's S3 layout for the records: one object per account, Region and record
/// minute (Start and End are delivered separately, as AWS may do), named
/// `AWSLogs/<acct>/CloudTrail-Insight/<region>/YYYY/MM/DD/<acct>_CloudTrail-Insight_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`.
pub fn s3_objects(insights: &[Insight]) -> Vec<(String, Vec<u8>)> {
    let mut groups: BTreeMap<(&str, &str, i64), Vec<Rec>> = BTreeMap::new();
    for r in sorted_records(insights) {
        groups
            .entry((r.account, r.region, r.minute))
            .or_default()
            .push(r);
    }
    groups
        .into_iter()
        .map(|((account, region, minute), recs)| {
            let stamp = crate::format::record_time(minute); // YYYY-MM-DDTHH:MM:00Z
            let (date, hhmm) = (&stamp[0..10], format!("{}{}", &stamp[11..13], &stamp[14..16]));
            let folder = date.replace('-', "/");
            let ids: Vec<&str> = recs.iter().map(|r| r.id).collect();
            let name = format!(
                "AWSLogs/{account}/CloudTrail-Insight/{region}/{folder}/{account}_CloudTrail-Insight_{region}_{}T{hhmm}Z_{}.json.gz",
                date.replace('-', ""),
                unique_string(&ids)
            );
            let body = format!("{{\"Records\":[{}]}}", recs.iter().map(|r| r.json).collect::<Vec<_>>().join(","));
            (name, gzip(body.as_bytes()))
        })
        .collect()
}
