//! The same S3-layout tree as a folder, a .zip, a .tar and a .tar.gz gives
//! identical results; giving two of them together adds no events; every
//! event's original JSON can be re-read from each container.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use std::path::{Path, PathBuf};
use trailsight::ingest::{
    load_paths, parse_bytes, parse_reader, read_event_json_from_path, Limits, LoadReport,
};
use trailsight::model::Dataset;

/// Events with strings resolved and origins left out: comparable across containers.
fn rows(ds: &Dataset) -> Vec<String> {
    (0..ds.events.len())
        .map(|i| {
            let r = ds.row(i).unwrap();
            let e = &ds.events.at(i);
            format!(
                "{r:?} {:?} {} {}",
                e.category,
                e.read_only_inferred,
                ds.strings.resolve(e.event_type)
            )
        })
        .collect()
}

fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, bytes) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

fn load(paths: &[PathBuf]) -> (Dataset, LoadReport) {
    let (ds, r) = load_paths(paths, &Limits::default());
    reconciled(&r);
    (ds, r)
}

#[test]
fn folder_zip_tar_and_targz_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tree();
    let folder = tmp.path().join("logs");
    write(&folder, &files);
    let mut sorted = files.clone();
    sorted.sort();
    let containers = [
        ("logs.zip", zip(&sorted)),
        ("logs.tar", tar(&sorted)),
        ("logs.tar.gz", gzip(&tar(&sorted))),
        ("logs.tgz.bin", gzip(&tar(&sorted))),
    ];
    for (name, bytes) in &containers {
        std::fs::write(tmp.path().join(name), bytes).unwrap();
    }
    let (base, rb) = load(std::slice::from_ref(&folder));
    assert_eq!(
        (
            rb.files_seen,
            rb.files,
            rb.records,
            rb.events,
            rb.duplicates
        ),
        (6, 4, 31, 29, 2),
        "{rb:#?}"
    );
    assert_eq!(rb.aws_insight_records, 1);
    assert_eq!(base.aws_insights.len(), 1);
    assert_eq!(rb.accounts, ["111122223333", "222233334444"]);
    assert_eq!(rb.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(
        rb.skipped_files.len(),
        2,
        "digest + insight: {:?}",
        rb.skipped_files
    );
    for (name, _) in &containers {
        let path = tmp.path().join(name);
        let (ds, r) = load(std::slice::from_ref(&path));
        assert_eq!(rows(&ds), rows(&base), "{name}");
        assert_eq!(
            (
                r.files_seen,
                r.files,
                r.records,
                r.events,
                r.duplicates,
                r.bad_records,
                &r.accounts,
                &r.regions
            ),
            (
                rb.files_seen,
                rb.files,
                rb.records,
                rb.events,
                rb.duplicates,
                rb.bad_records,
                &rb.accounts,
                &rb.regions
            ),
            "{name}"
        );
        for e in &ds.events {
            let text = read_event_json_from_path(&path, &e.origin).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["eventName"], ds.strings.resolve(e.name), "{name}");
        }
        // Folder and archive together: the same events, all extra copies are duplicates.
        let (both, rboth) = load(&[folder.clone(), path.clone()]);
        assert_eq!(rows(&both), rows(&base), "{name} + folder");
        assert_eq!(rboth.events, rb.events);
        assert_eq!(rboth.duplicates, rb.duplicates + rb.records);
        // The folder is input 0.. so its copies win.
        assert!(both.events.iter().all(|e| (e.origin.input as usize) < 6));
    }
    // Folder events re-read from their files.
    for e in &base.events {
        let path = PathBuf::from(&base.inputs[e.origin.input as usize]);
        assert!(read_event_json_from_path(&path, &e.origin).is_ok());
    }
}

#[test]
fn missing_paths_are_reported() {
    let (_, r) = load(&[PathBuf::from("/nonexistent/trailsight/x")]);
    assert_eq!((r.files_seen, r.files, r.events), (1, 0, 0));
    assert!(r.skipped_files[0].reason.contains("cannot read"));
}

