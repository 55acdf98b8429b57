//! Reading an interchange table: the container (CSV, gzip CSV or Parquet, by
//! content), the header against the expected columns (any order, any case;
//! missing, repeated and unexpected columns refused), and each cell by the
//! column's kind. Every error names the file, the line (CSV) or row group and
//! row (Parquet), and the reason.

use super::{parquet_read, CountRow, FileError, PERIODS, VERSION};
use crate::engine::ATTRIBUTES;
use crate::ingest::{infer_category, infer_read_only};
use crate::model::Category;
use std::io::Read;

/// The minutes of 0001-01-01T00:00Z and 9999-12-31T23:59Z: the years an
/// `eventTime` can have, so a stray number cannot overflow the detector's arithmetic.
const MINUTES: std::ops::RangeInclusive<i64> = -62_135_596_800 / 60..=253_402_300_799 / 60;

/// Largest decompressed size of a gzip counts file.
const MAX_INFLATED: u64 = 16 << 30;

/// Gets each row's cells in the order of the expected columns.
pub(crate) type RowSink<'a> = dyn FnMut(&[&str]) -> Result<(), String> + 'a;

pub(crate) fn error(file: &str, place: impl Into<String>, reason: impl Into<String>) -> FileError {
    FileError {
        file: file.to_string(),
        place: place.into(),
        reason: reason.into(),
    }
}

/// Reads a whole table, calling `sink` for each row.
pub(crate) fn read_table(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
    sink: &mut RowSink,
) -> Result<(), FileError> {
    if bytes.starts_with(b"PAR1") {
        return parquet_read::read(file, bytes, columns, sink);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED + 1);
        if let Err(e) = dec.read_to_end(&mut text) {
            let reason = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                "gzip stream cut short".to_string()
            } else {
                format!("bad gzip: {e}")
            };
            return Err(error(file, "", reason));
        }
        if text.len() as u64 > MAX_INFLATED {
            return Err(error(file, "", "gzip expands past 16 GiB"));
        }
        return read_csv(file, &text, columns, sink);
    }
    read_csv(file, bytes, columns, sink)
}

/// For each expected column, its position among `names`.
pub(crate) fn map_header(names: &[String], columns: &[&str]) -> Result<Vec<usize>, String> {
    let mut pos = vec![usize::MAX; columns.len()];
    for (i, raw) in names.iter().enumerate() {
        let name = raw.trim().to_ascii_lowercase();
        match columns.iter().position(|c| *c == name) {
            Some(c) if pos[c] != usize::MAX => {
                return Err(format!("column {name:?} appears twice"))
            }
            Some(c) => pos[c] = i,
            None => {
                return Err(format!(
                    "unexpected column {raw:?} (expected {})",
                    columns.join(", ")
                ))
            }
        }
    }
    if let Some(c) = pos.iter().position(|&p| p == usize::MAX) {
        return Err(format!("missing column {:?}", columns[c]));
    }
    Ok(pos)
}

fn read_csv(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
    sink: &mut RowSink,
) -> Result<(), FileError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(error(file, "", "empty file: no header line"));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(error(file, "line 1", csv_reason(&e))),
    };
    let pos = map_header(&header, columns).map_err(|r| error(file, "line 1", r))?;
    let mut record = csv::StringRecord::new();
    let mut last_start = None;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(error(file, format!("line {line}"), csv_reason(&e)));
            }
        }
        let (line, start) = record
            .position()
            .map_or((0, 0), |p| (p.line(), p.byte() as usize));
        last_start = Some((line, start));
        let cells: Vec<&str> = pos.iter().map(|&p| record.get(p).unwrap_or("")).collect();
        sink(&cells).map_err(|r| error(file, format!("line {line}"), r))?;
    }
    // A cut inside a quoted value still reads as a record: an odd number of
    // quotes from the last record's start to the end of the file betrays it.
    if let Some((line, start)) = last_start {
        let tail = bytes.get(start..).unwrap_or(&[]);
        if tail.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            return Err(error(
                file,
                format!("line {line}"),
                "file cut short inside a quoted value",
            ));
        }
    }
    Ok(())
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} values where the header has {expected_len} (line cut short or malformed)"
        ),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        _ => e.to_string(),
    }
}

