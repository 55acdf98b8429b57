//! Every input shape the ingest core reads, and the field rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use serde_json::json;
use trailsight::ingest::{parse_bytes, read_event_json, Batch, DatasetBuilder, Limits};
use trailsight::model::{Category, Dataset, Interner};

fn load(name: &str, bytes: &[u8]) -> (Dataset, trailsight::ingest::LoadReport) {
    let batch = parse_bytes(0, name, bytes, &Limits::default());
    reconciled(&batch.report);
    let mut b = DatasetBuilder::new();
    b.add(name.into(), batch);
    let (ds, r) = b.finish();
    reconciled(&r);
    (ds, r)
}

fn names(ds: &Dataset) -> Vec<&str> {
    ds.events
        .iter()
        .map(|e| ds.strings.resolve(e.name))
        .collect()
}

fn three() -> Vec<serde_json::Value> {
    vec![
        event(1, "2024-01-01T00:00:02Z", "RunInstances"),
        event(2, "2024-01-01T00:00:01Z", "DescribeInstances"),
        event(3, "2024-01-01T00:00:03Z", "StopInstances"),
    ]
}

#[test]
fn records_wrapper_plain_and_gzip_detected_by_magic() {
    let plain = records(&three());
    let (a, ra) = load("x.json", &plain);
    // Named .json but gzipped: detected by its bytes, not its name.
    let (b, rb) = load("x.json", &gzip(&plain));
    assert_eq!(ra.events, 3);
    assert_eq!((ra.files, ra.files_seen), (1, 1));
    assert_eq!(
        names(&a),
        ["DescribeInstances", "RunInstances", "StopInstances"],
        "sorted by time"
    );
    assert_eq!(a.events, b.events);
    assert_eq!(rb.events, 3);
    assert_eq!(a.inputs, vec!["x.json".to_string()]);
}

#[test]
fn bare_array_jsonl_concatenated_and_single_object() {
    let evs = three();
    let array = serde_json::to_vec_pretty(&evs).unwrap();
    let lines: Vec<u8> = evs
        .iter()
        .flat_map(|e| {
            let mut l = serde_json::to_vec(e).unwrap();
            l.extend_from_slice(b"\r\n");
            l
        })
        .collect();
    let pretty_seq: Vec<u8> = evs
        .iter()
        .flat_map(|e| serde_json::to_vec_pretty(e).unwrap())
        .collect();
    let single = serde_json::to_vec(&evs[0]).unwrap();
    for (what, bytes, n) in [
        ("array", array, 3),
        ("lines", lines, 3),
        ("sequence", pretty_seq, 3),
        ("single", single, 1),
    ] {
        let (ds, r) = load(what, &bytes);
        assert_eq!(r.events, n, "{what}");
        assert_eq!(r.bad_records, 0, "{what}: {r:?}");
        // Every origin points at exactly that event's JSON.
        for e in &ds.events {
            let text = read_event_json(
                std::io::Cursor::new(&bytes),
                what,
                &e.origin,
                &Limits::default(),
            )
            .unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["eventName"], ds.strings.resolve(e.name), "{what}");
        }
    }
}

#[test]
fn lookup_events_output_with_embedded_strings() {
    let evs = three();
    let items: Vec<_> = evs
        .iter()
        .map(|e| {
            json!({"EventId": e["eventID"], "EventName": e["eventName"], "EventTime": 1424476529.0,
                        "CloudTrailEvent": serde_json::to_string(e).unwrap(), "Resources": []})
        })
        .collect();
    let doc = serde_json::to_vec(&json!({"NextToken": "abc", "Events": items})).unwrap();
    let (ds, r) = load("lookup.json", &doc);
    assert_eq!(r.events, 3);
    let e = &ds.events.at(0);
    assert!(e.origin.embedded);
    let text = read_event_json(
        std::io::Cursor::new(&doc),
        "lookup.json",
        &e.origin,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        evs[1]
    );
}