/// `n` gzipped delivery files of ten events each, in an S3 layout.
fn many_entries(n: u32) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|f| {
            let evs: Vec<_> = (0..10)
                .map(|i| {
                    event(
                        f * 10 + i,
                        &format!("2024-01-01T{:02}:{i:02}:00Z", f % 24),
                        "RunInstances",
                    )
                })
                .collect();
            let path =
                format!("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/f{f:03}.json.gz");
            (path, gzip(&records(&evs)))
        })
        .collect()
}

/// Every kind of archive of `files`, with its name.
fn containers(files: &[(String, Vec<u8>)]) -> [(&'static str, Vec<u8>); 3] {
    [
        ("many.zip", zip(files)),
        ("many.tar", tar(files)),
        ("many.tar.gz", gzip(&tar(files))),
    ]
}

/// Each entry expands to about 9 KB; the caps allow 40 KB per entry, and the
/// archive expands to ten times that: every entry loads, in memory or streamed.
#[test]
fn archives_expanding_past_any_per_entry_cap_load_every_entry() {
    let files = many_entries(40);
    let limits = Limits {
        max_entry_bytes: 40_000,
        ratio_floor_bytes: 40_000,
        ..Limits::default()
    };
    for (name, bytes) in containers(&files) {
        let via_reader = parse_reader(0, name, std::io::Cursor::new(&bytes), &limits);
        let in_memory = parse_bytes(0, name, &bytes, &limits);
        for r in [&via_reader.report, &in_memory.report] {
            reconciled(r);
            assert_eq!(
                (r.files, r.events),
                (40, 400),
                "{name}: {:?}",
                r.skipped_files
            );
            assert!(r.skipped_files.is_empty(), "{name}: {:?}", r.skipped_files);
        }
    }
}

/// Natively a big `.zip` is read in parts (a few entries each, with a tiny
/// `zip_part_bytes`), in parallel: the same events, in the same order, with
/// the same report as reading it whole, and a folder or `.tar` beside it
/// still agrees.
#[test]
fn a_zip_read_in_parts_gives_what_reading_it_whole_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = many_entries(60);
    files.sort();
    let path = tmp.path().join("many.zip");
    std::fs::write(&path, zip(&files)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let whole = Limits::default();
    assert!(
        size < whole.zip_part_bytes,
        "the default reads this zip whole"
    );
    let parts = Limits {
        zip_part_bytes: size / 7,
        ..Limits::default()
    };
    let (ds_whole, r_whole) = load_paths(std::slice::from_ref(&path), &whole);
    let (ds_parts, r_parts) = load_paths(std::slice::from_ref(&path), &parts);
    reconciled(&r_parts);
    assert_eq!((r_parts.files, r_parts.events), (60, 600));
    assert_eq!(rows(&ds_parts), rows(&ds_whole));
    assert_eq!(r_parts, r_whole);
    for i in [0, 299, 599] {
        let a = read_event_json_from_path(&path, &ds_parts.events.at(i).origin).unwrap();
        let b = read_event_json_from_path(&path, &ds_whole.events.at(i).origin).unwrap();
        assert_eq!(a, b);
    }
}

/// ZIP64 records (what a zip past 4 GiB or 65,535 entries carries) read like
/// any zip; an entry whose declared size is past the cap per entry is skipped
/// as too large without being read, and the others load.
#[test]
fn zip64_entries_read_and_declared_sizes_are_checked() {
    use std::io::Write;
    let files = many_entries(5);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (name, bytes) in &files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    let z = w.finish().unwrap().into_inner();
    let r = parse_bytes(0, "z64.zip", &z, &Limits::default()).report;
    assert_eq!((r.files, r.events), (5, 50), "{r:#?}");
    let limits = Limits {
        max_entry_bytes: 100,
        ..Limits::default()
    };
    for (name, bytes) in [("z64.zip", z), ("x.tar", tar(&files))] {
        let r = parse_bytes(0, name, &bytes, &limits).report;
        reconciled(&r);
        assert_eq!((r.files_seen, r.files), (5, 0), "{r:#?}");
        assert!(
            r.skipped_files
                .iter()
                .all(|s| s.reason.starts_with("too large")),
            "{r:#?}"
        );
    }
}
