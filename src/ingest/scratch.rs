//! Per-thread reusable buffers for whole small files and their inflated text:
//! allocating ~50 KB afresh per file made the allocator return and re-fault
//! pages for each of thousands of files. Taking leaves an empty buffer behind,
//! so nested use (an entry inside an archive) simply allocates.

use std::cell::Cell;

/// A whole file's bytes as read from disk (`paths`).
#[cfg(not(target_arch = "wasm32"))]
pub(super) const FILE: usize = 0;
/// A compressed input read whole from a reader.
pub(super) const RAW: usize = 1;
/// Inflated text.
pub(super) const TEXT: usize = 2;

thread_local! {
    static BUFS: [Cell<Vec<u8>>; 3] =
        const { [Cell::new(Vec::new()), Cell::new(Vec::new()), Cell::new(Vec::new())] };
}

/// Buffers larger than this are dropped rather than kept.
const KEEP: usize = 64 << 20;

pub(super) fn take(slot: usize) -> Vec<u8> {
    let mut v = BUFS.with(|b| b[slot].take());
    v.clear();
    v
}

/// The buffer with its old contents: stale but initialised bytes, for
/// reading into without zeroing it again.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn take_initialized(slot: usize) -> Vec<u8> {
    BUFS.with(|b| b[slot].take())
}

pub(super) fn give(slot: usize, v: Vec<u8>) {
    if v.capacity() <= KEEP {
        BUFS.with(|b| b[slot].set(v));
    }
}
