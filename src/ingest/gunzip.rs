//! Inflating a whole gzip input that is already in memory (a small `.json.gz`
//! file, or a gzip entry of an archive) into a caller's buffer, with one
//! raw-deflate state per thread that is reset, never rebuilt, between members
//! and files. The gzip member framing (RFC 1952 header, CRC32 + ISIZE trailer,
//! concatenated members) is done here.
//!
//! Why not `flate2::bufread::MultiGzDecoder` for these: every decoder builds a
//! fresh inflate state and 32 KB window, which for thousands of small files
//! cost more in allocation and page faults than the inflating itself; and
//! reading through `Read` copies and grows. Here the output is inflated
//! straight into reserved (not zero-filled) capacity sized from the trailer.
//!
//! Semantics follow `MultiGzDecoder` (its error texts too): members are read
//! until the input ends, each member's CRC32 and ISIZE are checked, and bytes
//! after a member that do not form another member are an error. Big files and
//! streamed tar.gz inputs still use `MultiGzDecoder` (see `input`).

use super::sniff::SNIFF_LEN;
use flate2::{Crc, Decompress, FlushDecompress, Status};
use std::cell::RefCell;

/// How a [`gunzip`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gunzip {
    /// The whole input was inflated (`None`), or the stream broke and the
    /// output holds what was inflated before the break (`Some(error text)`).
    Done(Option<String>),
    /// The output passed the cap; it holds exactly `cap + 1` bytes.
    OverCap,
    /// The `peek` function asked to stop after seeing the first bytes.
    Stopped,
}

// flate2's texts for the same failures, so reasons read the same whichever
// decoder met them.
const EOF: &str = "unexpected end of file";
const BAD_HEADER: &str = "invalid gzip header";
const FIELD_TOO_LONG: &str = "gzip header field too long";
const BAD_CHECKSUM: &str = "corrupt gzip stream does not have a matching checksum";
const CORRUPT_DEFLATE: &str = "corrupt deflate stream";
const INCOMPLETE_DEFLATE: &str = "incomplete deflate stream";

// RFC 1952 header flags.
const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;
const FRESERVED: u8 = 0xe0;
/// flate2's limit on a header's file name or comment.
const MAX_HEADER_FIELD: usize = 65535;
/// Deflate cannot expand by more than about 1032:1, so an ISIZE hint beyond
/// that (a truncated input's "trailer" is just data) is not believed.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// Largest output capacity reserved from the trailer hint alone.
const MAX_HINT: u64 = 256 << 20;

thread_local! {
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// Inflates every gzip member of `input` into `out` (its old contents are
/// cleared; its capacity is reused), stopping once the output passes `cap`
/// bytes. With `peek`, the first [`SNIFF_LEN`] inflated bytes (or the whole
/// output, if shorter and complete) are shown to it before anything more is
/// inflated; if it returns true, inflation stops with [`Gunzip::Stopped`]
/// (`out` then holds at least the peeked bytes; natively, where libdeflate
/// inflates a single-member input in one call, possibly all of it).
pub(crate) fn gunzip(
    input: &[u8],
    out: &mut Vec<u8>,
    cap: u64,
    peek: Option<fn(&[u8]) -> bool>,
) -> Gunzip {
    out.clear();
    // Natively, the usual single-member file is inflated by libdeflate; it
    // declines everything else (its output is then exactly this path's).
    #[cfg(not(target_arch = "wasm32"))]
    if super::libdeflate::inflate_single_member(input, out, cap) {
        return match peek {
            Some(peek) if peek(&out[..out.len().min(SNIFF_LEN)]) => Gunzip::Stopped,
            _ => Gunzip::Done(None),
        };
    }
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut d) => Inflating::new(&mut d, out, cap, peek).run(input),
        // Only reachable if `peek` itself inflates: give it its own state.
        Err(_) => Inflating::new(&mut Decompress::new(false), out, cap, peek).run(input),
    })
}

/// One [`gunzip`] call's state.
struct Inflating<'a> {
    d: &'a mut Decompress,
    out: &'a mut Vec<u8>,
    cap: u64,
    peek: Option<fn(&[u8]) -> bool>,
}

