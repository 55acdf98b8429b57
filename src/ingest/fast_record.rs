//! The fast path of ingest: a hand-written reader for one CloudTrail record,
//! filling the same [`RawRecord`] serde fills ([`raw_record`](super::raw_record)).
//!
//! A CloudTrail record is one object of which Trailsight keeps sixteen
//! members; most of its bytes sit in values nobody here looks at
//! (`requestParameters`, `responseElements`, `resources`, `tlsDetails`...).
//! serde_json's derived deserialiser spent about a third of ingest on such
//! records, mostly in per-key dispatch and in skipping those values. This
//! reader matches the kept keys directly and skips everything else with a
//! vectorised string scan, yet validates skipped values exactly as strictly
//! as serde does (grammar, escapes, control characters), so a broken record
//! is never mistaken for a good one.
//!
//! It is an optimisation and nothing more: whenever a record holds something
//! it does not read exactly as serde would (an escape, a number or a nested
//! value in a kept field, an escaped key, a kept key given twice, nesting past
//! the limit, any syntax error) it returns `None`, and the record is left to
//! serde ([`to_event::read`](super::to_event::read)), which gives the same
//! result or the specific reason.
//! The fuzz target `record_reader` and the tests below hold the two to the
//! same answers.

use super::raw_record::{Field, Identity, RawIdentity, RawRecord};
use super::string_scan::find_special;
use std::borrow::Cow;

/// Reads the record object at the very start of `text` (which may run on
/// past it): the record's kept fields and the length of its text, or `None`
/// to leave the record to serde. `max_depth` bounds the nesting read (the
/// record itself is depth 1); deeper records return `None`.
pub(crate) fn read_record(text: &str, max_depth: usize) -> Option<(RawRecord<'_>, usize)> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let record = reader.record(max_depth)?;
    Some((record, reader.at))
}

/// Which kept member of a record a key names.
#[derive(Clone, Copy)]
enum Kept {
    Record(RecordField),
    Identity,
}

#[derive(Clone, Copy)]
enum RecordField {
    EventVersion,
    EventTime,
    AtTimestamp,
    EventId,
    EventSource,
    EventName,
    AwsRegion,
    RecipientAccountId,
    ErrorCode,
    UserAgent,
    SourceIp,
    EventType,
    EventCategory,
    ReadOnly,
    ManagementEvent,
}

fn kept(key: &[u8]) -> Option<Kept> {
    use RecordField::*;
    Some(Kept::Record(match key {
        b"eventVersion" => EventVersion,
        b"eventTime" => EventTime,
        b"@timestamp" => AtTimestamp,
        b"eventID" => EventId,
        b"eventSource" => EventSource,
        b"eventName" => EventName,
        b"awsRegion" => AwsRegion,
        b"recipientAccountId" => RecipientAccountId,
        b"errorCode" => ErrorCode,
        b"userAgent" => UserAgent,
        b"sourceIPAddress" => SourceIp,
        b"eventType" => EventType,
        b"eventCategory" => EventCategory,
        b"readOnly" => ReadOnly,
        b"managementEvent" => ManagementEvent,
        b"userIdentity" => return Some(Kept::Identity),
        _ => return None,
    }))
}

fn slot<'r, 'a>(record: &'r mut RawRecord<'a>, field: RecordField) -> &'r mut Field<'a> {
    use RecordField::*;
    match field {
        EventVersion => &mut record.event_version,
        EventTime => &mut record.event_time,
        AtTimestamp => &mut record.at_timestamp,
        EventId => &mut record.event_id,
        EventSource => &mut record.event_source,
        EventName => &mut record.event_name,
        AwsRegion => &mut record.aws_region,
        RecipientAccountId => &mut record.recipient_account_id,
        ErrorCode => &mut record.error_code,
        UserAgent => &mut record.user_agent,
        SourceIp => &mut record.source_ip,
        EventType => &mut record.event_type,
        EventCategory => &mut record.event_category,
        ReadOnly => &mut record.read_only,
        ManagementEvent => &mut record.management_event,
    }
}

/// Which kept member of `userIdentity` a key names (its index, for the
/// duplicate check).
fn identity_field(key: &[u8]) -> Option<u32> {
    Some(match key {
        b"type" => 0,
        b"principalId" => 1,
        b"arn" => 2,
        b"accountId" => 3,
        b"invokedBy" => 4,
        _ => return None,
    })
}

