//! The parse workers' `File` reader (issue 10: "a file larger than 4 GB in the
//! browser is read in slices"), in a dedicated worker (`FileReaderSync` exists
//! only there): with a tiny slice size, every read is a `slice()` of at most
//! that many bytes at a 64-bit offset, never the whole file, and reads and
//! seeks anywhere in the file return its bytes.
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test file_reader_web`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::io::{Read, Seek, SeekFrom};
use std::rc::Rc;
use trailsight::worker::file_reader::FileSource;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// A `File` of `n` bytes, byte `i` = `i * 7 % 251` (no period a slice size divides).
fn file(n: usize) -> (web_sys::File, Vec<u8>) {
    let bytes: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes.as_slice()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "big.bin").unwrap();
    (file, bytes)
}

#[wasm_bindgen_test]
fn reads_the_whole_file_in_slices_of_the_set_size() {
    let (file, bytes) = file(1000);
    let fetched = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&fetched);
    let mut source = FileSource::with_chunk(file, 64)
        .unwrap()
        .on_fetch(move |n, _ms| log.borrow_mut().push(n));
    let mut out = Vec::new();
    source.read_to_end(&mut out).unwrap();
    assert_eq!(out, bytes);
    let sizes = fetched.borrow();
    assert_eq!(
        sizes.len(),
        1000_usize.div_ceil(64),
        "one slice per 64 bytes"
    );
    assert!(
        sizes.iter().all(|&n| n <= 64),
        "no read larger than a slice: {sizes:?}"
    );
    assert_eq!(sizes.iter().sum::<u64>(), 1000);
}

#[wasm_bindgen_test]
fn seeks_read_from_the_right_offset() {
    let (file, bytes) = file(5000);
    let mut source = FileSource::with_chunk(file, 100).unwrap();
    let mut buf = [0u8; 250];
    // Across slice boundaries, backwards and from the end.
    for &at in &[4321_u64, 17, 4750, 99, 0] {
        source.seek(SeekFrom::Start(at)).unwrap();
        let n = (bytes.len() - at as usize).min(buf.len());
        source.read_exact(&mut buf[..n]).unwrap();
        assert_eq!(&buf[..n], &bytes[at as usize..at as usize + n], "at {at}");
    }
    source.seek(SeekFrom::End(-10)).unwrap();
    let mut tail = Vec::new();
    source.read_to_end(&mut tail).unwrap();
    assert_eq!(tail, &bytes[4990..]);
    assert!(source.seek(SeekFrom::Current(-10_000)).is_err());
}

#[wasm_bindgen_test]
fn slice_ranges_past_4_gib_are_exact() {
    // Offsets beyond u32 (a 6 GB file) go to `slice()` as exact f64s.
    let size = 6_000_000_123_u64;
    let (start, end) = trailsight::worker::file_reader::slice_range(5_000_000_000, 4 << 20, size);
    assert_eq!(start, 5_000_000_000.0);
    assert_eq!(end, 5_004_194_304.0);
    let (start, end) = trailsight::worker::file_reader::slice_range(size - 3, 4 << 20, size);
    assert_eq!((start as u64, end as u64), (size - 3, size));
}
