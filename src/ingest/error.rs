//! Ingest's errors, typed: why a record is bad ([`BadKind`], and
//! [`RecordError`] with the [`Position`] it lies at), why a file or archive
//! entry is skipped ([`SkipReason`]), and why an event's original text cannot
//! be re-read ([`EventReadError`]).
//!
//! Their `Display` is the text users read (the load report's reasons and
//! samples, the CLI, the UI; tests match on it), so it must not change
//! without a reason; the variants are for code that tells the cases apart.
//! The enums are `#[non_exhaustive]` (as csv's and ripgrep's error kinds are):
//! a new kind of bad input is not a breaking change.

use serde_json::error::Category;
use std::io;

/// The kind of a bad record: the reason counted in
/// [`LoadReport::bad_reasons`](super::LoadReport::bad_reasons).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
pub enum BadKind {
    #[error("invalid JSON")]
    InvalidJson,
    /// The record's own text ends early (serde's end-of-input).
    #[error("truncated record")]
    TruncatedRecord,
    /// The input (file, stream, array) ends early.
    #[error("truncated input")]
    TruncatedInput,
    #[error("nesting too deep")]
    NestingTooDeep,
    #[error("record too large")]
    RecordTooLarge,
    #[error("invalid UTF-8 or escape")]
    InvalidUtf8,
    #[error("wrong field type")]
    WrongFieldType,
    /// An element with no CloudTrail field at all.
    #[error("not a CloudTrail record")]
    NotCloudTrail,
    #[error("missing eventTime")]
    MissingEventTime,
    #[error("bad eventTime")]
    BadEventTime,
    #[error("missing eventName")]
    MissingEventName,
}

/// Why one record was not loaded, before its place is known: its kind and a
/// detail naming the field or value (the sample's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bad {
    pub kind: BadKind,
    pub detail: String,
}

impl Bad {
    pub fn new(kind: BadKind, detail: impl Into<String>) -> Self {
        Bad {
            kind,
            detail: detail.into(),
        }
    }

    pub fn wrong_type(field: &str, got: &str) -> Self {
        Bad::new(
            BadKind::WrongFieldType,
            format!("{field} is {got}, expected a string"),
        )
    }

    /// serde's refusal of `bytes` (the record it read), classified by the
    /// error's category and position rather than by its message text.
    pub fn from_json(e: &serde_json::Error, bytes: &[u8]) -> Self {
        let kind = match e.classify() {
            Category::Eof => BadKind::TruncatedRecord,
            Category::Data => BadKind::WrongFieldType,
            Category::Io => BadKind::InvalidJson,
            Category::Syntax => {
                let at = offset_of(bytes, e.line(), e.column());
                if depth_before(bytes, at) >= SERDE_DEPTH {
                    // Only serde's recursion limit (met at the opening
                    // bracket it points just past) fails that deep.
                    BadKind::NestingTooDeep
                } else if bad_utf8_at(bytes, at) {
                    BadKind::InvalidUtf8
                } else {
                    BadKind::InvalidJson
                }
            }
        };
        Bad::new(kind, e.to_string())
    }
}

/// serde_json's recursion limit: it reads 127 nested arrays and objects and
/// refuses the 128th.
const SERDE_DEPTH: usize = 128;

/// The byte offset of serde's 1-based `line` and `column` in `bytes`.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', bytes)
            .nth(line - 2)
            .map_or(bytes.len(), |i| i + 1)
    };
    line_start.saturating_add(column).min(bytes.len())
}

/// How many arrays and objects are open just before `at` (brackets inside
/// strings do not count).
fn depth_before(bytes: &[u8], at: usize) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in &bytes[..at.min(bytes.len())] {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => depth += 1,
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            (false, _) => {}
        }
    }
    depth
}

/// Whether serde's error at `at` is the invalid UTF-8 of the string it sits
/// in: serde points at (or, past escapes, just after) the first bad byte of
/// a string it decodes, before that string's closing quote.
fn bad_utf8_at(bytes: &[u8], at: usize) -> bool {
    let Err(e) = std::str::from_utf8(bytes) else {
        return false;
    };
    let first_bad = e.valid_up_to();
    first_bad <= at
        && !bytes[first_bad..at.min(bytes.len())]
            .windows(2)
            .any(|w| w[1] == b'"' && w[0] != b'\\')
}

