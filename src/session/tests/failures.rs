//! A load whose inputs are not all good: a file whose parse was cancelled
//! (its batch never arrives), a file that cannot be read, a file that is
//! not a log, an attachment that is not a file. The good files load as if
//! alone, every other input is listed with its reason, and the counts add up.

use super::super::protocol::Request;
use super::super::ByteSource;
use super::{ask, generated, insights, send, session, summary, Bytes};
use crate::engine::{detect, DetectConfig};
use crate::export::json_lines;
use crate::ingest::{self, DatasetBuilder, Limits, NOT_READ_REASON};
use std::io::{self, Cursor};
use std::sync::Arc;

/// A byte source that may fail to open, as a `File` the browser cannot read.
#[derive(Clone)]
enum Flaky {
    Good(Bytes),
    Unreadable,
}

impl ByteSource for Flaky {
    type Reader = Cursor<Bytes>;
    fn open(&self) -> io::Result<Self::Reader> {
        match self {
            Flaky::Good(b) => Ok(Cursor::new(b.clone())),
            Flaky::Unreadable => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file was moved",
            )),
        }
    }
}

#[test]
fn cancelled_and_failed_files_are_listed_and_the_good_ones_load() {
    let good = &generated()[..60];
    let mut files: Vec<(String, Option<Flaky>)> = good
        .iter()
        .map(|(n, b)| (n.clone(), Some(Flaky::Good(b.clone()))))
        .collect();
    let bad_bytes: Bytes = Arc::from(&b"\x1f\x8b not really gzip"[..]);
    files.insert(10, ("broken.json.gz".into(), Some(Flaky::Good(bad_bytes))));
    files.insert(20, ("moved.json.gz".into(), Some(Flaky::Unreadable)));
    files.insert(30, ("a-folder-entry".into(), None));
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    // The last chunk is cancelled: its parse never answers, so its batch
    // never reaches the session.
    let cancelled = files.pop().expect("files");
    let chunk = 9;
    let mut s = session::<Flaky>();
    ask(&mut s, Request::Begin { names });
    send(&mut s, &files, chunk);
    let settings = DetectConfig::default();
    let mut loaded = ask(&mut s, Request::Finish { settings });
    let sum = summary(&loaded).clone();

    // What the good files alone give (the CLI's ingest, less the cancelled one).
    let mut reference = DatasetBuilder::new();
    for (i, (name, bytes)) in good[..good.len() - 1].iter().enumerate() {
        reference.add(
            name.clone(),
            ingest::parse_bytes(i as u32, name, bytes, &Limits::default()),
        );
    }
    let (ds, report) = reference.finish();
    assert_eq!(sum.events, report.events);
    assert_eq!(sum.records, report.records);
    assert_eq!(sum.files, report.files);
    assert_eq!(
        json_lines(&insights(loaded.clone())),
        json_lines(&detect(&ds, &DetectConfig::default()).insights)
    );

    // Every input is seen; each one that gave nothing says why.
    assert_eq!(sum.files_seen, files.len() as u64 + 1);
    assert_eq!(sum.files_seen, sum.files + sum.skipped_files.len() as u64);
    assert_eq!(sum.records, sum.events + sum.duplicates + sum.bad_records);
    let reason = |path: &str| {
        sum.skipped_files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.reason.clone())
            .unwrap_or_else(|| panic!("{path} is not listed"))
    };
    assert!(!reason("broken.json.gz").is_empty());
    assert!(reason("moved.json.gz").contains("the file was moved"));
    assert_eq!(reason("a-folder-entry"), "not a file");
    assert_eq!(reason(&cancelled.0), NOT_READ_REASON);
    assert_eq!(sum.skipped_files.len(), 4);
    loaded = ask(
        &mut s,
        Request::Detect {
            settings: DetectConfig::default(),
        },
    );
    assert_eq!(summary(&loaded).skipped_files, sum.skipped_files);
}
