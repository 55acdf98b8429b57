//! Native filesystem inputs: walking files and folders (recursively, in a
//! deterministic order) and parsing them across cores with rayon.

use super::{
    parse_bytes, parse_reader, read_event_json, Batch, DatasetBuilder, Limits, LoadReport,
};
use crate::model::{Dataset, Origin};
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Loads every file under `paths` (folders walked recursively, entries sorted
/// by name). Inputs are numbered in that order: paths as given, each folder's
/// files sorted; a missing path becomes a skipped file.
pub fn load_paths(paths: &[PathBuf], limits: &Limits) -> (Dataset, LoadReport) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        walk(p, &mut files, &mut missing);
    }
    let batches: Vec<(String, Batch)> = files
        .par_iter()
        .enumerate()
        .map(|(i, (path, size))| {
            let name = path.display().to_string();
            let batch = parse_file(i as u32, &name, path, *size, limits);
            (name, batch)
        })
        .collect();
    let mut builder = DatasetBuilder::new();
    let n = batches.len() as u32;
    for (name, batch) in batches {
        builder.add(name, batch);
    }
    for (k, (path, reason)) in missing.into_iter().enumerate() {
        let mut b = Batch {
            input: n + k as u32,
            ..Batch::default()
        };
        b.report.files_seen = 1;
        b.report.skipped_files.push(crate::model::SkippedFile {
            path: path.clone(),
            reason,
        });
        builder.add(path, b);
    }
    builder.finish()
}

/// Files up to this size (as the walk saw it) are read whole with plain reads
/// and parsed from memory: through a seeking `BufReader` a 5 KB log file cost
/// about a dozen syscalls (seeks, a sniffing read, a re-read), now four.
const READ_WHOLE: u64 = 1 << 20;

/// Parses one file; the result is the same whichever way it is read.
fn parse_file(input: u32, name: &str, path: &Path, size: u64, limits: &Limits) -> Batch {
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
                reason: format!("cannot open: {e}"),
            });
            return b;
        }
    };
    if size <= READ_WHOLE {
        // One spare byte of capacity lets the end show without another grow.
        let mut bytes = Vec::with_capacity(size as usize + 1);
        let read = (&f).take(READ_WHOLE + 1).read_to_end(&mut bytes);
        if read.is_ok() && bytes.len() as u64 <= READ_WHOLE {
            return parse_bytes(input, name, &bytes, limits);
        }
        // A read error or a file that grew: the streaming path (which seeks
        // back to the start) reads it and reports any error as before.
    }
    parse_reader(input, name, BufReader::with_capacity(256 * 1024, f), limits)
}

fn walk(p: &Path, files: &mut Vec<(PathBuf, u64)>, missing: &mut Vec<(String, String)>) {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(p) {
            Ok(rd) => {
                let mut children: Vec<PathBuf> =
                    rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    walk(&c, files, missing);
                }
            }
            Err(e) => missing.push((p.display().to_string(), format!("cannot read folder: {e}"))),
        },
        Ok(m) if m.is_file() => files.push((p.to_path_buf(), m.len())),
        Ok(_) => missing.push((p.display().to_string(), "not a regular file".into())),
        Err(e) => missing.push((p.display().to_string(), format!("cannot read: {e}"))),
    }
}

/// Re-reads one event's original JSON from the file at `path`.
pub fn read_event_json_from_path(path: &Path, origin: &Origin) -> Result<String, String> {
    let f = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_event_json(
        BufReader::new(f),
        &path.display().to_string(),
        origin,
        &Limits::default(),
    )
}
