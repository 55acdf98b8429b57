//! Shared fixture builders for the ingest tests: CloudTrail records, gzip, zip
//! and tar archives built in memory (no binary fixtures in the repo).
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::Write;
use trailsight::ingest::LoadReport;

/// A management event with a UUID eventID derived from `n`.
pub fn event(n: u32, time: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLE:session",
            "arn": "arn:aws:sts::111122223333:assumed-role/Admin/session-1",
            "accountId": "111122223333",
            "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/Admin"}}
        },
        "eventTime": time,
        "eventSource": "ec2.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.7",
        "userAgent": "aws-cli/2.0",
        "requestParameters": {"instancesSet": {"items": [{"instanceId": "i-1"}]}},
        "responseElements": null,
        "eventID": uuid(n),
        "readOnly": name.starts_with("Describe"),
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

pub fn uuid(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-000000000000")
}

pub fn records(events: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "Records": events })).unwrap()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// The invariants every report must satisfy.
pub fn reconciled(r: &LoadReport) {
    assert_eq!(
        r.records,
        r.events + r.duplicates + r.bad_records,
        "records reconcile: {r:#?}"
    );
    assert_eq!(
        r.files_seen,
        r.files + r.skipped_files.len() as u64,
        "files reconcile: {r:#?}"
    );
}

/// A small S3-layout tree: two accounts (one via an organisation trail), a
/// digest and an Insights file, 31 records, 2 eventIDs repeated across files.
pub fn tree() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for f in 0..3u32 {
        let evs: Vec<Value> = (0..10)
            .map(|i| {
                event(
                    f * 9 + i,
                    &format!("2024-01-0{}T10:{:02}:00Z", f + 1, i),
                    "RunInstances",
                )
            })
            .collect();
        let path = format!(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/0{d}/111122223333_CloudTrail_us-east-1_2024010{d}T1000Z_abc{f}.json.gz",
            d = f + 1
        );
        files.push((path, gzip(&records(&evs))));
    }
    let mut org = event(100, "2024-01-02T00:00:00.123Z", "CreateUser");
    org["recipientAccountId"] = json!("222233334444");
    org["awsRegion"] = json!("eu-west-1");
    files.push((
        "AWSLogs/o-abc123/222233334444/CloudTrail/eu-west-1/2024/01/02/x.json.gz".into(),
        gzip(&records(&[org])),
    ));
    files.push((
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/02/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240102T000000Z.json.gz".into(),
        gzip(br#"{"awsAccountId":"111122223333","digestStartTime":"x","logFiles":[]}"#),
    ));
    let insight = json!({"eventVersion":"1.07","eventTime":"2024-01-02T00:00:00Z","eventName":"RunInstances",
        "eventSource":"ec2.amazonaws.com","eventType":"AwsCloudTrailInsight","eventCategory":"Insight",
        "eventID":"aaaaaaaa-0000-4000-8000-000000000000","insightDetails":{"state":"Start"}});
    files.push((
        "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/02/111122223333_CloudTrail-Insight_us-east-1_20240102T0000Z_x.json.gz".into(),
        gzip(&records(&[insight])),
    ));
    files
}
