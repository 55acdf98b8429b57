//! Fuzzes the counts and attributions readers (issue 11): any bytes as a
//! counts file and as an attributions file, plain and gzip-wrapped (Parquet is
//! reached through its `PAR1` magic). Nothing may panic; an accepted counts
//! file must survive a write/read round trip unchanged and go through the
//! detector.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use trailsight::counts::{read_attributions, read_counts, write_counts, Format};
use trailsight::engine::{detect_counts, DetectConfig};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let gz = gzip(data);
    for bytes in [data, gz.as_slice()] {
        let _ = read_attributions([("fuzz.csv", bytes)]);
        let Ok(table) = read_counts([("fuzz.csv", bytes)]) else {
            continue;
        };
        for format in [Format::Csv, Format::Parquet] {
            let written = write_counts(&table, format).expect("writable");
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
});