pub(crate) fn version(s: &str) -> Result<(), String> {
    match s.trim().parse::<i64>() {
        Ok(VERSION) => Ok(()),
        Ok(v) => Err(format!(
            "version {v} is not supported (this Trailsight reads version {VERSION})"
        )),
        Err(_) if s.trim().is_empty() => Err("missing version".to_string()),
        Err(_) => Err(format!("version {s:?} is not a number")),
    }
}

pub(crate) fn int(column: &str, s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("missing {column}"));
    }
    t.parse::<i64>()
        .map_err(|_| format!("{column} {s:?} is not an integer"))
}

fn minute_of(s: &str) -> Result<i64, String> {
    let m = int("minute", s)?;
    if MINUTES.contains(&m) {
        Ok(m)
    } else {
        Err(format!("minute {m} is outside the years 0001-9999"))
    }
}

fn events(s: &str) -> Result<u64, String> {
    let n = int("events", s)?;
    u64::try_from(n)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| format!("events must be at least 1, got {n}"))
}

/// `None` for an empty cell (SQL NULL).
fn boolean(column: &str, s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        _ => Err(format!("{column} {s:?} is not a boolean (true/false, 1/0)")),
    }
}

fn category(s: &str) -> Result<Option<Category>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "management" => Ok(Some(Category::Management)),
        "data" => Ok(Some(Category::Data)),
        "other" => Ok(Some(Category::Other)),
        _ => Err(format!(
            "event_category {s:?} is not Management, Data or Other"
        )),
    }
}

/// Parses the cells of a counts row ([`super::COUNTS_COLUMNS`] order).
pub(crate) fn count_row<'a>(c: &[&'a str]) -> Result<CountRow<'a>, String> {
    let [v, account, region, source, name, cat, ro, err, minute, n] = c else {
        return Err("wrong number of values".to_string());
    };
    version(v)?;
    if name.is_empty() {
        return Err("missing event_name".to_string());
    }
    // Ingest's rules for what a record leaves out: category by API, read-only by verb.
    let category = category(cat)?.unwrap_or_else(|| infer_category(source, name, ""));
    let read_only = boolean("read_only", ro)?.unwrap_or_else(|| infer_read_only(name));
    Ok(CountRow {
        account,
        region,
        event_source: source,
        event_name: name,
        event_category: category,
        read_only,
        error_code: err,
        minute: minute_of(minute)?,
        events: events(n)?,
    })
}

/// An attributions row read from a file.
pub(crate) struct OwnedAttributionRow {
    pub shared_event_id: String,
    pub period: usize,
    pub attribute: usize,
    pub value: String,
    pub events: u64,
}

/// Parses the cells of an attributions row ([`super::ATTRIBUTION_COLUMNS`] order).
pub(crate) fn attribution_row(c: &[&str]) -> Result<OwnedAttributionRow, String> {
    let [v, id, period, attribute, value, n] = c else {
        return Err("wrong number of values".to_string());
    };
    version(v)?;
    if id.trim().is_empty() {
        return Err("missing shared_event_id".to_string());
    }
    let period = PERIODS
        .iter()
        .position(|p| p.eq_ignore_ascii_case(period.trim()))
        .ok_or_else(|| format!("period {period:?} is not start, insight or baseline"))?;
    let attribute = ATTRIBUTES
        .iter()
        .position(|a| a.eq_ignore_ascii_case(attribute.trim()))
        .ok_or_else(|| {
            format!("attribute {attribute:?} is not userIdentityArn, userAgent or errorCode")
        })?;
    Ok(OwnedAttributionRow {
        shared_event_id: id.trim().to_string(),
        period,
        attribute,
        value: value.to_string(),
        events: events(n)?,
    })
}

/// The header (CSV, gzip CSV) or schema (Parquet) column names of a table file.
pub(crate) fn column_names(file: &str, bytes: &[u8]) -> Result<Vec<String>, FileError> {
    if bytes.starts_with(b"PAR1") {
        return parquet_read::column_names(file, bytes);
    }
    let mut head = Vec::new();
    let text: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(1 << 20);
        let mut buf = [0u8; 8192];
        loop {
            match dec.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    head.extend_from_slice(&buf[..n]);
                    if head.contains(&b'\n') {
                        break;
                    }
                }
                Err(e) => return Err(error(file, "", format!("bad gzip: {e}"))),
            }
        }
        &head
    } else {
        bytes
    };
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text);
    match rdr.headers() {
        Ok(h) => Ok(h.iter().map(str::to_string).collect()),
        Err(e) => Err(error(file, "line 1", csv_reason(&e))),
    }
}
