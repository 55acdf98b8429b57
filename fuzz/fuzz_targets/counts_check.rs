//! The body of the `counts` fuzz target, shared with the native test
//! `tests/counts_fuzz_inputs.rs` (which runs it on random and truncated files
//! where cargo-fuzz is not installed): any bytes as a counts file and as an
//! attributions file, plain and gzip-wrapped (Parquet is reached through its
//! `PAR1` magic), and through the dashboard's table recognition
//! (`looks_like_table` on the first 64 KB, `table_kind` on the whole file).
//! Nothing may panic; a file the counts reader accepts must be recognised as a
//! counts table, survive a write/read round trip and go through the detector.

use std::io::Write;
use trailsight::counts::dashboard::{looks_like_table, table_kind, TableKind, HEAD_BYTES};
use trailsight::counts::{read_attributions, read_counts, write_counts, Format};
use trailsight::engine::{detect_counts, DetectConfig};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// Runs every reader on `data` (and on `data` gzipped); panics on a broken property.
pub fn check(data: &[u8]) {
    let gz = gzip(data);
    for bytes in [data, gz.as_slice()] {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let looks = looks_like_table(head);
        let kind = table_kind("fuzz.csv", bytes);
        let _ = read_attributions([("fuzz.csv", bytes)]);
        let Ok(table) = read_counts([("fuzz.csv", bytes)]) else {
            continue;
        };
        assert!(
            matches!(kind, Ok(TableKind::Counts)),
            "a readable counts file is taken for {kind:?}"
        );
        // A header line the CSV reader splits differently (a quoted newline
        // inside a column name) is the only way past the head check.
        if !bytes.starts_with(b"PAR1") && !head.contains(&b'"') {
            assert!(
                looks,
                "a readable counts file is not recognised by its head"
            );
        }
        for format in [Format::Csv, Format::Parquet] {
            let written = write_counts(&table, format).expect("writable");
            assert!(looks_like_table(&written[..written.len().min(HEAD_BYTES)]));
            let again = read_counts([("again", written.as_slice())]).expect("re-readable");
            assert_eq!(again.rows.len(), table.rows.len());
            assert_eq!(again.total_events(), table.total_events());
        }
        // Bounded work: the detector makes dense series over at most 400 days.
        if table.rows.len() <= 64 {
            let cfg = DetectConfig {
                include_read_calls: true,
                include_data_events: true,
                ..Default::default()
            };
            let det = detect_counts(&table, None, &cfg);
            assert!(det.insights.iter().all(|i| i.attributions.is_empty()));
        }
    }
}