/// Where in a load something went wrong.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Position {
    /// The input's index (its [`Origin::input`](crate::model::Origin::input)).
    pub input: u32,
    /// The archive entry's index (0 for an input that is no archive).
    pub entry: u32,
    /// The byte offset in the decompressed document, when one is known.
    pub offset: Option<u64>,
    /// The record's index in its file or entry.
    pub record: u64,
}

/// One bad record: its kind, the detail shown in the samples (its
/// `Display`) and where it lies.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct RecordError {
    pub kind: BadKind,
    pub detail: String,
    pub position: Position,
}

/// Why a file or archive entry was skipped: its `Display` is the reason in
/// [`SkippedFile::reason`](crate::model::SkippedFile::reason).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    #[error("empty file")]
    EmptyFile,
    /// The document does not start like JSON; `head` is its first bytes
    /// (non-graphic ones as `.`).
    #[error("not CloudTrail JSON: starts with {head:?}")]
    NotJson { head: String },
    /// As [`SkipReason::NotJson`], and the start is binary or not UTF-8.
    #[error("not CloudTrail JSON: binary or non-UTF-8 data (starts with {head:?})")]
    Binary { head: String },
    #[error("not CloudTrail JSON: empty object")]
    EmptyObject,
    #[error("not CloudTrail JSON: invalid JSON object")]
    InvalidObject,
    #[error("not CloudTrail JSON: invalid JSON at byte {0}")]
    InvalidJsonAt(usize),
    #[error("not CloudTrail JSON: object has no Records, Events or event fields")]
    NoEventFields,
    #[error(
        "not CloudTrail JSON: no element has eventVersion, eventTime, eventName or eventSource"
    )]
    NoCloudTrailElement,
    #[error("CloudTrail digest file (log file validation), not events")]
    Digest,
    #[error("CloudTrail-Insight file: {0} AWS Insights records kept apart (not events)")]
    AwsInsights(u64),
    #[error("aggregated events: {0} CloudTrail aggregated-event records (5-minute summaries of data events) kept apart (not events)")]
    Aggregated(u64),
    #[error("no records (empty Records array)")]
    NoRecords,
    /// Every record was bad; `first` is the first one's detail.
    #[error("no events loaded: {bad} bad records (first: {first})")]
    NoEventsLoaded { bad: u64, first: String },
    /// The memory guard stopped the load before this file.
    #[error("{}", super::NOT_READ_REASON)]
    NotRead,
    #[error("cannot open: {0}")]
    CannotOpen(io::Error),
    #[error("cannot read: {0}")]
    CannotRead(io::Error),
    /// Past [`Limits::max_entry_bytes`](super::Limits::max_entry_bytes).
    #[error("too large: more than {cap} bytes once decompressed, the most one file or archive entry may hold here; not read")]
    TooLarge { cap: u64 },
    /// Past [`Limits::max_ratio`](super::Limits::max_ratio) of its compressed size.
    #[error("decompression bomb: expands past {cap} bytes from {compressed} compressed (more than {ratio}x); not read")]
    Bomb {
        cap: u64,
        compressed: u64,
        ratio: u64,
    },
    #[error("corrupt or truncated gzip: {0}")]
    CorruptGzip(String),
    #[error("corrupt zip archive: {0}")]
    CorruptZip(zip::result::ZipError),
    #[error("corrupt zip entry: {0}")]
    CorruptZipEntry(String),
    #[error("corrupt tar archive: {0}")]
    CorruptTar(io::Error),
    #[error("corrupt tar entry: {0}")]
    CorruptTarEntry(String),
    #[error("corrupt tar entry; rest of archive not read: {0}")]
    TarBroken(io::Error),
    #[error("archive inside an archive: not read (extract it first)")]
    NestedArchive,
    #[error("archive holds no files")]
    EmptyArchive,
    #[error("not a regular file")]
    NotRegularFile,
    #[error("cannot read folder: {0}")]
    CannotReadFolder(io::Error),
}

