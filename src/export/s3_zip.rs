//! AWS's `CloudTrail-Insight` S3 layout ([`super::s3_objects`]) as one
//! `.zip`: what the dashboard downloads where the CLI writes a folder
//! (`trailsight detect --out DIR`); the entries are the same paths and bytes.

use std::io::{Cursor, Write};

use crate::model::Insight;

/// The S3 objects in a zip. They are gzip already, so they are stored, not
/// deflated again; entry times are the zip epoch, so the bytes are deterministic.
pub fn s3_zip(insights: &[Insight]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, bytes) in super::s3_objects(insights) {
        zip.start_file(path, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish()
        .map(Cursor::into_inner)
        .map_err(|e| e.to_string())
}
