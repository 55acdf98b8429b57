//! Fuzzes the counts and attributions readers and the dashboard's table
//! recognition (issue 11); the checks are in `counts_check.rs`, which the
//! native test `tests/counts_fuzz_inputs.rs` runs too.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "counts_check.rs"]
mod counts_check;

fuzz_target!(|data: &[u8]| counts_check::check(data));
