//! Expansion caps: what keeps a decompression bomb or an oversized file from
//! exhausting memory, and nothing else. Every cap is per file or archive
//! entry, never per input: an archive of any number of legitimate entries
//! reads every one, however large their total.
//!
//! - An absolute size per file / entry ([`Limits::max_entry_bytes`]): a file
//!   past it is "too large", never a bomb.
//! - A ratio, once an expansion passes [`Limits::ratio_floor_bytes`]: past
//!   [`Limits::max_ratio`] times its compressed size it is a "decompression
//!   bomb". The compressed size is known for a gzip file or entry and for a
//!   zip entry; for the entries of a `.tar.gz` it is counted as the gzip
//!   stream is consumed ([`Counted`]).

use super::error::SkipReason;
use super::Limits;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// The compressed bytes behind one expansion, for the bomb ratio.
#[derive(Clone, Debug)]
pub(crate) enum Compressed {
    /// Not compressed, or its size is unknown: only the absolute cap applies.
    Unknown,
    /// A gzip file or entry, a zip entry: its compressed size.
    Known(u64),
    /// An entry of a `.tar.gz`: the gzip bytes consumed since `.1` (the
    /// count when the entry started), read live from the counter.
    Counting(Rc<Cell<u64>>, u64),
}

impl Compressed {
    /// The compressed size now.
    pub fn size(&self) -> Option<u64> {
        match self {
            Compressed::Unknown => None,
            Compressed::Known(c) => Some(*c),
            Compressed::Counting(n, start) => Some(n.get().saturating_sub(*start)),
        }
    }

    /// The entry starting now in the stream `consumed` counts (or unknown).
    pub fn from_stream(consumed: Option<&Rc<Cell<u64>>>) -> Compressed {
        match consumed {
            Some(n) => Compressed::Counting(Rc::clone(n), n.get()),
            None => Compressed::Unknown,
        }
    }
}

/// How far one expansion may go: the absolute cap and, when the compressed
/// size is known, the ratio past the floor.
pub(crate) fn expansion_cap(limits: &Limits, compressed: Option<u64>) -> u64 {
    let cap = limits.max_entry_bytes;
    match compressed {
        Some(c) => cap.min(
            limits
                .ratio_floor_bytes
                .max(c.saturating_mul(limits.max_ratio)),
        ),
        None => cap,
    }
}

/// Why an expansion that passed `cap` was refused: a bomb only when the
/// ratio (not the absolute size) stopped it.
pub(crate) fn over_cap_reason(cap: u64, compressed: Option<u64>, limits: &Limits) -> SkipReason {
    match compressed {
        Some(compressed) if cap < limits.max_entry_bytes => SkipReason::Bomb {
            cap,
            compressed,
            ratio: limits.max_ratio,
        },
        _ => SkipReason::TooLarge { cap },
    }
}

/// The "too large" reason for an archive entry whose declared size is past
/// the cap, so it is skipped without reading it (a declared size that lies
/// low is still caught by [`read_capped`]).
pub(crate) fn declared_too_large(limits: &Limits, size: u64) -> Option<SkipReason> {
    (size > limits.max_entry_bytes).then(|| over_cap_reason(limits.max_entry_bytes, None, limits))
}

/// Bytes read per step while the compressed size is still being counted, so
/// a `.tar.gz` bomb is stopped soon after it passes its ratio.
const STEP: u64 = 8 << 20;

/// Reads `r` to its end after `prefix` within the caps for `compressed`.
/// A read error keeps what was read and returns its text beside it; passing
/// a cap returns the reason instead.
pub(crate) fn read_capped<R: Read>(
    limits: &Limits,
    mut r: R,
    mut buf: Vec<u8>,
    compressed: &Compressed,
) -> Result<(Vec<u8>, Option<String>), SkipReason> {
    let step = match compressed {
        Compressed::Counting(..) => STEP,
        _ => u64::MAX,
    };
    loop {
        let size = compressed.size();
        let cap = expansion_cap(limits, size);
        let total = buf.len() as u64;
        if total > cap {
            return Err(over_cap_reason(cap, size, limits));
        }
        let want = cap.saturating_sub(total).saturating_add(1).min(step);
        match (&mut r).take(want).read_to_end(&mut buf) {
            Ok(0) => return Ok((buf, None)),
            Ok(_) => {}
            Err(e) => {
                let size = compressed.size();
                let cap = expansion_cap(limits, size);
                if buf.len() as u64 > cap {
                    return Err(over_cap_reason(cap, size, limits));
                }
                return Ok((buf, Some(e.to_string())));
            }
        }
    }
}

/// A reader that counts the bytes its consumer takes (the compressed side of
/// a gzip decoder), for [`Compressed::Counting`].
pub(crate) struct Counted<R> {
    inner: R,
    consumed: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    pub fn new(inner: R, consumed: &Rc<Cell<u64>>) -> Counted<R> {
        Counted {
            inner,
            consumed: Rc::clone(consumed),
        }
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.consumed.set(self.consumed.get() + amt as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_entry_bytes: 10_000,
            ratio_floor_bytes: 1_000,
            max_ratio: 10,
            ..Limits::default()
        }
    }

    #[test]
    fn caps_are_exact_and_worded_by_what_stopped_them() {
        let l = limits();
        let read = |n: usize, c: &Compressed| read_capped(&l, &vec![b'x'; n][..], Vec::new(), c);
        // Unknown compressed size: the absolute cap only.
        assert_eq!(read(10_000, &Compressed::Unknown).unwrap().0.len(), 10_000);
        let too_large = read(10_001, &Compressed::Unknown).unwrap_err().to_string();
        assert!(
            too_large.starts_with("too large: more than 10000 bytes"),
            "{too_large}"
        );
        // 200 compressed bytes may expand to 2,000 (10x), not one byte more.
        assert_eq!(read(2_000, &Compressed::Known(200)).unwrap().0.len(), 2_000);
        let bomb = read(2_001, &Compressed::Known(200))
            .unwrap_err()
            .to_string();
        assert!(
            bomb.starts_with("decompression bomb: expands past 2000 bytes from 200"),
            "{bomb}"
        );
        // Below the floor, any ratio; past the absolute cap, "too large" even if compressed.
        assert!(read(1_000, &Compressed::Known(1)).is_ok());
        let big = read(10_001, &Compressed::Known(5_000)).unwrap_err();
        assert!(matches!(big, SkipReason::TooLarge { cap: 10_000 }), "{big}");
    }

    /// A counted stream's ratio grows as its compressed bytes are consumed.
    #[test]
    fn counted_stream_ratio_follows_consumption() {
        let l = limits();
        let consumed = Rc::new(Cell::new(0u64));
        let mut src = Counted::new(&[0u8; 300][..], &consumed);
        let mut sink = Vec::new();
        src.read_to_end(&mut sink).unwrap();
        assert_eq!(consumed.get(), 300);
        let entry = Compressed::from_stream(Some(&consumed));
        consumed.set(500);
        assert_eq!(entry.size(), Some(200));
        assert_eq!(expansion_cap(&l, entry.size()), 2_000);
    }
}
