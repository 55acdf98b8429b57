//! Native filesystem inputs: walking files and folders (recursively, in a
//! deterministic order) and parsing them across cores with rayon.

use super::builder::Run;
use super::error::{EventReadError, SkipReason};
use super::scratch;
use super::{
    not_read_batch, parse_bytes, parse_reader, parse_reader_part, read_event_json, Batch,
    DatasetBuilder, Limits, LoadReport,
};
use crate::model::{Dataset, Origin};
use rayon::prelude::*;
use std::ffi::OsString;
use std::fs::File;
use std::io::{BufReader, ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Loads every file under `paths` (folders walked recursively, entries sorted
/// by name). Inputs are numbered in that order: paths as given, each folder's
/// files sorted; a missing path becomes a skipped file.
///
/// The memory guard: `limits.max_events` bounds the events of the whole load.
/// Each file may take what is left of it when its parse starts, so files
/// read at the same moment on other threads can pass it by at most their
/// own events; once it is reached the files not yet read are skipped with
/// [`NOT_READ_REASON`](super::NOT_READ_REASON). Which files those are then
/// depends on thread timing; below the limit the result is deterministic.
pub fn load_paths(paths: &[PathBuf], limits: &Limits) -> (Dataset, LoadReport) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        walk(p, &mut files, &mut missing);
    }
    let taken = AtomicU64::new(0);
    let jobs = jobs_of(&files, limits.zip_part_bytes);
    // Each rayon job folds its contiguous share of the files, in order, into
    // one run; the builder then merges a few runs instead of 12,000 batches.
    let runs: Vec<Run> = jobs
        .par_iter()
        .fold(Run::default, |mut run, job| {
            let name = job.path.display().to_string();
            let left = limits
                .max_events
                .saturating_sub(taken.load(Ordering::Relaxed));
            let batch = if left == 0 {
                if job.part == 0 {
                    not_read_batch(job.input, &name, limits.max_events)
                } else {
                    Batch {
                        input: job.input,
                        ..Batch::default()
                    }
                }
            } else if left == limits.max_events {
                parse_job(job, &name, limits)
            } else {
                let mine = Limits {
                    max_events: left,
                    ..limits.clone()
                };
                let mut batch = parse_job(job, &name, &mine);
                batch.report.max_events_reached =
                    batch.report.max_events_reached.map(|_| limits.max_events);
                batch
            };
            taken.fetch_add(batch.events.len() as u64, Ordering::Relaxed);
            run.push(name, batch);
            run
        })
        .collect();
    let mut builder = DatasetBuilder::new();
    let n = files.len() as u32;
    for run in runs {
        builder.add_run(run);
    }
    for (k, (path, reason)) in missing.into_iter().enumerate() {
        let mut b = Batch {
            input: n + k as u32,
            ..Batch::default()
        };
        b.report.files_seen = 1;
        b.report.skipped_files.push(crate::model::SkippedFile {
            path: path.clone(),
            reason: reason.to_string(),
        });
        builder.add(path, b);
    }
    builder.finish()
}

/// One rayon job: part `part` of `parts` of input `input`.
struct Job<'a> {
    input: u32,
    path: &'a Path,
    part: u32,
    parts: u32,
}

/// The jobs of `files`, in input order: one per file, several per big `.zip`.
///
/// A `.zip` over `part_bytes` ([`Limits::zip_part_bytes`]) is read in parts of
/// about that many compressed bytes (runs of its entries), each a rayon job
/// of its own: the parts parse in parallel, and each part's events go into
/// its run's compact store as it ends, so a multi-GB archive peaks like a
/// folder of the same logs instead of holding every event of the archive in
/// one batch. The browser splits the same way (`load_plan`).
fn jobs_of(files: &[PathBuf], part_bytes: u64) -> Vec<Job<'_>> {
    let mut jobs = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let parts = zip_parts(path, part_bytes);
        for part in 0..parts {
            jobs.push(Job {
                input: i as u32,
                path,
                part,
                parts,
            });
        }
    }
    jobs
}

/// How many parts a file is read in: one, unless it is a `.zip` (by name)
/// over `part_bytes`. A part that finds no zip reads nothing but part 0
/// reads the whole input, so a misnamed file is still read exactly once.
fn zip_parts(path: &Path, part_bytes: u64) -> u32 {
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let size = if is_zip {
        std::fs::metadata(path).map_or(0, |m| m.len())
    } else {
        0
    };
    u32::try_from(size.div_ceil(part_bytes.max(1)))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// Parses one job: a whole file, or one part of a big `.zip`.
fn parse_job(job: &Job<'_>, name: &str, limits: &Limits) -> Batch {
    if job.parts <= 1 {
        return parse_file(job.input, name, job.path, limits);
    }
    match File::open(job.path) {
        Ok(f) => parse_reader_part(
            job.input,
            name,
            BufReader::with_capacity(256 * 1024, f),
            limits,
            job.part,
            job.parts,
        ),
        // Part 0 reports the file that cannot be opened, once.
        Err(_) if job.part > 0 => Batch {
            input: job.input,
            ..Batch::default()
        },
        Err(_) => parse_file(job.input, name, job.path, limits),
    }
}

/// Files up to this size are read whole with plain reads and parsed from
/// memory: through a seeking `BufReader` a 5 KB log file cost about a dozen
/// syscalls (seeks, a sniffing read, a re-read), now four (open, read, the
/// read that sees the end, close) and no `stat`: the size is not asked for.
const READ_WHOLE: usize = 1 << 20;

/// The whole-file buffer starts this big, so one read takes a typical file.
const FIRST_READ: usize = 64 << 10;

/// Parses one file; the result is the same whichever way it is read.
fn parse_file(input: u32, name: &str, path: &Path, limits: &Limits) -> Batch {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            let mut b = Batch {
                input,
                ..Batch::default()
            };
            b.report.files_seen = 1;
            b.report.skipped_files.push(crate::model::SkippedFile {
                path: name.to_string(),
                reason: SkipReason::CannotOpen(e).to_string(),
            });
            return b;
        }
    };
    let mut buf = scratch::take_initialized(scratch::FILE);
    let batch = match read_whole(&f, &mut buf) {
        Some(len) => parse_bytes(input, name, &buf[..len], limits),
        // A read error or a big file: the streaming path (which seeks back to
        // the start) reads it and reports any error as before.
        None => parse_reader(input, name, BufReader::with_capacity(256 * 1024, f), limits),
    };
    scratch::give(scratch::FILE, buf);
    batch
}

