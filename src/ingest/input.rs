//! Reading one input (a file or a file's bytes) into the [`Sink`]: gzip, zip,
//! tar and tar.gz recognised by magic bytes, archive entries decompressed one
//! at a time (never a second full copy of the archive), each expansion capped
//! against decompression bombs ([`caps`]); each document then goes to
//! [`parse_document`]. Re-reading one event later is [`reread`](super::reread).

use super::caps::{self, Compressed, Counted};
use super::document::parse_document;
use super::error::SkipReason;
use super::gunzip::{gunzip, Gunzip};
use super::scratch;
use super::sink::Sink;
use super::sniff::{self, Magic, SNIFF_LEN};
use flate2::bufread::MultiGzDecoder as SliceGzDecoder;
use std::cell::Cell;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

/// Whether `name` is passed over before any of it is read: the memory guard
/// is full, or it is a CloudTrail digest file (listed as skipped either way).
fn refused_unread(sink: &mut Sink, name: &str) -> bool {
    if sink.full() {
        sink.not_read(name);
        return true;
    }
    if sniff::is_digest_path(name) {
        sink.skip(name, SkipReason::Digest);
        return true;
    }
    false
}

/// Reads one input already in memory. Same result as [`read_input`] over a
/// cursor, without its seeks and sniffing copy, and gzip is inflated straight
/// from `bytes` (a tar.gz still streams, entry by entry).
pub(crate) fn read_bytes(sink: &mut Sink, name: &str, bytes: &[u8]) {
    if refused_unread(sink, name) {
        return;
    }
    sink.batch.report.bytes_read += bytes.len() as u64;
    match sniff::magic(bytes) {
        Magic::Zip => zip_entries(sink, name, Cursor::new(bytes)),
        Magic::Tar => tar_entries(sink, name, bytes, None),
        Magic::Gzip => whole_gzip(sink, name, bytes),
        Magic::Plain => {
            let cap = caps::expansion_cap(sink.limits, None);
            if bytes.len() as u64 > cap {
                sink.skip(name, caps::over_cap_reason(cap, None, sink.limits));
            } else {
                parse_document(sink, name, 0, bytes, None);
            }
        }
    }
}

/// Reads one input (plain file, gzip, zip, tar, tar.gz) into the sink.
pub(crate) fn read_input<R: Read + Seek>(sink: &mut Sink, name: &str, mut reader: R) {
    if refused_unread(sink, name) {
        return;
    }
    let size = reader.seek(SeekFrom::End(0)).ok();
    sink.batch.report.bytes_read += size.unwrap_or(0);
    let head = match rewind_and_peek(&mut reader) {
        Ok(h) => h,
        Err(e) => {
            sink.skip(name, SkipReason::CannotRead(e));
            return;
        }
    };
    match sniff::magic(&head) {
        Magic::Zip => zip_entries(sink, name, reader),
        Magic::Tar => tar_entries(sink, name, reader, None),
        Magic::Gzip => match size {
            // Typical S3 log files are small: read them whole and inflate from
            // the slice into a buffer sized by the gzip trailer (no regrowth).
            Some(s) if s <= SMALL_GZIP => {
                let mut raw = scratch::take(scratch::RAW);
                raw.reserve(s as usize);
                match reader.read_to_end(&mut raw) {
                    Ok(_) => whole_gzip(sink, name, &raw),
                    Err(e) => sink.skip(name, SkipReason::CannotRead(e)),
                }
                scratch::give(scratch::RAW, raw);
            }
            _ => {
                let consumed = Rc::new(Cell::new(0));
                let raw = Counted::new(BufReader::with_capacity(256 * 1024, reader), &consumed);
                gzip_input(sink, name, SliceGzDecoder::new(raw), size, &consumed)
            }
        },
        Magic::Plain => {
            match caps::read_capped(sink.limits, reader, Vec::new(), &Compressed::Unknown) {
                Ok((bytes, err)) => parse_document(sink, name, 0, &bytes, err),
                Err(reason) => sink.skip(name, reason),
            }
        }
    }
}

pub(super) fn rewind_and_peek<R: Read + Seek>(reader: &mut R) -> io::Result<Vec<u8>> {
    reader.seek(SeekFrom::Start(0))?;
    let head = peek(reader)?;
    reader.seek(SeekFrom::Start(0))?;
    Ok(head)
}

