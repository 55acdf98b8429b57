//! Native filesystem inputs: walking files and folders (recursively, in a
//! deterministic order) and parsing them across cores with rayon.

use super::{parse_reader, read_event_json, Batch, DatasetBuilder, Limits, LoadReport};
use crate::model::{Dataset, Origin};
use rayon::prelude::*;
use std::fs::File;
use std::io::BufReader;
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
        .map(|(i, path)| {
            let name = path.display().to_string();
            let batch = match File::open(path) {
                Ok(f) => parse_reader(
                    i as u32,
                    &name,
                    BufReader::with_capacity(256 * 1024, f),
                    limits,
                ),
                Err(e) => {
                    let mut b = Batch {
                        input: i as u32,
                        ..Batch::default()
                    };
                    b.report.files_seen = 1;
                    b.report.skipped_files.push(crate::model::SkippedFile {
                        path: name.clone(),
                        reason: format!("cannot open: {e}"),
                    });
                    b
                }
            };
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

fn walk(p: &Path, files: &mut Vec<PathBuf>, missing: &mut Vec<(String, String)>) {
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
        Ok(m) if m.is_file() => files.push(p.to_path_buf()),
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
