//! Fuzzes the document/record parser: any bytes as one plain JSON input (the
//! first byte is forced off the gzip/zip/tar magics so every run reaches the
//! JSON path). Checks that nothing panics and the counts reconcile.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};

fuzz_target!(|data: &[u8]| {
    let mut doc = data.to_vec();
    if matches!(doc.first(), Some(0x1f) | Some(b'P')) {
        doc[0] = b' ';
    }
    let limits = Limits {
        max_record_bytes: 4096,
        max_depth: 40,
        ..Limits::default()
    };
    let batch = parse_bytes(0, "fuzz.json", &doc, &limits);
    let r = &batch.report;
    assert_eq!(r.records, r.events + r.duplicates + r.bad_records);
    assert_eq!(r.files_seen, r.files + r.skipped_files.len() as u64);
    let mut b = DatasetBuilder::new();
    b.add("fuzz.json".into(), batch);
    let (ds, r) = b.finish();
    assert_eq!(r.records, r.events + r.duplicates + r.bad_records);
    assert_eq!(ds.events.len() as u64, r.events);
    for e in ds.events.iter().take(4) {
        let _ = trailsight::ingest::read_event_json(
            std::io::Cursor::new(&doc),
            "fuzz.json",
            &e.origin,
            &limits,
        );
    }
});