/// Up to [`SNIFF_LEN`] bytes from the start of `r`.
pub(super) fn peek<R: Read>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    r.take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Gzip files up to this size are read into memory before inflating.
const SMALL_GZIP: u64 = 16 << 20;

/// A whole gzip input in memory, inflated with the per-thread inflater. The
/// outcome is the one [`gzip_input`] gives the same bytes; a tar.gz, seen in
/// its first inflated bytes, is handed to it to stream entry by entry.
fn whole_gzip(sink: &mut Sink, name: &str, raw: &[u8]) {
    let is_tar: fn(&[u8]) -> bool = |head| sniff::magic(head) == Magic::Tar;
    match inflate_whole(sink, raw, Some(is_tar)) {
        Inflated::Stopped => {
            let consumed = Rc::new(Cell::new(0));
            let gz = SliceGzDecoder::new(Counted::new(raw, &consumed));
            gzip_input(sink, name, gz, Some(raw.len() as u64), &consumed)
        }
        Inflated::OverCap(reason) => sink.skip(name, reason),
        Inflated::Text(text, err) => {
            match err {
                Some(e) if text.is_empty() => sink.skip(name, SkipReason::CorruptGzip(e)),
                // As `gzip_input` words a break within the sniffed head.
                Some(e) if text.len() < SNIFF_LEN => {
                    parse_document(sink, name, 0, &text, Some(format!("gzip: {e}")))
                }
                err => parse_document(sink, name, 0, &text, err),
            }
            scratch::give(scratch::TEXT, text);
        }
    }
}

/// What [`inflate_whole`] made of a gzip input.
enum Inflated {
    /// The text (in the [`scratch::TEXT`] buffer: give it back) and, when the
    /// stream broke, the error beside what was inflated before the break.
    Text(Vec<u8>, Option<String>),
    /// The expansion passed the cap: the reason to skip the input with.
    OverCap(SkipReason),
    /// `peek` asked to stop (the caller streams the input instead).
    Stopped,
}

/// Inflates a whole gzip file or entry in memory within its expansion cap
/// (the size per entry and the bomb ratio).
fn inflate_whole(sink: &mut Sink, raw: &[u8], peek: Option<fn(&[u8]) -> bool>) -> Inflated {
    let compressed = Some(raw.len() as u64);
    let cap = caps::expansion_cap(sink.limits, compressed);
    let mut text = scratch::take(scratch::TEXT);
    let outcome = gunzip(raw, &mut text, cap, peek);
    let inflated = match outcome {
        Gunzip::Done(err) => return Inflated::Text(text, err),
        Gunzip::OverCap => Inflated::OverCap(caps::over_cap_reason(cap, compressed, sink.limits)),
        Gunzip::Stopped => Inflated::Stopped,
    };
    scratch::give(scratch::TEXT, text);
    inflated
}

/// A gzip input: a compressed document, or a tar.gz streamed entry by entry
/// (`consumed` counts the gzip bytes the decoder has taken, for the ratio of
/// each tar entry).
fn gzip_input<G: Read>(
    sink: &mut Sink,
    name: &str,
    mut gz: G,
    size: Option<u64>,
    consumed: &Rc<Cell<u64>>,
) {
    let mut head = scratch::take(scratch::TEXT);
    head.reserve(SNIFF_LEN);
    let head_err = (&mut gz)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .err();
    if let Some(e) = &head_err {
        if head.is_empty() {
            sink.skip(name, SkipReason::CorruptGzip(e.to_string()));
            return;
        }
    }
    if head_err.is_none() && sniff::magic(&head) == Magic::Tar {
        tar_entries(sink, name, Cursor::new(head).chain(gz), Some(consumed));
        return;
    }
    let compressed = size.map_or(Compressed::Unknown, Compressed::Known);
    let result = match head_err {
        Some(e) => Ok((head, Some(format!("gzip: {e}")))),
        None => caps::read_capped(sink.limits, gz, head, &compressed),
    };
    match result {
        Ok((bytes, err)) => {
            parse_document(sink, name, 0, &bytes, err);
            scratch::give(scratch::TEXT, bytes);
        }
        Err(reason) => sink.skip(name, reason),
    }
}

