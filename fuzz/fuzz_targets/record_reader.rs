//! Differential fuzzing of the fast record reader (`ingest/fast_record.rs`)
//! against serde_json: on any text, whenever the reader answers, it must give
//! exactly serde's record and length, and never accept what serde refuses.
//! `check_record_reader` panics on any disagreement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailsight::ingest::check_record_reader;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check_record_reader(text);
    }
});