/// Why an event's original JSON could not be re-read from its input.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum EventReadError {
    /// The input (`name`) cannot be opened or read at its start.
    #[error("{name}: {source}")]
    Input {
        name: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("archive entry {0} not found")]
    EntryNotFound(u32),
    #[error("event lies beyond the end of its input (file changed?)")]
    BeyondEnd,
    #[error("event is longer than {0} bytes")]
    TooLong(usize),
    #[error("embedded CloudTrailEvent: {0}")]
    Embedded(serde_json::Error),
    #[error("event is not UTF-8: {0}")]
    NotUtf8(std::string::FromUtf8Error),
}

impl EventReadError {
    /// An error opening or sniffing the input `name`.
    pub(crate) fn input(
        name: &str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        EventReadError::Input {
            name: name.to_string(),
            source: source.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::raw_record::RawRecord;

    fn kind(text: &[u8]) -> BadKind {
        let e = serde_json::from_slice::<RawRecord>(text).unwrap_err();
        Bad::from_json(&e, text).kind
    }

    /// As `kind`, reading any value (a record skips what it does not keep
    /// without serde's recursion limit).
    fn value_kind(text: &[u8]) -> BadKind {
        let e = serde_json::from_slice::<serde_json::Value>(text).unwrap_err();
        Bad::from_json(&e, text).kind
    }

    /// The classification the message search used to make, kept.
    #[test]
    fn serde_errors_are_classified_by_category_and_place() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(value_kind(deep.as_bytes()), BadKind::NestingTooDeep);
        let deep_lines = format!("{{\"a\":\n{}", "[\n".repeat(130));
        assert_eq!(value_kind(deep_lines.as_bytes()), BadKind::NestingTooDeep);
        // 127 levels read, the 128th refused: a syntax error just under the
        // limit is no nesting error.
        let under = format!("{{\"a\":{}1,{}", "[".repeat(126), "]".repeat(126));
        assert_eq!(value_kind(under.as_bytes()), BadKind::InvalidJson);
        let at = format!("{{\"a\":{}1{}", "[".repeat(127), "]".repeat(127));
        assert_eq!(value_kind(at.as_bytes()), BadKind::NestingTooDeep);
        assert_eq!(kind(b"{\"eventName\":\"\xff\xfe\"}"), BadKind::InvalidUtf8);
        assert_eq!(kind(b"{\"eventName\":\"x\\n\xff\"}"), BadKind::InvalidUtf8);
        assert_eq!(kind(b"{\"a\":\"x\"}\n{\"b\":"), BadKind::InvalidJson);
        assert_eq!(kind(b"{\"a\":"), BadKind::TruncatedRecord);
        assert_eq!(kind(b"{\"a\":1,}"), BadKind::InvalidJson);
        assert_eq!(kind(b"{\"a\":\"\\x\"}"), BadKind::InvalidJson);
        // Invalid UTF-8 in a skipped value, which serde does not decode, is
        // not the reason.
        assert_eq!(kind(b"{\"a\":\"\xff\", 1}"), BadKind::InvalidJson);
        assert_eq!(
            kind(b"{\"a\":\"\xff\",\"b\":\"\\x\"}"),
            BadKind::InvalidJson
        );
        let wrong = serde_json::from_str::<Vec<u8>>("[\"unicode\"]").unwrap_err();
        assert_eq!(Bad::from_json(&wrong, b"").kind, BadKind::WrongFieldType);
    }

    #[test]
    fn skip_reasons_read_as_before() {
        let head = "MZ..".to_string();
        assert_eq!(
            SkipReason::Binary { head: head.clone() }.to_string(),
            "not CloudTrail JSON: binary or non-UTF-8 data (starts with \"MZ..\")"
        );
        assert_eq!(
            SkipReason::NotJson { head }.to_string(),
            "not CloudTrail JSON: starts with \"MZ..\""
        );
        assert_eq!(
            SkipReason::NotRead.to_string(),
            super::super::NOT_READ_REASON
        );
    }
}