/// One archive entry's raw bytes → (gunzipped) document.
fn entry_bytes(sink: &mut Sink, path: &str, entry: u32, raw: Vec<u8>, raw_err: Option<String>) {
    if sniff::is_digest_path(path) {
        sink.skip(path, SkipReason::Digest);
        return;
    }
    match sniff::magic(&raw) {
        Magic::Gzip => match inflate_whole(sink, &raw, None) {
            Inflated::Text(text, err) => {
                if text.is_empty() {
                    let why = err.or(raw_err).unwrap_or_else(|| "empty".into());
                    sink.skip(path, SkipReason::CorruptGzip(why));
                } else {
                    parse_document(sink, path, entry, &text, err.or(raw_err));
                }
                scratch::give(scratch::TEXT, text);
            }
            Inflated::OverCap(reason) => sink.skip(path, reason),
            // Only a peek stops inflating early, and none was asked for.
            Inflated::Stopped => {}
        },
        Magic::Zip | Magic::Tar => sink.skip(path, SkipReason::NestedArchive),
        Magic::Plain => parse_document(sink, path, entry, &raw, raw_err),
    }
}

/// Reads part `part` of `parts` of a zip input: a contiguous run of its
/// entries, so several workers can share one archive. Part 0 also counts the
/// input's bytes and, for an input that is not a zip, reads it whole; the
/// other parts of a non-zip input are empty.
pub(crate) fn read_zip_part<R: Read + Seek>(
    sink: &mut Sink,
    name: &str,
    mut reader: R,
    part: u32,
    parts: u32,
) {
    let is_zip = rewind_and_peek(&mut reader).is_ok_and(|head| sniff::magic(&head) == Magic::Zip);
    if !is_zip || parts <= 1 {
        if part == 0 {
            read_input(sink, name, reader);
        }
        return;
    }
    if part == 0 {
        sink.batch.report.bytes_read += reader.seek(SeekFrom::End(0)).unwrap_or(0);
    }
    zip_entries_part(sink, name, reader, part, parts);
}

fn zip_entries<R: Read + Seek>(sink: &mut Sink, name: &str, reader: R) {
    zip_entries_part(sink, name, reader, 0, 1);
}

fn zip_entries_part<R: Read + Seek>(sink: &mut Sink, name: &str, reader: R, part: u32, parts: u32) {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            sink.skip(name, SkipReason::CorruptZip(e));
            return;
        }
    };
    let mut files = 0;
    let (part, parts) = (part as usize, parts.max(1) as usize);
    let range = zip.len() * part / parts..zip.len() * (part + 1) / parts;
    for i in 0..zip.len() {
        if !range.contains(&i) {
            // Another part reads it; count it so "holds no files" stays true to the archive.
            files += usize::from(zip.name_for_index(i).is_some_and(|n| !n.ends_with('/')));
            continue;
        }
        if sink.full() {
            if let Some(entry) = zip.name_for_index(i).filter(|n| !n.ends_with('/')) {
                files += 1;
                let path = format!("{name}!{entry}");
                sink.not_read(&path);
            }
            continue;
        }
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                files += 1;
                let reason = SkipReason::CorruptZipEntry(e.to_string());
                sink.skip(&format!("{name}!#{i}"), reason);
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        files += 1;
        let path = format!("{name}!{}", entry.name());
        let declared = entry.compressed_size();
        if let Some(reason) = caps::declared_too_large(sink.limits, entry.size()) {
            sink.skip(&path, reason);
            continue;
        }
        match caps::read_capped(
            sink.limits,
            &mut entry,
            Vec::new(),
            &Compressed::Known(declared),
        ) {
            Ok((_, Some(err))) => sink.skip(&path, SkipReason::CorruptZipEntry(err)),
            Ok((raw, None)) => entry_bytes(sink, &path, i as u32, raw, None),
            Err(reason) => sink.skip(&path, reason),
        }
    }
    if files == 0 && part == 0 {
        sink.skip(name, SkipReason::EmptyArchive);
    }
}

