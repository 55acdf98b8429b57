//! Reading an interchange table: the container (CSV, gzip CSV or Parquet, by
//! content), the header against the expected columns (any order, any case;
//! missing, repeated and unexpected columns refused), and each cell by the
//! column's kind. Every error names the file, the line (CSV) or row group and
//! row (Parquet), and the reason: a [`RowError`] for the header and the cells,
//! the container's own text otherwise.

use super::{parquet_read, CountRow, FileError, ATTRIBUTES, PERIODS, VERSION};
use crate::ingest::{infer_category, infer_read_only};
use crate::model::Category;
use std::fmt;
use std::io::Read;

/// The minutes of 0001-01-01T00:00Z and 9999-12-31T23:59Z: the years an
/// `eventTime` can have, so a stray number cannot overflow the detector's arithmetic.
const MINUTES: std::ops::RangeInclusive<i64> = -62_135_596_800 / 60..=253_402_300_799 / 60;

/// Largest decompressed size of a gzip counts file.
const MAX_INFLATED: u64 = 16 << 30;

/// Why a table's header or one of its rows is refused. Its `Display` is the
/// reason [`FileError`] shows after the file and the place.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("column {0:?} appears twice")]
    RepeatedColumn(String),
    #[error("unexpected column {name:?} (expected {expected})")]
    UnexpectedColumn { name: String, expected: String },
    #[error("missing column {0:?}")]
    MissingColumn(String),
    #[error("wrong number of values")]
    WrongArity,
    #[error("version {0} is not supported (this Trailsight reads version {VERSION})")]
    UnsupportedVersion(i64),
    #[error("missing version")]
    MissingVersion,
    #[error("version {0:?} is not a number")]
    VersionNotANumber(String),
    /// An empty cell in a column that needs a value.
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("{column} {value:?} is not an integer")]
    NotAnInteger { column: &'static str, value: String },
    #[error("minute {0} is outside the years 0001-9999")]
    MinuteOutOfRange(i64),
    #[error("events must be at least 1, got {0}")]
    EventsBelowOne(i64),
    #[error("{column} {value:?} is not a boolean (true/false, 1/0)")]
    NotABoolean { column: &'static str, value: String },
    #[error("event_category {0:?} is not Management, Data or Other")]
    BadCategory(String),
    #[error("period {0:?} is not start, insight or baseline")]
    BadPeriod(String),
    #[error("attribute {0:?} is not userIdentityArn, userAgent or errorCode")]
    BadAttribute(String),
}

/// Gets each row's cells in the order of the expected columns.
pub(crate) type RowSink<'a> = dyn FnMut(&[&str]) -> Result<(), RowError> + 'a;

pub(crate) fn error(file: &str, place: impl Into<String>, reason: impl fmt::Display) -> FileError {
    FileError {
        file: file.to_string(),
        place: place.into(),
        reason: reason.to_string(),
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
pub(crate) fn map_header(names: &[String], columns: &[&str]) -> Result<Vec<usize>, RowError> {
    let mut pos = vec![usize::MAX; columns.len()];
    for (i, raw) in names.iter().enumerate() {
        let name = raw.trim().to_ascii_lowercase();
        match columns.iter().position(|c| *c == name) {
            Some(c) if pos[c] != usize::MAX => return Err(RowError::RepeatedColumn(name)),
            Some(c) => pos[c] = i,
            None => {
                return Err(RowError::UnexpectedColumn {
                    name: raw.clone(),
                    expected: columns.join(", "),
                })
            }
        }
    }
    if let Some(c) = pos.iter().position(|&p| p == usize::MAX) {
        return Err(RowError::MissingColumn(columns[c].to_string()));
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

pub(crate) fn version(s: &str) -> Result<(), RowError> {
    match s.trim().parse::<i64>() {
        Ok(VERSION) => Ok(()),
        Ok(v) => Err(RowError::UnsupportedVersion(v)),
        Err(_) if s.trim().is_empty() => Err(RowError::MissingVersion),
        Err(_) => Err(RowError::VersionNotANumber(s.to_string())),
    }
}

pub(crate) fn int(column: &'static str, s: &str) -> Result<i64, RowError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(RowError::Missing(column));
    }
    t.parse::<i64>().map_err(|_| RowError::NotAnInteger {
        column,
        value: s.to_string(),
    })
}

fn minute_of(s: &str) -> Result<i64, RowError> {
    let m = int("minute", s)?;
    if MINUTES.contains(&m) {
        Ok(m)
    } else {
        Err(RowError::MinuteOutOfRange(m))
    }
}

fn events(s: &str) -> Result<u64, RowError> {
    let n = int("events", s)?;
    u64::try_from(n)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or(RowError::EventsBelowOne(n))
}

/// `None` for an empty cell (SQL NULL).
fn boolean(column: &'static str, s: &str) -> Result<Option<bool>, RowError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        _ => Err(RowError::NotABoolean {
            column,
            value: s.to_string(),
        }),
    }
}

fn category(s: &str) -> Result<Option<Category>, RowError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "management" => Ok(Some(Category::Management)),
        "data" => Ok(Some(Category::Data)),
        "other" => Ok(Some(Category::Other)),
        _ => Err(RowError::BadCategory(s.to_string())),
    }
}

/// Parses the cells of a counts row ([`super::COUNTS_COLUMNS`] order).
pub(crate) fn count_row<'a>(c: &[&'a str]) -> Result<CountRow<'a>, RowError> {
    let [v, account, region, source, name, cat, ro, err, minute, n] = c else {
        return Err(RowError::WrongArity);
    };
    version(v)?;
    if name.is_empty() {
        return Err(RowError::Missing("event_name"));
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
pub(crate) fn attribution_row(c: &[&str]) -> Result<OwnedAttributionRow, RowError> {
    let [v, id, period, attribute, value, n] = c else {
        return Err(RowError::WrongArity);
    };
    version(v)?;
    if id.trim().is_empty() {
        return Err(RowError::Missing("shared_event_id"));
    }
    let period = PERIODS
        .iter()
        .position(|p| p.eq_ignore_ascii_case(period.trim()))
        .ok_or_else(|| RowError::BadPeriod(period.to_string()))?;
    let attribute = ATTRIBUTES
        .iter()
        .position(|a| a.eq_ignore_ascii_case(attribute.trim()))
        .ok_or_else(|| RowError::BadAttribute(attribute.to_string()))?;
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
