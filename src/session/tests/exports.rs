//! The dashboard's downloads equal the CLI's output for the same files:
//! JSON Lines and EventBridge as `trailsight detect` prints them, the S3 zip
//! holding exactly the objects `detect --out` writes, and the CSV one row
//! per Insight of the same records.

use super::super::protocol::{Request, Response};
use super::super::{Attached, Session};
use super::{generated, load_with, session};
use crate::engine::{detect, DetectConfig};
use crate::export::{eventbridge_lines, json_lines, s3_objects, ExportKind};
use crate::format::record_time;
use crate::ingest::{load_paths, Limits};
use std::io::Read;
use std::path::PathBuf;

fn export(s: &mut Session<PathBuf>, kind: ExportKind) -> (String, Vec<u8>) {
    let answer = s.handle(Request::Export { kind }, Attached::default());
    match (answer.response, answer.attachment) {
        (Response::Exported { file_name, .. }, Some(bytes)) => (file_name, bytes),
        (other, _) => panic!("{other:?}"),
    }
}

#[test]
fn exports_equal_the_cli_output_for_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (name, bytes)) in generated().iter().enumerate() {
        // Flat, numbered so the order is the load order.
        let leaf = name.rsplit('/').next().unwrap_or(name);
        let path = dir.path().join(format!("{i:05}-{leaf}"));
        std::fs::write(&path, &bytes[..]).unwrap();
        paths.push(path);
    }
    // What `trailsight detect FILE...` computes.
    let (ds, _) = load_paths(&paths, &Limits::default());
    let cli = detect(&ds, &DetectConfig::default()).insights;
    assert!(!cli.is_empty());

    // The session, reading the same files from disk as its byte sources.
    let mut s = session::<PathBuf>();
    let files: Vec<(String, Option<PathBuf>)> = paths
        .iter()
        .map(|p| (p.display().to_string(), Some(p.clone())))
        .collect();
    let loaded = load_with(&mut s, &files, 400, DetectConfig::default());
    assert!(matches!(loaded, Response::Loaded { .. }));

    let (name, jsonl) = export(&mut s, ExportKind::JsonLines);
    assert_eq!(name, "trailsight-insights.jsonl");
    assert_eq!(String::from_utf8(jsonl).unwrap(), json_lines(&cli));
    let (_, eventbridge) = export(&mut s, ExportKind::EventBridge);
    assert_eq!(
        String::from_utf8(eventbridge).unwrap(),
        eventbridge_lines(&cli)
    );

    let (name, zip) = export(&mut s, ExportKind::S3Zip);
    assert_eq!(name, "trailsight-insights.zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        entries.push((entry.name().to_string(), bytes));
    }
    assert_eq!(entries, s3_objects(&cli));

    let (name, csv) = export(&mut s, ExportKind::Csv);
    assert_eq!(name, "trailsight-insights.csv");
    let mut reader = ::csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cli.len());
    for (row, insight) in rows.iter().zip(&cli) {
        assert_eq!(&row[0], insight.key.name);
        assert_eq!(&row[1], insight.key.insight_type.as_str());
        assert_eq!(&row[3], record_time(insight.start_minute));
        assert_eq!(&row[12], insight.shared_event_id);
    }
}
