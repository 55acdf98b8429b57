//! Bad input: each case gets a specific reason, everything else still loads,
//! and the counts reconcile.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use serde_json::json;
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits, LoadReport};

fn report(name: &str, bytes: &[u8], limits: &Limits) -> LoadReport {
    let batch = parse_bytes(0, name, bytes, limits);
    reconciled(&batch.report);
    let mut b = DatasetBuilder::new();
    b.add(name.into(), batch);
    let (ds, r) = b.finish();
    reconciled(&r);
    assert_eq!(ds.events.len() as u64, r.events);
    r
}

fn reasons(r: &LoadReport) -> Vec<String> {
    r.bad_record_samples
        .iter()
        .map(|b| b.reason.clone())
        .collect()
}

fn kinds(r: &LoadReport) -> Vec<&str> {
    r.bad_reasons.iter().map(|(k, _)| k.as_str()).collect()
}

fn good(n: u32) -> serde_json::Value {
    event(n, "2024-01-01T00:00:00Z", "RunInstances")
}

#[test]
fn bad_records_each_have_a_reason_and_the_rest_loads() {
    let mut no_time = good(2);
    no_time.as_object_mut().unwrap().remove("eventTime");
    let mut no_name = good(3);
    no_name.as_object_mut().unwrap().remove("eventName");
    let mut redacted = good(4);
    redacted["eventTime"] = json!("redacted");
    let mut wrong = good(5);
    wrong["eventName"] = json!(42);
    let mut wrong_identity = good(6);
    wrong_identity["userIdentity"] = json!("root");
    let doc = records(&[
        good(1),
        no_time,
        no_name,
        redacted,
        wrong,
        wrong_identity,
        good(7),
        json!(17),
    ]);
    let r = report("bad.json", &doc, &Limits::default());
    assert_eq!((r.records, r.events, r.bad_records), (8, 2, 6));
    assert_eq!(
        kinds(&r),
        [
            "bad eventTime",
            "missing eventName",
            "missing eventTime",
            "not a CloudTrail record",
            "wrong field type"
        ]
    );
    let rs = reasons(&r);
    assert!(rs.iter().any(|s| s.contains("\"redacted\"")), "{rs:?}");
    assert!(
        rs.iter().any(|s| s.contains("eventName is number")),
        "{rs:?}"
    );
    assert!(
        rs.iter().any(|s| s.contains("userIdentity is string")),
        "{rs:?}"
    );
    assert_eq!(
        r.bad_record_samples
            .iter()
            .map(|b| b.record)
            .collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 7]
    );
}

