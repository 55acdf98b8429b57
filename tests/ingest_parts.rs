//! `ingest::parse_reader_part`: the parts of a `.zip` shared by several web
//! workers merge into exactly what one whole read gives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::io::{Cursor, Write};
use trailsight::ingest::{parse_bytes, parse_reader_part, DatasetBuilder, Limits};

fn record(i: usize) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T10:{:02}:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","eventID":"00000000-0000-4000-8000-{:012}","eventType":"AwsApiCall","readOnly":false,"recipientAccountId":"111122223333","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}}}}"#,
        i % 60,
        i
    )
}

/// A zip of `entries` files (plus one directory), 10 records each; the last
/// file repeats the first one's records (duplicates across parts).
fn zip(entries: usize) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    z.add_directory("AWSLogs/", opts).unwrap();
    for e in 0..entries {
        let first = if e + 1 == entries { 0 } else { e * 10 };
        let recs: Vec<String> = (first..first + 10).map(record).collect();
        z.start_file(format!("AWSLogs/f{e}.json"), opts).unwrap();
        z.write_all(format!(r#"{{"Records":[{}]}}"#, recs.join(",")).as_bytes())
            .unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn merged(
    batches: Vec<trailsight::ingest::Batch>,
) -> (trailsight::model::Dataset, trailsight::ingest::LoadReport) {
    let mut b = DatasetBuilder::new();
    for batch in batches {
        b.add("logs.zip".into(), batch);
    }
    b.finish()
}

#[test]
fn zip_parts_merge_to_the_whole() {
    let bytes = zip(7);
    let limits = Limits::default();
    let (whole, whole_report) = merged(vec![parse_bytes(0, "logs.zip", &bytes, &limits)]);
    assert_eq!(whole_report.events, 60);
    assert_eq!(whole_report.duplicates, 10);
    for parts in [2u32, 3, 8] {
        let batches = (0..parts)
            .map(|p| parse_reader_part(0, "logs.zip", Cursor::new(&bytes[..]), &limits, p, parts))
            .collect();
        let (ds, report) = merged(batches);
        assert_eq!(report, whole_report, "{parts} parts");
        assert_eq!(ds.events, whole.events, "{parts} parts");
    }
}

#[test]
fn non_zip_inputs_are_read_by_part_zero_only() {
    let json = format!(r#"{{"Records":[{},{}]}}"#, record(1), record(2));
    let limits = Limits::default();
    let batches: Vec<_> = (0..3)
        .map(|p| parse_reader_part(0, "a.json", Cursor::new(json.as_bytes()), &limits, p, 3))
        .collect();
    assert_eq!(batches[0].events.len(), 2);
    assert!(batches[1].events.is_empty() && batches[2].events.is_empty());
    let (_, report) = merged(batches);
    assert_eq!(
        (report.events, report.files_seen, report.duplicates),
        (2, 1, 0)
    );
}
