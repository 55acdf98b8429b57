//! The memory guard (`Limits::max_events`): a load stops at its event budget,
//! keeps everything read so far, and names every file it did not read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use trailsight::ingest::{
    guard_message, load_paths, parse_bytes, DatasetBuilder, Limits, NOT_READ_REASON,
};

/// `n` delivery files of ten events each.
fn files(n: u32) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|f| {
            let evs: Vec<_> = (0..10)
                .map(|i| {
                    event(
                        f * 10 + i,
                        &format!("2024-01-01T10:{i:02}:{f:02}Z"),
                        "RunInstances",
                    )
                })
                .collect();
            (
                format!("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/f{f:02}.json.gz"),
                gzip(&records(&evs)),
            )
        })
        .collect()
}

/// Inside one archive the cut is exact: entries are read until the batch
/// holds the budget; every later entry is listed, in order, as not read.
#[test]
fn an_archive_stops_at_the_budget_and_lists_the_rest() {
    let files = files(20);
    let limits = Limits {
        max_events: 35,
        ..Limits::default()
    };
    for (name, bytes) in [("x.zip", zip(&files)), ("x.tar.gz", gzip(&tar(&files)))] {
        let batch = parse_bytes(0, name, &bytes, &limits);
        let r = &batch.report;
        reconciled(r);
        assert_eq!(
            (r.files, r.events, r.not_read),
            (4, 40, 16),
            "{name}: {r:#?}"
        );
        assert_eq!(r.max_events_reached, Some(35));
        let not_read: Vec<&str> = r.skipped_files.iter().map(|s| s.path.as_str()).collect();
        let want: Vec<String> = files[4..]
            .iter()
            .map(|(p, _)| format!("{name}!{p}"))
            .collect();
        assert_eq!(not_read, want, "{name}");
        assert!(r.skipped_files.iter().all(|s| s.reason == NOT_READ_REASON));
        // What was read is a usable dataset.
        let mut b = DatasetBuilder::new();
        b.add(name.into(), batch);
        let (ds, merged) = b.finish();
        assert_eq!(ds.events.len(), 40);
        assert_eq!((merged.not_read, merged.max_events_reached), (16, Some(35)));
        let message = guard_message(&merged, "The browser tab", "load fewer days").unwrap();
        assert_eq!(
            message,
            "The browser tab can hold about 35 events; 16 files were not read; load fewer days."
        );
    }
    // Below the budget nothing is said.
    let r = parse_bytes(
        0,
        "x.zip",
        &zip(&files),
        &Limits {
            max_events: 200,
            ..Limits::default()
        },
    )
    .report;
    assert_eq!((r.events, r.not_read, r.max_events_reached), (200, 0, None));
    assert!(guard_message(&r, "x", "y").is_none());
}

/// A folder across threads: the load stops near the budget (files already
/// being read on other threads finish), keeps what it read, and every file
/// is either loaded or listed as not read.
#[test]
fn a_folder_stops_at_the_budget_and_names_what_was_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let files = files(30);
    for (name, bytes) in &files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let limits = Limits {
        max_events: 55,
        ..Limits::default()
    };
    let (ds, r) = load_paths(&[tmp.path().to_path_buf()], &limits);
    reconciled(&r);
    let threads = rayon::current_num_threads() as u64;
    assert!(r.events >= 55 && r.events < 55 + 10 * threads, "{r:#?}");
    assert_eq!(ds.events.len() as u64, r.events);
    assert_eq!(r.files + r.not_read, 30);
    assert_eq!(r.skipped_files.len() as u64, r.not_read);
    assert_eq!(r.max_events_reached, Some(55));
    // The files not read hold none of the loaded events.
    let loaded: std::collections::BTreeSet<&str> = ds
        .events
        .iter()
        .map(|e| ds.inputs[e.origin.input as usize].as_str())
        .collect();
    assert_eq!(loaded.len() as u64, r.files);
    for s in &r.skipped_files {
        assert_eq!(s.reason, NOT_READ_REASON);
        assert!(!loaded.contains(s.path.as_str()), "{s:?}");
    }
    // Without a limit, everything.
    let (_, all) = load_paths(&[tmp.path().to_path_buf()], &Limits::default());
    assert_eq!((all.events, all.not_read), (300, 0));
}