#[test]
fn broken_json_lines_cost_only_themselves() {
    let mut text = Vec::new();
    text.extend(serde_json::to_vec(&good(1)).unwrap());
    text.extend(b"\n{\"eventName\": \"X\", \"eventTime\": \n");
    text.extend(b"{\"eventName\": \"Y\", \"eventTime\": \"2024-01-01T00:00:00Z\", \"eventSource\": \"\xff\xfe\"}\n");
    let huge = format!(
        "{{\"eventName\":\"Z\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"pad\":\"{}\"}}\n",
        "x".repeat(5000)
    );
    text.extend(huge.as_bytes());
    let deep = format!(
        "{{\"eventName\":\"D\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"x\":{}{}}}\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    text.extend(deep.as_bytes());
    text.extend(serde_json::to_vec(&good(2)).unwrap());
    let limits = Limits {
        max_record_bytes: 4096,
        ..Limits::default()
    };
    let r = report("lines.jsonl", &text, &limits);
    assert_eq!((r.records, r.events, r.bad_records), (6, 2, 4), "{r:#?}");
    let k = kinds(&r);
    for want in [
        "invalid UTF-8 or escape",
        "nesting too deep",
        "record too large",
        "truncated record",
    ] {
        assert!(k.contains(&want), "{want} in {k:?}");
    }
}

#[test]
fn deep_nesting_inside_a_records_array_is_one_bad_record() {
    let deep = format!(
        "{{\"Records\":[{},{{\"eventName\":\"D\",\"x\":{}{}}},{}]}}",
        serde_json::to_string(&good(1)).unwrap(),
        "[".repeat(100_000),
        "]".repeat(100_000),
        serde_json::to_string(&good(2)).unwrap()
    );
    let r = report("deep.json", deep.as_bytes(), &Limits::default());
    assert_eq!((r.records, r.events, r.bad_records), (3, 2, 1));
    assert_eq!(kinds(&r), ["nesting too deep"]);
}

#[test]
fn truncated_gzip_keeps_the_complete_records() {
    let evs: Vec<_> = (0..200).map(good).collect();
    let gz = gzip(&records(&evs));
    let cut = &gz[..gz.len() * 2 / 3];
    let r = report("cut.json.gz", cut, &Limits::default());
    assert!(r.events > 50 && r.events < 200, "{}", r.events);
    assert!(r.bad_records >= 1);
    assert!(
        kinds(&r).iter().all(|k| k.starts_with("truncated")),
        "{:?}",
        r.bad_reasons
    );
    assert_eq!(r.files, 1);
    // A gzip cut inside its header loads nothing and says why.
    let r = report("tiny.json.gz", &gz[..5], &Limits::default());
    assert_eq!(r.files, 0);
    assert!(r.skipped_files[0].reason.contains("gzip"), "{r:?}");
}

#[test]
fn decompression_bomb_is_capped_with_a_clear_error() {
    let mut doc = b"{\"Records\":[".to_vec();
    doc.extend(std::iter::repeat_n(b' ', 8 << 20));
    doc.extend(b"]}");
    let bomb = gzip(&doc);
    let limits = Limits {
        ratio_floor_bytes: 1 << 20,
        ..Limits::default()
    };
    let r = report("bomb.json.gz", &bomb, &limits);
    assert_eq!((r.files, r.events), (0, 0));
    assert!(
        r.skipped_files[0].reason.contains("decompression bomb"),
        "{r:?}"
    );
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        ..Limits::default()
    };
    // Past the absolute size per file, a file is too large, not a bomb.
    let r = report("big.json.gz", &bomb, &limits);
    let reason = &r.skipped_files[0].reason;
    assert!(
        reason.starts_with("too large: more than 1048576 bytes"),
        "{r:?}"
    );
    assert!(!reason.contains("bomb"), "{r:?}");
    let r = report("big.json", &doc, &limits);
    assert!(r.skipped_files[0].reason.starts_with("too large"), "{r:?}");
}

/// One bomb among good entries, in every archive kind: only the bomb is
/// refused, with its reason; every other entry loads and the counts add up.
#[test]
fn one_bomb_among_good_entries_is_refused_alone() {
    let mut spaces = b"{\"Records\":[".to_vec();
    spaces.extend(std::iter::repeat_n(b' ', 4 << 20));
    spaces.extend(b"]}");
    let limits = Limits {
        max_entry_bytes: 8 << 20,
        ratio_floor_bytes: 64 << 10,
        ..Limits::default()
    };
    let good_entries: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| (format!("a/{i}.json.gz"), gzip(&records(&[good(i)]))))
        .collect();
    // The bomb as a gzip entry (its size is known) and, in a .tar.gz, as a
    // plain entry whose ratio is counted from the gzip stream.
    for (bomb_name, bomb) in [
        ("a/3b.json.gz", gzip(&spaces)),
        ("a/3b.json", spaces.clone()),
    ] {
        let mut files = good_entries.clone();
        files.insert(3, (bomb_name.to_string(), bomb));
        let mut containers = vec![("x.tar.gz", gzip(&tar(&files)))];
        if bomb_name.ends_with(".gz") {
            containers.push(("x.zip", zip(&files)));
            containers.push(("x.tar", tar(&files)));
        }
        for (name, bytes) in &containers {
            let readers = [
                parse_bytes(0, name, bytes, &limits).report,
                trailsight::ingest::parse_reader(0, name, std::io::Cursor::new(bytes), &limits)
                    .report,
            ];
            for r in readers {
                reconciled(&r);
                assert_eq!(
                    (r.files_seen, r.files, r.events),
                    (7, 6, 6),
                    "{name}: {r:#?}"
                );
                assert_eq!(r.skipped_files.len(), 1, "{name}: {r:#?}");
                let skipped = &r.skipped_files[0];
                assert_eq!(skipped.path, format!("{name}!{bomb_name}"));
                assert!(
                    skipped
                        .reason
                        .starts_with("decompression bomb: expands past"),
                    "{name}: {skipped:?}"
                );
            }
        }
    }
}