/// The entries of a tar, one at a time; `consumed` counts the compressed
/// bytes behind it when it is a `.tar.gz` (each entry's ratio is checked).
fn tar_entries<R: Read>(sink: &mut Sink, name: &str, reader: R, consumed: Option<&Rc<Cell<u64>>>) {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            sink.skip(name, SkipReason::CorruptTar(e));
            return;
        }
    };
    let mut files = 0;
    for (i, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                files += 1;
                sink.skip(&format!("{name}!#{i}"), SkipReason::TarBroken(e));
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        files += 1;
        let path = format!("{name}!{}", String::from_utf8_lossy(&entry.path_bytes()));
        if sink.full() {
            sink.not_read(&path);
            continue;
        }
        if let Some(reason) = caps::declared_too_large(sink.limits, entry.size()) {
            sink.skip(&path, reason);
            continue;
        }
        let compressed = Compressed::from_stream(consumed);
        match caps::read_capped(sink.limits, &mut entry, Vec::new(), &compressed) {
            Ok((raw, err)) if raw.is_empty() && err.is_some() => {
                let reason = SkipReason::CorruptTarEntry(err.unwrap_or_default());
                sink.skip(&path, reason)
            }
            Ok((raw, err)) => entry_bytes(sink, &path, i as u32, raw, err),
            Err(reason) => sink.skip(&path, reason),
        }
    }
    if files == 0 {
        sink.skip(name, SkipReason::EmptyArchive);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::gunzip::tests::gz;
    use crate::ingest::Limits;
    use crate::ingest::{parse_bytes, parse_reader};

    fn batch_json(limits: &Limits, read: impl FnOnce(&mut Sink)) -> String {
        let mut sink = Sink::new(0, limits);
        read(&mut sink);
        serde_json::to_string(&sink.finish()).unwrap()
    }

    fn doc(n: usize) -> Vec<u8> {
        let recs: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T00:00:{:02}Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","recipientAccountId":"111122223333","eventID":"e{i}"}}"#, i % 60))
            .collect();
        format!(r#"{{"Records":[{}]}}"#, recs.join(",")).into_bytes()
    }

    fn tar(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, bytes) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_cksum();
            b.append_data(&mut h, name, bytes.as_slice()).unwrap();
        }
        b.into_inner().unwrap()
    }

    /// The in-memory inflater gives, cut anywhere, the batch the streaming
    /// `MultiGzDecoder` path gives (records, bad records, reasons, counts).
    #[test]
    fn whole_gzip_matches_the_streaming_path_at_every_cut() {
        let limits = Limits::default();
        let tgz = gz(&tar(&[("a.json", doc(3)), ("b.json.gz", gz(&doc(4)))]));
        for input in [gz(&doc(40)), tgz] {
            let cuts = (0..input.len())
                .step_by(13)
                .chain([input.len() - 4, input.len()]);
            for cut in cuts {
                let raw = &input[..cut];
                let size = Some(raw.len() as u64);
                let want = batch_json(&limits, |s| {
                    let consumed = Rc::new(Cell::new(0));
                    gzip_input(s, "x.gz", SliceGzDecoder::new(raw), size, &consumed)
                });
                let got = batch_json(&limits, |s| whole_gzip(s, "x.gz", raw));
                if cut == input.len() {
                    assert!(got.contains(r#""records":7,"#) || got.contains(r#""records":40,"#));
                }
                assert_eq!(got, want, "cut at {cut} of {}", input.len());
            }
        }
    }

    /// An input in memory reads as it does through a seeking reader.
    #[test]
    fn read_bytes_matches_read_input() {
        let tight = Limits {
            max_entry_bytes: 3000,
            ..Limits::default()
        };
        let g = gz(&doc(30));
        let inputs = [
            ("plain.json", doc(5)),
            ("x.json.gz", g.clone()),
            ("cut.json.gz", g[..g.len() / 2].to_vec()),
            ("x.tar", tar(&[("a.json", doc(2)), ("b.gz", g.clone())])),
            ("x.tgz", gz(&tar(&[("a.json", doc(2))]))),
            ("a/CloudTrail-Digest/d.json.gz", g.clone()),
            ("junk.zip", b"PK\x03\x04 not a zip".to_vec()),
        ];
        for limits in [Limits::default(), tight] {
            for (name, bytes) in &inputs {
                let want = parse_reader(0, name, Cursor::new(bytes), &limits);
                let got = parse_bytes(0, name, bytes, &limits);
                assert_eq!(
                    serde_json::to_string(&got).unwrap(),
                    serde_json::to_string(&want).unwrap(),
                    "{name}"
                );
            }
        }
    }
}