#[test]
fn field_rules() {
    let mut old = json!({"eventVersion": "1.0", "eventTime": "2014-03-06T21:22:54Z", "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject", "awsRegion": "us-east-2", "eventID": "not-a-uuid",
        "userIdentity": {"type": "AWSService", "invokedBy": "cloudtrail.amazonaws.com"}});
    let mut iam_user = event(7, "2024-02-01T00:00:00.5Z", "CreateUser");
    iam_user["userIdentity"] = json!({"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"});
    iam_user["errorCode"] = json!("AccessDenied");
    iam_user
        .as_object_mut()
        .unwrap()
        .remove("recipientAccountId");
    let mut unknown = event(8, "2024-02-01 00:00:01", "PutObject");
    unknown["userIdentity"] = json!({"type": "Unknown", "principalId": "ANON"});
    unknown.as_object_mut().unwrap().remove("eventCategory");
    unknown["managementEvent"] = json!(false);
    unknown["readOnly"] = json!("false");
    old["recipientAccountId"] = serde_json::Value::Null;
    let bytes = records(&[
        old,
        iam_user,
        unknown,
        event(9, "2024-02-01T00:00:02Z", "DescribeVpcs"),
    ]);
    let name = "AWSLogs/999988887777/CloudTrail/us-east-2/2014/03/06/f.json";
    let (ds, r) = load(name, &bytes);
    assert_eq!(r.events, 4);
    let s = |sym| ds.strings.resolve(sym);
    let [old, user, unknown, role] = [
        &ds.events.at(0),
        &ds.events.at(1),
        &ds.events.at(2),
        &ds.events.at(3),
    ];
    // Old record: no readOnly → inferred from the verb; no category fields → S3 object API is data.
    assert!(old.read_only && old.read_only_inferred);
    assert_eq!(old.category, Category::Data);
    assert_eq!(s(old.identity), "cloudtrail.amazonaws.com");
    assert_eq!(
        s(old.account),
        "999988887777",
        "account from the AWSLogs path"
    );
    assert_eq!(old.id, trailsight::ingest::event_key("not-a-uuid"));
    assert_eq!(old.time_ms, 1_394_140_974_000);
    assert_eq!(s(old.event_type), "");
    assert_eq!(old.error_code, Interner::EMPTY);
    // IAM user with an error, account from userIdentity, fractional seconds.
    assert_eq!(s(user.identity), "arn:aws:iam::111122223333:user/alice");
    assert_eq!(s(user.error_code), "AccessDenied");
    assert_eq!(s(user.account), "111122223333");
    assert_eq!(user.time_ms % 1000, 500);
    assert!(!user.read_only && !user.read_only_inferred);
    // No arn, no invokedBy: type/principalId; managementEvent=false → data; readOnly as a string.
    assert_eq!(s(unknown.identity), "Unknown/ANON");
    assert_eq!(unknown.category, Category::Data);
    assert!(!unknown.read_only && !unknown.read_only_inferred);
    // Assumed role: the session name is dropped.
    assert_eq!(
        s(role.identity),
        "arn:aws:sts::111122223333:assumed-role/Admin"
    );
    assert_eq!(role.category, Category::Management);
    assert_eq!(role.id, 0x00000009_0000_4000_8000_000000000000);
    assert_eq!(s(role.source_ip), "203.0.113.7");
    assert_eq!(s(role.user_agent), "aws-cli/2.0");
    assert_eq!(s(role.event_type), "AwsApiCall");
}

#[test]
fn digest_insight_and_foreign_json_are_skipped_with_reasons() {
    let digest =
        br#"{"awsAccountId":"1","digestStartTime":"2015","digestEndTime":"2015","logFiles":[]}"#;
    let (_, r) = load("digest.json", digest);
    assert_eq!(r.skipped_files.len(), 1);
    assert!(r.skipped_files[0].reason.contains("digest"), "{r:?}");
    let (_, r) = load(
        "AWSLogs/1/CloudTrail-Digest/us-east-1/2015/08/17/x.json.gz",
        b"not even read",
    );
    assert!(r.skipped_files[0].reason.contains("digest"));

    let insight = json!({"eventVersion":"1.07","eventTime":"2024-01-02T00:00:00Z","eventType":"AwsCloudTrailInsight",
        "eventCategory":"Insight","eventName":"RunInstances","eventID":"x"});
    let (ds, r) = load("insight.json", &records(&[insight]));
    assert_eq!((r.events, r.records, r.aws_insight_records), (0, 0, 1));
    assert_eq!(ds.aws_insights.len(), 1);
    assert!(r.skipped_files[0].reason.contains("CloudTrail-Insight"));

    for (what, doc) in [
        ("config", &br#"{"configurationItems":[{"a":1}]}"#[..]),
        ("array", br#"[{"a":1},{"b":2}]"#),
        ("text", b"hello world"),
        ("binary", b"\x00\x01\x02\xff\xfe"),
        ("empty", b"   \n"),
        ("emptyrecords", br#"{"Records":[]}"#),
    ] {
        let (_, r) = load(what, doc);
        assert_eq!(
            (r.files_seen, r.files, r.records, r.bad_records),
            (1, 0, 0, 0),
            "{what}: {r:?}"
        );
        assert_eq!(r.skipped_files.len(), 1, "{what}");
        eprintln!("{what}: {}", r.skipped_files[0].reason);
    }
}

#[test]
fn duplicates_within_and_across_inputs_and_order_independence() {
    let a = records(&[
        event(1, "2024-01-01T00:00:00Z", "A"),
        event(2, "2024-01-01T00:00:01Z", "B"),
        event(1, "2024-01-01T00:00:00Z", "A"),
    ]);
    let b = records(&[
        event(2, "2024-01-01T00:00:01Z", "B"),
        event(3, "2024-01-01T00:00:02Z", "C"),
    ]);
    let batches = |order: &[usize]| {
        let all = [("a.json", &a), ("b.json", &b)];
        let mut builder = DatasetBuilder::new();
        for &i in order {
            let (name, bytes) = all[i];
            builder.add(
                name.into(),
                parse_bytes(i as u32, name, bytes, &Limits::default()),
            );
        }
        builder.finish()
    };
    let (d1, r1) = batches(&[0, 1]);
    let (d2, r2) = batches(&[1, 0]);
    reconciled(&r1);
    assert_eq!((r1.records, r1.events, r1.duplicates), (5, 3, 2));
    assert_eq!(r1, r2);
    assert_eq!(d1.events, d2.events);
    assert_eq!(d1.inputs, d2.inputs);
    assert_eq!(
        d1.strings.strings().collect::<Vec<_>>(),
        d2.strings.strings().collect::<Vec<_>>()
    );
    // The copy from the earliest input wins.
    assert_eq!(d1.events.at(1).origin.input, 0);
}

#[test]
fn batch_survives_a_serde_round_trip() {
    let batch: Batch = parse_bytes(0, "x", &records(&three()), &Limits::default());
    let text = serde_json::to_string(&batch).unwrap();
    let mut back: Batch = serde_json::from_str(&text).unwrap();
    back.strings.rebuild_index();
    let mut b = DatasetBuilder::new();
    b.add("x".into(), back);
    assert_eq!(b.finish().1.events, 3);
}