/// Why inflation stopped early.
enum Stop {
    Broken(&'static str),
    OverCap,
    Stopped,
}

impl Inflating<'_> {
    fn new<'a>(
        d: &'a mut Decompress,
        out: &'a mut Vec<u8>,
        cap: u64,
        peek: Option<fn(&[u8]) -> bool>,
    ) -> Inflating<'a> {
        Inflating { d, out, cap, peek }
    }

    fn run(mut self, input: &[u8]) -> Gunzip {
        // The last member's ISIZE is the whole output's size for the usual
        // single-member file: reserve it once instead of growing.
        let hint = isize_hint(input).min(self.cap.saturating_add(1));
        self.out.reserve(usize::try_from(hint).unwrap_or(0));
        let mut pos = 0;
        let ended = loop {
            match self.member(&input[pos..]) {
                Ok(len) => pos += len,
                Err(stop) => break Err(stop),
            }
            if pos >= input.len() {
                break Ok(());
            }
        };
        match ended {
            Ok(()) => match self.peek.take() {
                // A complete output shorter than the peek length.
                Some(peek) if peek(self.out) => Gunzip::Stopped,
                _ => Gunzip::Done(None),
            },
            Err(Stop::Broken(why)) => Gunzip::Done(Some(why.to_string())),
            Err(Stop::OverCap) => Gunzip::OverCap,
            Err(Stop::Stopped) => Gunzip::Stopped,
        }
    }

    /// Inflates the member at the start of `data`; returns its length.
    fn member(&mut self, data: &[u8]) -> Result<usize, Stop> {
        let mut at = header_len(data).map_err(Stop::Broken)?;
        self.d.reset(false);
        let mut crc = Crc::new();
        loop {
            self.make_room();
            let (in_before, before) = (self.d.total_in(), self.out.len());
            let status = self.step(&data[at..]);
            let consumed = (self.d.total_in() - in_before) as usize;
            at += consumed;
            crc.update(&self.out[before..]);
            if self.out.len() as u64 > self.cap {
                self.out
                    .truncate(usize::try_from(self.cap + 1).unwrap_or(usize::MAX));
                return Err(Stop::OverCap);
            }
            if let Some(peek) = self.peek {
                if self.out.len() >= SNIFF_LEN {
                    self.peek = None;
                    if peek(&self.out[..SNIFF_LEN]) {
                        return Err(Stop::Stopped);
                    }
                }
            }
            match status {
                Ok(Status::StreamEnd) => break,
                // Room was made before the call, so no progress means the
                // input ran out mid-stream.
                Ok(_) if consumed == 0 && self.out.len() == before => {
                    return Err(Stop::Broken(INCOMPLETE_DEFLATE))
                }
                Ok(_) => {}
                Err(_) => return Err(Stop::Broken(CORRUPT_DEFLATE)),
            }
        }
        let trailer = data.get(at..at + 8).ok_or(Stop::Broken(EOF))?;
        if crc.sum() != le32(&trailer[..4]) || crc.amount() != le32(&trailer[4..]) {
            return Err(Stop::Broken(BAD_CHECKSUM));
        }
        Ok(at + 8)
    }

    /// Makes sure the output has spare capacity, growing by doubling (at
    /// least 32 KB) but never reserving far past the cap.
    fn make_room(&mut self) {
        if self.out.len() < self.out.capacity() {
            return;
        }
        let room = self
            .cap
            .saturating_add(1)
            .saturating_sub(self.out.len() as u64)
            .max(1);
        let grow = (self.out.len() as u64).max(32 << 10).min(room);
        self.out.reserve_exact(usize::try_from(grow).unwrap_or(1));
    }

    /// One inflate call. While a peek is pending it inflates at most up to
    /// the peek length (through a small stack buffer), so a tar.gz is
    /// recognised before it is inflated whole.
    fn step(&mut self, input: &[u8]) -> Result<Status, flate2::DecompressError> {
        if self.peek.is_none() {
            return self
                .d
                .decompress_vec(input, self.out, FlushDecompress::Finish);
        }
        let mut buf = [0u8; SNIFF_LEN];
        let want = SNIFF_LEN.saturating_sub(self.out.len()).max(1);
        let before = self.d.total_out();
        let status = self
            .d
            .decompress(input, &mut buf[..want], FlushDecompress::Finish);
        let made = (self.d.total_out() - before) as usize;
        self.out.extend_from_slice(&buf[..made]);
        status
    }
}