fn identity_slot<'r, 'a>(identity: &'r mut RawIdentity<'a>, index: u32) -> &'r mut Field<'a> {
    match index {
        0 => &mut identity.kind,
        1 => &mut identity.principal_id,
        2 => &mut identity.arn,
        3 => &mut identity.account_id,
        _ => &mut identity.invoked_by,
    }
}

/// A cursor over valid UTF-8 (so every slice between ASCII delimiters is a
/// valid `str`).
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// After a member: `,` (then whitespace) continues the object, `}` ends it.
    /// Returns whether another member follows.
    #[inline]
    fn member_separator(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let c = self.peek()?;
        self.at += 1;
        if c == b',' {
            self.skip_ws();
            Some(true)
        } else if c == close {
            Some(false)
        } else {
            None
        }
    }

    /// `{` then whitespace; true when the object is empty (its `}` eaten).
    fn open_object(&mut self) -> Option<bool> {
        self.eat(b'{')?;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(true);
        }
        Some(false)
    }

    /// A key and its colon; the key's bytes when it holds no escape.
    #[inline]
    fn key(&mut self) -> Option<&'a [u8]> {
        let (start, end) = self.plain_string()?;
        self.skip_ws();
        self.eat(b':')?;
        self.skip_ws();
        self.bytes.get(start..end)
    }

    fn record(&mut self, max_depth: usize) -> Option<RawRecord<'a>> {
        let mut record = RawRecord::default();
        if max_depth < 1 {
            return None;
        }
        if self.open_object()? {
            return Some(record);
        }
        // Serde refuses a kept field given twice ("duplicate field").
        let mut seen = 0u32;
        loop {
            let key = self.key()?;
            match kept(key) {
                None => self.skip_value(2, max_depth)?,
                Some(which) => {
                    let bit = 1u32
                        << match which {
                            Kept::Record(f) => f as u32,
                            Kept::Identity => 31,
                        };
                    if seen & bit != 0 {
                        return None;
                    }
                    seen |= bit;
                    match which {
                        Kept::Record(f) => *slot(&mut record, f) = self.field()?,
                        Kept::Identity => record.user_identity = self.identity(max_depth)?,
                    }
                }
            }
            if !self.member_separator(b'}')? {
                return Some(record);
            }
        }
    }

    /// `userIdentity`: an object (depth 2) or null.
    fn identity(&mut self, max_depth: usize) -> Option<Identity<'a>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(Identity::Absent);
        }
        let mut identity = RawIdentity::default();
        if max_depth < 2 {
            return None;
        }
        if self.open_object()? {
            return Some(Identity::Object(identity));
        }
        let mut seen = 0u32;
        loop {
            let key = self.key()?;
            match identity_field(key) {
                None => self.skip_value(3, max_depth)?,
                Some(index) => {
                    if seen & (1 << index) != 0 {
                        return None;
                    }
                    seen |= 1 << index;
                    *identity_slot(&mut identity, index) = self.field()?;
                }
            }
            if !self.member_separator(b'}')? {
                return Some(Identity::Object(identity));
            }
        }
    }

    /// A kept field's value: a string without escapes, a boolean or null.
    /// Anything else (rare junk) is left to serde.
    #[inline]
    fn field(&mut self) -> Option<Field<'a>> {
        match self.peek()? {
            b'"' => {
                let (start, end) = self.plain_string()?;
                Some(Field::Str(Cow::Borrowed(self.text.get(start..end)?)))
            }
            b't' => self.literal(b"true").map(|()| Field::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Field::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Field::Null),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A string at the cursor holding no escape; the range of its contents.
    #[inline]
    fn plain_string(&mut self) -> Option<(usize, usize)> {
        self.eat(b'"')?;
        let start = self.at;
        let end = find_special(self.bytes, start)?;
        if self.bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        Some((start, end))
    }

    /// Skips a string at the cursor, validating escapes and refusing raw
    /// control characters, as serde does.
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            let at = find_special(self.bytes, self.at)?;
            match self.bytes[at] {
                b'"' => {
                    self.at = at + 1;
                    return Some(());
                }
                b'\\' => {
                    self.at = at + 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            let hex = self.bytes.get(self.at + 1..self.at + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.at += 5;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// Skips the value at the cursor; `depth` is the depth a container here
    /// would have.
    fn skip_value(&mut self, depth: usize, max_depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => {
                if depth > max_depth {
                    return None;
                }
                if self.open_object()? {
                    return Some(());
                }
                loop {
                    self.skip_string()?;
                    self.skip_ws();
                    self.eat(b':')?;
                    self.skip_ws();
                    self.skip_value(depth + 1, max_depth)?;
                    if !self.member_separator(b'}')? {
                        return Some(());
                    }
                }
            }
            b'[' => {
                if depth > max_depth {
                    return None;
                }
                self.at += 1;
                self.skip_ws();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1, max_depth)?;
                    if !self.member_separator(b']')? {
                        return Some(());
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.skip_number(),
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn skip_number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }
}

/// Holds the reader to serde on `text` (for the `record_reader` fuzz target
/// and the tests): panics when the reader gives an answer serde does not
/// (another record, another length, or a record serde refuses). Returns
/// whether the reader answered at all.
#[allow(
    clippy::panic,
    reason = "a fuzz oracle: a mismatch must stop the fuzzer with the input"
)]
pub fn check_against_serde(text: &str) -> bool {
    let ours = read_record(text, 100);
    let theirs = super::raw_record::serde_leading(text);
    match (&ours, &theirs) {
        (Some((a, n)), Some((b, m))) => {
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}");
            assert_eq!(n, m, "{text:?}");
            true
        }
        (Some(_), None) => panic!("the reader accepted what serde refuses: {text:?}"),
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::raw_record::serde_leading;

    use check_against_serde as agrees;

    #[test]
    fn reads_a_typical_record_like_serde() {
        let text = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::1:assumed-role/R/s","accountId":"1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/R"},"attributes":{"mfaAuthenticated":"false","creationDate":"2021-07-29T12:00:00Z"}},"invokedBy":"x.amazonaws.com"},"eventTime":"2021-07-29T12:00:01Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-west-1","sourceIPAddress":"1.2.3.4","userAgent":"[aws-cli/2 é]","requestParameters":{"bucketName":"b","key":"a\\b\u00e9\n","n":[1,-2.5e3,0,true,null,{}],"e":[]},"responseElements":null,"readOnly":true,"managementEvent":false,"eventCategory":"Data","eventID":"0b1c","eventType":"AwsApiCall","recipientAccountId":"1"} trailing"#;
        assert!(agrees(text));
        let (record, len) = read_record(text, 100).unwrap();
        assert_eq!(&text[len..], " trailing");
        assert!(matches!(record.read_only, Field::Bool(true)));
    }

    #[test]
    fn leaves_what_it_does_not_read_exactly_to_serde() {
        // Escapes, numbers or nesting in kept fields, escaped keys, duplicates.
        for text in [
            r#"{"userAgent":"a\"b"}"#,
            r#"{"eventTime":12}"#,
            r#"{"eventName":["x"]}"#,
            r#"{"event\u004eame":"x"}"#,
            r#"{"eventName":"a","eventName":"b"}"#,
            r#"{"userIdentity":{"arn":"a","arn":"b"}}"#,
            r#"{"userIdentity":"root"}"#,
        ] {
            assert!(!agrees(text), "{text}");
        }
        // Duplicates of skipped keys are fine for both.
        assert!(agrees(r#"{"x":1,"x":2,"eventName":"a"}"#));
        assert!(agrees(
            r#"{"userIdentity":{"accountId":"1","invokedBy":"s"}}"#
        ));
        assert!(agrees(r#"{"userIdentity":null,"eventName":"a"}"#));
        assert!(agrees(" {}".trim_start()));
    }

    #[test]
    fn refuses_every_syntax_error_serde_refuses() {
        for text in [
            r#"{"a":1,}"#,
            r#"{"a":01}"#,
            r#"{"a":-}"#,
            r#"{"a":1.}"#,
            r#"{"a":1e}"#,
            r#"{"a":tru}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12g4"}"#,
            "{\"a\":\"tab\there\"}",
            r#"{"a":[1,]}"#,
            r#"{"a":{"b"}}"#,
            r#"{"a":[1 2]}"#,
            r#"{"a" 1}"#,
            r#"{"a":1"#,
            r#"{"a":"open"#,
            r#"{"a":[}"#,
        ] {
            assert!(read_record(text, 100).is_none(), "{text}");
            assert!(serde_leading(text).is_none(), "serde accepts {text}");
        }
    }

    #[test]
    fn bounds_nesting() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(5), "]".repeat(5));
        assert!(read_record(&deep, 6).is_some());
        assert!(read_record(&deep, 5).is_none());
        let hostile = format!("{{\"a\":{}", "[".repeat(100_000));
        assert!(read_record(&hostile, 100).is_none());
    }
}