/// Reads `f` whole into `buf` if it holds at most [`READ_WHOLE`] bytes: its
/// length, or None after a read error or once it proves bigger. `buf` keeps
/// its (zero-initialised once, then stale) contents between files, so plain
/// `read` calls fill it without zeroing or probing for the file's size.
fn read_whole(mut f: &File, buf: &mut Vec<u8>) -> Option<usize> {
    if buf.len() < FIRST_READ {
        buf.resize(FIRST_READ, 0);
    }
    let mut len = 0;
    loop {
        if len == buf.len() {
            if len > READ_WHOLE {
                return None;
            }
            buf.resize(len * 2, 0);
        }
        match f.read(&mut buf[len..]) {
            Ok(0) => return (len <= READ_WHOLE).then_some(len),
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Adds the files under `p` to `files` in order (a folder's entries sorted by
/// name), and what cannot be read to `missing`.
fn walk(p: &Path, files: &mut Vec<PathBuf>, missing: &mut Vec<(String, SkipReason)>) {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => walk_dir(p, files, missing),
        Ok(m) if m.is_file() => files.push(p.to_path_buf()),
        Ok(_) => missing.push((p.display().to_string(), SkipReason::NotRegularFile)),
        Err(e) => missing.push((p.display().to_string(), SkipReason::CannotRead(e))),
    }
}

/// A folder's entries, typed from the directory listing itself (no `stat`
/// per file); symlinks and anything unusual go through [`walk`], which
/// follows links and words the errors.
fn walk_dir(p: &Path, files: &mut Vec<PathBuf>, missing: &mut Vec<(String, SkipReason)>) {
    let rd = match std::fs::read_dir(p) {
        Ok(rd) => rd,
        Err(e) => {
            missing.push((p.display().to_string(), SkipReason::CannotReadFolder(e)));
            return;
        }
    };
    // Sorting by name alone orders the paths exactly as comparing them would
    // (same parent; a name is one component, compared as bytes), without
    // `Path`'s component-by-component comparison, which cost more than
    // everything else in the walk.
    let mut children: Vec<(OsString, Option<std::fs::FileType>)> = rd
        .filter_map(|e| e.ok().map(|e| (e.file_name(), e.file_type().ok())))
        .collect();
    children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in children {
        let c = p.join(name);
        match kind {
            Some(k) if k.is_file() => files.push(c),
            Some(k) if k.is_dir() => walk_dir(&c, files, missing),
            _ => walk(&c, files, missing),
        }
    }
}

/// Re-reads one event's original JSON from the file at `path`.
pub fn read_event_json_from_path(path: &Path, origin: &Origin) -> Result<String, EventReadError> {
    let f = File::open(path).map_err(|e| EventReadError::input(&path.display().to_string(), e))?;
    read_event_json(
        BufReader::new(f),
        &path.display().to_string(),
        origin,
        &Limits::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_orders_files_as_sorted_paths_and_reads_them_whole() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "b", "a.b", "ab", "a-b", "B", "a/z", "a/y", "a b/c", "ab.d/e",
        ];
        for n in names {
            let p = dir.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, n).unwrap();
        }
        let (mut files, mut missing) = (Vec::new(), Vec::new());
        walk(dir.path(), &mut files, &mut missing);
        let mut want: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        want.sort();
        assert_eq!(files, want);
        assert!(missing.is_empty());

        walk(&dir.path().join("nope"), &mut files, &mut missing);
        let reason = missing[0].1.to_string();
        assert!(reason.starts_with("cannot read: "), "{reason}");

        // Past the first read's buffer, and a file too big to read whole.
        let mut buf = Vec::new();
        for len in [0, 5, FIRST_READ, FIRST_READ + 1, READ_WHOLE, READ_WHOLE + 1] {
            let p = dir.path().join("big");
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&p, &data).unwrap();
            let got = read_whole(&File::open(&p).unwrap(), &mut buf);
            if len <= READ_WHOLE {
                assert_eq!(got, Some(len));
                assert_eq!(buf[..len], data[..]);
            } else {
                assert_eq!(got, None);
            }
        }
    }
}