/// The length of the gzip member header at the start of `data`.
fn header_len(data: &[u8]) -> Result<usize, &'static str> {
    let fixed = data.get(..10).ok_or(EOF)?;
    if fixed[..3] != [0x1f, 0x8b, 8] || fixed[3] & FRESERVED != 0 {
        return Err(BAD_HEADER);
    }
    let flags = fixed[3];
    let mut pos = 10;
    if flags & FEXTRA != 0 {
        let xlen = data.get(pos..pos + 2).ok_or(EOF)?;
        pos += 2 + usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
        if pos > data.len() {
            return Err(EOF);
        }
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = &data[pos..];
            pos += match memchr::memchr(0, rest) {
                Some(n) if n <= MAX_HEADER_FIELD => n + 1,
                Some(_) => return Err(FIELD_TOO_LONG),
                None if rest.len() > MAX_HEADER_FIELD => return Err(FIELD_TOO_LONG),
                None => return Err(EOF),
            };
        }
    }
    if flags & FHCRC != 0 {
        let stored = data.get(pos..pos + 2).ok_or(EOF)?;
        let mut crc = Crc::new();
        crc.update(&data[..pos]);
        if u16::from_le_bytes([stored[0], stored[1]]) != crc.sum() as u16 {
            return Err(BAD_CHECKSUM);
        }
        pos += 2;
    }
    Ok(pos)
}

