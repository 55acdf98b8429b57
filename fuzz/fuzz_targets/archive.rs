//! Fuzzes the container layer: any bytes as an input (gzip, zip, tar, tar.gz
//! are recognised by magic bytes), with small caps so bombs are cheap to hit.
//! Checks that nothing panics, counts reconcile, and events can be re-read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailsight::ingest::{parse_bytes, read_event_json, DatasetBuilder, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        max_record_bytes: 64 << 10,
        ratio_floor_bytes: 64 << 10,
        ..Limits::default()
    };
    let batch = parse_bytes(0, "fuzz.bin", data, &limits);
    let r = &batch.report;
    assert_eq!(r.records, r.events + r.duplicates + r.bad_records);
    assert_eq!(r.files_seen, r.files + r.skipped_files.len() as u64);
    let mut b = DatasetBuilder::new();
    b.add("fuzz.bin".into(), batch);
    let (ds, _) = b.finish();
    for e in ds.events.iter().take(4) {
        let _ = read_event_json(std::io::Cursor::new(data), "fuzz.bin", &e.origin, &limits);
    }
});