#[test]
fn corrupt_archives_and_entries() {
    let ok = gzip(&records(&[good(1)]));
    let files = vec![
        ("a/one.json.gz".to_string(), ok.clone()),
        ("a/two.json".to_string(), records(&[good(2)])),
    ];
    let mut z = zip(&files);
    // Corrupt the second entry's data (stored after the first entry's data).
    let pos = z
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == b"PK\x03\x04")
        .nth(1)
        .unwrap()
        .0;
    for b in &mut z[pos + 40..pos + 60] {
        *b ^= 0x5a;
    }
    let r = report("bad.zip", &z, &Limits::default());
    assert_eq!(r.events, 1, "{r:#?}");
    assert_eq!(r.skipped_files.len(), 1);
    assert!(r.skipped_files[0].path.starts_with("bad.zip!"), "{r:?}");

    // Not a zip at all past its magic.
    let r = report("junk.zip", b"PK\x03\x04 garbage", &Limits::default());
    assert_eq!(r.files_seen, 1);
    assert!(r.skipped_files[0].reason.contains("zip"), "{r:?}");

    // A truncated tar.gz: entries before the cut load.
    let many: Vec<_> = (0..40)
        .map(|i| (format!("f{i}.json"), records(&[good(i)])))
        .collect();
    let tgz = gzip(&tar(&many));
    let r = report("cut.tgz", &tgz[..tgz.len() / 2], &Limits::default());
    assert!(r.events >= 1 && r.events < 40, "{r:#?}");
    assert!(!r.skipped_files.is_empty() || r.bad_records > 0);

    // Nested archives are reported, not read.
    let inner = zip(&files);
    let r = report(
        "outer.tar",
        &tar(&[("inner.zip".to_string(), inner)]),
        &Limits::default(),
    );
    assert!(r.skipped_files[0]
        .reason
        .contains("archive inside an archive"));
}

fn depth_record(extra: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T00:00:07Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","recipientAccountId":"111122223333","x":{extra}}}"#
    )
}

/// The one-pass path must leave the depth limit where the scanner put it:
/// 110 levels is bad even though serde (limit 128) would read it; many
/// brackets at low depth is still an event.
#[test]
fn one_pass_keeps_the_depth_limit() {
    let deep = "[".repeat(110) + &"]".repeat(110);
    let wide = "[".to_string() + &"[],".repeat(150) + "[]]";
    let doc = format!(
        r#"{{"Records":[{},{},{}]}}"#,
        depth_record("1"),
        depth_record(&deep),
        depth_record(&wide)
    );
    let batch = parse_bytes(0, "t.json", doc.as_bytes(), &Limits::default());
    let report = &batch.report;
    assert_eq!(
        (report.records, report.events, report.bad_records),
        (3, 2, 1)
    );
    assert_eq!(
        report.bad_reasons,
        vec![("nesting too deep".to_string(), 1)]
    );
    let second = &batch.events[1].origin;
    assert_eq!(
        second.offset as usize,
        doc.rfind(r#"{"eventVersion""#).unwrap()
    );
    assert_eq!(second.len as usize, depth_record(&wide).len());
}