/// The last member's ISIZE, bounded by what deflate could expand the input
/// to: a capacity hint, never trusted as a size.
fn isize_hint(input: &[u8]) -> u64 {
    let Some(tail) = input.len().checked_sub(4).map(|i| &input[i..]) else {
        return 0;
    };
    u64::from(le32(tail))
        .min((input.len() as u64).saturating_mul(MAX_DEFLATE_RATIO))
        .min(MAX_HINT)
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::{Compression, GzBuilder};
    use std::io::{Read, Write};

    /// `data` as one gzip member (also used by `libdeflate`'s tests).
    pub(in crate::ingest) fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Varied, partly compressible text (several deflate blocks).
    fn text(n: usize) -> Vec<u8> {
        let mut v = Vec::new();
        let mut x = 12345u32;
        while v.len() < n {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            write!(v, "{{\"eventID\":\"{:08x}\",\"n\":{}}},", x, x % 97).unwrap();
        }
        v.truncate(n);
        v
    }

    fn run(input: &[u8], cap: u64) -> (Vec<u8>, Gunzip) {
        let mut out = b"stale".to_vec();
        let r = gunzip(input, &mut out, cap, None);
        (out, r)
    }

    /// What flate2's MultiGzDecoder makes of `input`: output and error text.
    fn reference(input: &[u8]) -> (Vec<u8>, Option<String>) {
        let mut out = Vec::new();
        let err = flate2::bufread::MultiGzDecoder::new(input)
            .read_to_end(&mut out)
            .err()
            .map(|e| e.to_string());
        (out, err)
    }

    #[test]
    fn single_and_multi_member() {
        let (a, b) = (text(70_000), text(3_000));
        assert_eq!(run(&gz(&a), u64::MAX), (a.clone(), Gunzip::Done(None)));
        let mut two = gz(&a);
        two.extend(gz(&b));
        two.extend(gz(b""));
        let (out, r) = run(&two, u64::MAX);
        assert_eq!(r, Gunzip::Done(None));
        assert_eq!(out, [a, b].concat());
    }

    #[test]
    fn optional_header_fields() {
        let data = text(5_000);
        let mut e = GzBuilder::new()
            .filename("x.json")
            .extra(vec![1, 2, 3, 0, 5])
            .comment("a comment")
            .write(Vec::new(), Compression::fast());
        e.write_all(&data).unwrap();
        let with_fields = e.finish().unwrap();
        assert_ne!(with_fields[3] & (FNAME | FEXTRA | FCOMMENT), 0);
        assert_eq!(
            run(&with_fields, u64::MAX),
            (data.clone(), Gunzip::Done(None))
        );

        // FHCRC: flate2 does not write one, so add it by hand.
        let plain = gz(&data);
        let mut hcrc = plain[..10].to_vec();
        hcrc[3] |= FHCRC;
        let mut crc = Crc::new();
        crc.update(&hcrc);
        hcrc.extend((crc.sum() as u16).to_le_bytes());
        hcrc.extend(&plain[10..]);
        assert_eq!(run(&hcrc, u64::MAX), (data.clone(), Gunzip::Done(None)));
        assert_eq!(reference(&hcrc).1, None);
        hcrc[10] ^= 1;
        assert_eq!(
            run(&hcrc, u64::MAX).1,
            Gunzip::Done(Some(BAD_CHECKSUM.into()))
        );

        let mut reserved = plain.clone();
        reserved[3] |= 0x20;
        assert_eq!(
            run(&reserved, u64::MAX),
            (vec![], Gunzip::Done(Some(BAD_HEADER.into())))
        );

        let mut long = plain[..10].to_vec();
        long[3] |= FNAME;
        long.extend(std::iter::repeat_n(b'n', MAX_HEADER_FIELD + 1));
        long.push(0);
        long.extend(&plain[10..]);
        assert_eq!(
            run(&long, u64::MAX).1,
            Gunzip::Done(Some(FIELD_TOO_LONG.into()))
        );
        assert_eq!(reference(&long).1.as_deref(), Some(FIELD_TOO_LONG));
    }

    #[test]
    fn bad_trailer_keeps_the_output() {
        let data = text(20_000);
        let good = gz(&data);
        let n = good.len();
        for at in [n - 8, n - 1] {
            // CRC32 (first trailer byte), then ISIZE (last byte).
            let mut bad = good.clone();
            bad[at] ^= 0x40;
            assert_eq!(
                run(&bad, u64::MAX),
                (data.clone(), Gunzip::Done(Some(BAD_CHECKSUM.into())))
            );
            assert_eq!(reference(&bad).1.as_deref(), Some(BAD_CHECKSUM));
        }
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        let data = text(2_000);
        for junk in [&b"\0\0\0\0"[..], b"not a gzip member at all", b"\x1f\x8b"] {
            let mut input = gz(&data);
            input.extend(junk);
            let (out, r) = run(&input, u64::MAX);
            assert_eq!(out, data);
            let want = reference(&input).1;
            assert!(want.is_some());
            assert_eq!(r, Gunzip::Done(want), "{junk:?}");
        }
    }

    #[test]
    fn empty_and_truncated() {
        assert_eq!(run(b"", u64::MAX), (vec![], Gunzip::Done(Some(EOF.into()))));
        let data = text(50_000);
        let good = gz(&data);
        for (cut, why) in [
            (5, EOF),
            (10, INCOMPLETE_DEFLATE),
            (good.len() / 2, INCOMPLETE_DEFLATE),
            (good.len() - 8, EOF),
            (good.len() - 3, EOF),
        ] {
            let (out, r) = run(&good[..cut], u64::MAX);
            assert_eq!(r, Gunzip::Done(Some(why.into())), "cut at {cut}");
            assert!(data.starts_with(&out));
            if cut >= good.len() - 8 {
                assert_eq!(out, data);
            }
        }
    }

    #[test]
    fn every_cut_point_matches_multigzdecoder() {
        let mut input = gz(&text(30_000));
        input.extend(gz(&text(700)));
        for cut in 0..=input.len() {
            let (out, r) = run(&input[..cut], u64::MAX);
            let (want, err) = reference(&input[..cut]);
            assert_eq!(out, want, "cut at {cut}");
            assert_eq!(r, Gunzip::Done(err), "cut at {cut}");
        }
    }

    #[test]
    fn corruption_is_reported_like_multigzdecoder() {
        let input = gz(&text(30_000));
        for at in (0..input.len()).step_by(97) {
            let mut bad = input.clone();
            bad[at] ^= 0x10;
            let (out, r) = run(&bad, u64::MAX);
            let (want, err) = reference(&bad);
            // flate2 drops the output of the inflate call that failed; this
            // keeps it, so flate2's output is a prefix of this one's.
            assert!(out.starts_with(&want), "flip at {at}");
            assert_eq!(
                r == Gunzip::Done(None),
                err.is_none(),
                "flip at {at}: {r:?} {err:?}"
            );
        }
    }

    #[test]
    fn cap_is_exact() {
        let data = text(100_000);
        let input = gz(&data);
        let len = data.len() as u64;
        assert_eq!(run(&input, len), (data.clone(), Gunzip::Done(None)));
        let (out, r) = run(&input, len - 1);
        assert_eq!((out.len() as u64, r), (len, Gunzip::OverCap));
        let (out, r) = run(&input, 1000);
        assert_eq!((out.len(), r), (1001, Gunzip::OverCap));
        assert_eq!(out, data[..1001]);
    }

    #[test]
    fn peek_sees_the_first_bytes_then_stops_or_goes_on() {
        let data = text(40_000);
        let input = gz(&data);
        let mut out = Vec::new();
        assert_eq!(
            gunzip(&input, &mut out, u64::MAX, Some(|h| h.starts_with(b"{"))),
            Gunzip::Stopped
        );
        // What `out` holds after a stop is unspecified (natively libdeflate
        // has inflated it all); it holds at least what was peeked.
        assert!(out.len() >= SNIFF_LEN);
        assert_eq!(
            gunzip(&input, &mut out, u64::MAX, Some(|h| h.len() != SNIFF_LEN)),
            Gunzip::Done(None)
        );
        assert_eq!(out, data);
        // A complete output shorter than the peek length is peeked whole.
        let short = gz(b"tiny");
        assert_eq!(
            gunzip(&short, &mut out, u64::MAX, Some(|h| h == b"tiny")),
            Gunzip::Stopped
        );
    }
}
