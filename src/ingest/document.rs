//! One decompressed JSON document → records: sniffs its shape (`{"Records":[…]}`,
//! bare array, JSON Lines, `lookup-events` output, digest, not CloudTrail), cuts
//! it into records with [`scan`](super::scan), parses each, and settles the
//! document's counts into the [`Sink`] (file with events, or skipped with a reason).

use super::error::{Bad, BadKind, Position, RecordError, SkipReason};
use super::fast_record;
use super::scan::{members, scan_value, skip_ws, ScanError};
use super::sink::Sink;
use super::sniff;
use super::to_event::{self, Context, Parsed};
use crate::model::Origin;

/// Per-document state; settled into the sink by [`Doc::finish`].
struct Doc<'s, 'l> {
    sink: &'s mut Sink<'l>,
    /// The whole document when it is valid UTF-8 (checked once, so records
    /// cut from it need no per-string re-validation).
    text: Option<&'s str>,
    path: &'s str,
    entry: u32,
    path_account: Option<String>,
    /// Records seen (CloudTrail or not; Insights records are not records).
    records: u64,
    events_start: usize,
    bad: Vec<RecordError>,
    /// Elements that had no CloudTrail field at all.
    not_cloudtrail: u64,
    insights: u64,
    /// Aggregated-event records (not records either).
    aggregated: u64,
    /// A structural error already ended the document: later ones are echoes.
    broken: bool,
}

/// Reads one document (the decompressed text of one file or archive entry).
/// `truncated` carries the decompressor's error when the text was cut short.
pub(crate) fn parse_document<'s>(
    sink: &'s mut Sink,
    path: &'s str,
    entry: u32,
    doc: &'s [u8],
    truncated: Option<String>,
) {
    let events_start = sink.batch.events.len();
    let mut d = Doc {
        sink,
        text: std::str::from_utf8(doc).ok(),
        path,
        entry,
        path_account: sniff::path_account(path).map(str::to_owned),
        records: 0,
        events_start,
        bad: Vec::new(),
        not_cloudtrail: 0,
        insights: 0,
        aggregated: 0,
        broken: false,
    };
    let verdict = d.walk(doc);
    let verdict = match (verdict, truncated) {
        (Ok(()), Some(err)) if !d.broken => {
            // The text parsed cleanly up to where the stream broke: count the
            // loss as one bad record so the file still says what happened.
            let bad = Bad::new(BadKind::TruncatedInput, format!("input ends early: {err}"));
            d.bad_at(bad, None);
            Ok(())
        }
        (v, _) => v,
    };
    d.finish(verdict);
}

impl<'s> Doc<'s, '_> {
    fn walk(&mut self, doc: &[u8]) -> Result<(), SkipReason> {
        let mut i = 0;
        if doc.starts_with(b"\xEF\xBB\xBF") {
            i = 3;
        }
        i = skip_ws(doc, i);
        match doc.get(i) {
            None => return Err(SkipReason::EmptyFile),
            Some(b'[') => {
                let end = self.array(doc, i, false)?;
                return self.trailing(doc, end);
            }
            Some(b'{') => {}
            Some(_) => return Err(not_json(doc, i)),
        }
        // An object: a wrapper (Records / Events), a digest, or the first of a
        // stream of events (JSON Lines or concatenated objects).
        let first = self.object(doc, i)?;
        match first {
            Top::Wrapper(end) => self.trailing(doc, end),
            Top::Event(end) => self.event_stream(doc, i, end),
        }
    }

    /// After a complete top-level value only whitespace (or more wrappers) may follow.
    fn trailing(&mut self, doc: &[u8], mut end: usize) -> Result<(), SkipReason> {
        loop {
            let i = skip_ws(doc, end);
            match doc.get(i) {
                None => return Ok(()),
                Some(b'{') => match self.object(doc, i)? {
                    Top::Wrapper(e) => end = e,
                    Top::Event(e) => return self.event_stream(doc, i, e),
                },
                Some(b'[') => end = self.array(doc, i, false)?,
                Some(_) => {
                    let why = format!("unexpected data at byte {i} after the end of the document");
                    self.bad_at(Bad::new(BadKind::InvalidJson, why), Some(i as u64));
                    return Ok(());
                }
            }
        }
    }

    /// Classifies the object at `i`, handling its `Records`/`Events` array in place.
    fn object(&mut self, doc: &[u8], i: usize) -> Result<Top, SkipReason> {
        // Walk the top-level members without descending into their values,
        // except a Records/Events array which is processed as it is walked.
        let mut j = skip_ws(doc, i + 1);
        let mut wrapper = false;
        let mut keys = KeySeen::default();
        if doc.get(j) == Some(&b'}') {
            return Err(SkipReason::EmptyObject);
        }
        loop {
            if doc.get(j) != Some(&b'"') {
                return self.broken_top(doc, j, wrapper);
            }
            let key_end = match super::scan::scan_string(doc, j) {
                Ok(e) => e,
                Err(_) => return self.broken_top(doc, doc.len(), wrapper),
            };
            let key = &doc[j + 1..key_end - 1];
            j = skip_ws(doc, key_end);
            if doc.get(j) != Some(&b':') {
                return self.broken_top(doc, j, wrapper);
            }
            j = skip_ws(doc, j + 1);
            let is_array = doc.get(j) == Some(&b'[');
            if is_array && (key == b"Records" || key == b"Events" || key == b"events") {
                wrapper = true;
                j = self.array(doc, j, key != b"Records")?;
            } else {
                keys.note(key);
                j = match scan_value(doc, j) {
                    Ok(v) => v.end,
                    Err(_) if wrapper => return self.broken_top(doc, j, wrapper),
                    // Not a wrapper and broken: let the record parser say why.
                    Err(_) if keys.event => return Ok(Top::Event(doc.len())),
                    Err(_) => return Err(SkipReason::InvalidObject),
                };
            }
            j = skip_ws(doc, j);
            match doc.get(j) {
                Some(b',') => j = skip_ws(doc, j + 1),
                Some(b'}') => {
                    let end = j + 1;
                    return if wrapper {
                        Ok(Top::Wrapper(end))
                    } else if keys.digest {
                        Err(SkipReason::Digest)
                    } else if keys.event {
                        Ok(Top::Event(end))
                    } else {
                        Err(SkipReason::NoEventFields)
                    };
                }
                _ => return self.broken_top(doc, j, wrapper),
            }
        }
    }

    /// The top-level object is malformed after `at`.
    fn broken_top(&mut self, doc: &[u8], at: usize, wrapper: bool) -> Result<Top, SkipReason> {
        if wrapper {
            let reason = if at >= doc.len() {
                "input ends inside the document".to_string()
            } else {
                format!("invalid JSON at byte {at} after the records")
            };
            self.structural(Bad::new(BadKind::InvalidJson, reason), at);
            Ok(Top::Wrapper(doc.len()))
        } else {
            Err(SkipReason::InvalidJsonAt(at))
        }
    }

    /// The elements of the array at `i`; `lookup` = `lookup-events` items.
    /// Returns the index after the array; a broken array is reported as a bad
    /// record and ends the document.
    fn array(&mut self, doc: &[u8], i: usize, lookup: bool) -> Result<usize, SkipReason> {
        let mut j = skip_ws(doc, i + 1);
        if doc.get(j) == Some(&b']') {
            return Ok(j + 1);
        }
        loop {
            if let Some(end) = (!lookup).then(|| self.record_one_pass(doc, j)).flatten() {
                j = skip_ws(doc, end);
            } else {
                match scan_value(doc, j) {
                    Ok(v) => {
                        if v.depth > self.sink.limits.max_depth {
                            let bad = too_deep(v.depth, self.sink.limits.max_depth);
                            self.bad_at(bad, Some(j as u64));
                        } else if lookup {
                            self.lookup_item(doc, j, v.end);
                        } else {
                            self.record(&doc[j..v.end], j as u64, false);
                        }
                        j = skip_ws(doc, v.end);
                    }
                    Err(e) => {
                        self.structural(scan_bad(e, j), j);
                        return Ok(doc.len());
                    }
                }
            }
            match doc.get(j) {
                Some(b',') => j = skip_ws(doc, j + 1),
                Some(b']') => return Ok(j + 1),
                None => {
                    let why = "input ends inside the records array";
                    self.bad_at(Bad::new(BadKind::TruncatedInput, why), Some(j as u64));
                    return Ok(doc.len());
                }
                Some(_) => {
                    let why = format!("unexpected byte at {j} between records");
                    self.bad_at(Bad::new(BadKind::InvalidJson, why), Some(j as u64));
                    return Ok(doc.len());
                }
            }
        }
    }

    /// Events after the first: JSON Lines when the first object sat on one
    /// line (each line parsed alone, so a broken line costs only itself), else
    /// a sequence of (pretty-printed) objects.
    fn event_stream(
        &mut self,
        doc: &[u8],
        start: usize,
        first_end: usize,
    ) -> Result<(), SkipReason> {
        let one_line = !doc[start..first_end].contains(&b'\n');
        if one_line {
            let mut pos = start;
            for line in doc[start..].split(|&c| c == b'\n') {
                let at = pos;
                pos += line.len() + 1;
                let trimmed = trim(line);
                if trimmed.is_empty() {
                    continue;
                }
                let offset = at + (trimmed.as_ptr() as usize - line.as_ptr() as usize);
                // CloudWatch exports prefix the JSON with a timestamp.
                let (rec, offset) = match (trimmed[0] != b'{', memchr::memchr(b'{', trimmed)) {
                    (true, Some(k)) => (&trimmed[k..], offset + k),
                    _ => (trimmed, offset),
                };
                let at = Some(offset as u64);
                if rec.len() > self.sink.limits.max_record_bytes {
                    self.bad_at(too_big(rec.len(), self.sink.limits.max_record_bytes), at);
                    continue;
                }
                // serde skips unknown values iteratively, so depth is checked here.
                match scan_value(rec, 0) {
                    Ok(v) if v.depth > self.sink.limits.max_depth => {
                        self.bad_at(too_deep(v.depth, self.sink.limits.max_depth), at)
                    }
                    _ => self.record(rec, offset as u64, false),
                }
            }
            return Ok(());
        }
        let mut j = start;
        loop {
            j = skip_ws(doc, j);
            if j >= doc.len() {
                return Ok(());
            }
            match scan_value(doc, j) {
                Ok(v) if v.depth > self.sink.limits.max_depth => {
                    let bad = too_deep(v.depth, self.sink.limits.max_depth);
                    self.bad_at(bad, Some(j as u64));
                    j = v.end;
                }
                Ok(v) => {
                    self.record(&doc[j..v.end], j as u64, false);
                    j = v.end;
                }
                Err(e) => {
                    self.structural(scan_bad(e, j), j);
                    return Ok(());
                }
            }
            if doc.get(skip_ws(doc, j)) == Some(&b',') {
                j = skip_ws(doc, j) + 1;
            }
        }
    }

    /// One `lookup-events` item: `{"CloudTrailEvent": "<record JSON>", ...}`, or
    /// an inline record (the Insights doc examples print them so).
    fn lookup_item(&mut self, doc: &[u8], i: usize, end: usize) {
        let Ok((ms, _)) = members(doc, i) else {
            self.record(&doc[i..end], i as u64, false);
            return;
        };
        let embedded = ms.iter().find(|m| {
            let k = &doc[m.key.clone()];
            k == b"CloudTrailEvent" || k == b"message"
        });
        match embedded {
            Some(m) if doc.get(m.value.start) == Some(&b'"') => {
                let lit = &doc[m.value.clone()];
                let at = Some(m.value.start as u64);
                if lit.len() > self.sink.limits.max_record_bytes {
                    self.bad_at(too_big(lit.len(), self.sink.limits.max_record_bytes), at);
                    return;
                }
                match serde_json::from_slice::<String>(lit) {
                    Ok(text) => self.record_embedded(&text, m.value.start as u64, lit.len()),
                    Err(e) => {
                        let why = format!("CloudTrailEvent string: {e}");
                        self.bad_at(Bad::new(BadKind::InvalidJson, why), at)
                    }
                }
            }
            _ => self.record(&doc[i..end], i as u64, false),
        }
    }

    fn record_embedded(&mut self, text: &str, offset: u64, len: usize) {
        let origin = self.origin(offset, len, true);
        self.parse_one(text.as_bytes(), Some(text), origin);
    }

    fn record(&mut self, bytes: &[u8], offset: u64, embedded: bool) {
        let origin = self.origin(offset, bytes.len(), embedded);
        if bytes.len() > self.sink.limits.max_record_bytes {
            let bad = too_big(bytes.len(), self.sink.limits.max_record_bytes);
            self.bad_at(bad, Some(offset));
            return;
        }
        let text = self.text_of(bytes);
        self.parse_one(bytes, text, origin);
    }

    /// `bytes` as text when they lie inside the (valid UTF-8) document.
    fn text_of(&self, bytes: &[u8]) -> Option<&'s str> {
        let text = self.text?;
        let start = (bytes.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        text.get(start..start.checked_add(bytes.len())?)
            .filter(|t| t.as_ptr() == bytes.as_ptr())
    }

    /// The one-pass path for a record in an array: the fast reader
    /// ([`fast_record`]) reads the object at `doc[j]` and says where it ends,
    /// so the scanner never walks it. Returns that end, or `None` (nothing
    /// recorded) to take the scanner path, whose [`to_event::read`] (the one
    /// place that picks between the fast reader and serde) owns every error
    /// and limit report: not UTF-8, not an object, anything the reader leaves
    /// to serde, too large, or nested deeper than the limit.
    fn record_one_pass(&mut self, doc: &[u8], j: usize) -> Option<usize> {
        let limits = self.sink.limits;
        let (raw, len) = fast_record::read_record(self.text?.get(j..)?, limits.max_depth)?;
        let bytes = doc.get(j..j + len)?;
        if len > limits.max_record_bytes {
            return None;
        }
        let origin = self.origin(j as u64, len, false);
        let mut ctx = Context {
            strings: &mut self.sink.batch.strings,
            cache: &mut self.sink.cache,
            path_account: self.path_account.as_deref(),
        };
        let result = to_event::to_event(&raw, bytes, origin, &mut ctx);
        self.settle(result, bytes, origin.offset);
        Some(j + len)
    }

    fn origin(&self, offset: u64, len: usize, embedded: bool) -> Origin {
        Origin {
            input: self.sink.input,
            entry: self.entry,
            offset,
            len: len.min(u32::MAX as usize) as u32,
            embedded,
        }
    }

    fn parse_one(&mut self, bytes: &[u8], text: Option<&str>, origin: Origin) {
        let mut ctx = Context {
            strings: &mut self.sink.batch.strings,
            cache: &mut self.sink.cache,
            path_account: self.path_account.as_deref(),
        };
        let result = to_event::read(bytes, text)
            .and_then(|raw| to_event::to_event(&raw, bytes, origin, &mut ctx));
        self.settle(result, bytes, origin.offset);
    }

    /// Counts one parsed record: an event, an AWS Insight, or a bad record.
    fn settle(&mut self, result: Result<Parsed, Bad>, bytes: &[u8], offset: u64) {
        match result {
            Ok(Parsed::Event(e)) => {
                self.records += 1;
                self.sink.batch.events.push(e);
            }
            Ok(Parsed::AwsInsight) => {
                self.insights += 1;
                self.sink
                    .batch
                    .aws_insights
                    .push(String::from_utf8_lossy(bytes).into_owned());
            }
            Ok(Parsed::Aggregated) => self.aggregated += 1,
            Err(bad) => {
                if bad.kind == BadKind::NotCloudTrail {
                    self.not_cloudtrail += 1;
                }
                self.bad_at(bad, Some(offset));
            }
        }
    }

    /// A structural error (the document cannot be cut into records past
    /// here): counted once, as one bad record.
    fn structural(&mut self, bad: Bad, at: usize) {
        if !self.broken {
            self.broken = true;
            self.bad_at(bad, Some(at as u64));
        }
    }

    /// A bad record, the next of this document; `offset` where it starts.
    fn bad_at(&mut self, bad: Bad, offset: Option<u64>) {
        let position = Position {
            input: self.sink.input,
            entry: self.entry,
            offset,
            record: self.records,
        };
        self.records += 1;
        self.bad.push(RecordError {
            kind: bad.kind,
            detail: bad.detail,
            position,
        });
    }

    /// Settles the document: a file with events, or a skipped file with a reason.
    fn finish(mut self, verdict: Result<(), SkipReason>) {
        let events = (self.sink.batch.events.len() - self.events_start) as u64;
        self.sink.batch.report.files_seen += 1;
        self.sink.batch.report.aws_insight_records += self.insights;
        self.sink.batch.report.aggregated_event_records += self.aggregated;
        let real_bad = self.bad.len() as u64 - self.not_cloudtrail;
        match verdict {
            Err(reason) if events == 0 && real_bad == 0 => {
                self.sink.skip_counted(self.path, reason);
                return;
            }
            // Part of the file loaded before the rest turned out unreadable.
            Err(reason) => self.bad_at(Bad::new(BadKind::InvalidJson, reason.to_string()), None),
            Ok(()) => {}
        }
        let real_bad = self.bad.len() as u64 - self.not_cloudtrail;
        let sink = self.sink;
        if events == 0 && real_bad == 0 {
            // Nothing CloudTrail-like in it: skip the file, not its elements.
            let reason = if self.insights > 0 {
                SkipReason::AwsInsights(self.insights)
            } else if self.aggregated > 0 {
                SkipReason::Aggregated(self.aggregated)
            } else if self.not_cloudtrail > 0 {
                SkipReason::NoCloudTrailElement
            } else {
                SkipReason::NoRecords
            };
            sink.skip_counted(self.path, reason);
            return;
        }
        sink.batch.report.records += self.records;
        sink.batch.report.events += events;
        let first = self
            .bad
            .iter()
            .find(|b| b.kind != BadKind::NotCloudTrail)
            .map(|b| b.detail.clone());
        for bad in self.bad {
            sink.bad(self.path, bad);
        }
        if events > 0 {
            sink.batch.report.files += 1;
        } else {
            let first = first.unwrap_or_default();
            let reason = SkipReason::NoEventsLoaded {
                bad: real_bad,
                first,
            };
            sink.skip_counted(self.path, reason);
        }
    }
}

enum Top {
    /// A `Records`/`Events` wrapper ending here.
    Wrapper(usize),
    /// An event object ending here.
    Event(usize),
}

/// Which telling keys a top-level object has.
#[derive(Default)]
struct KeySeen {
    event: bool,
    digest: bool,
}

impl KeySeen {
    fn note(&mut self, key: &[u8]) {
        match key {
            b"eventVersion" | b"eventTime" | b"eventName" | b"eventSource" | b"eventID" => {
                self.event = true
            }
            b"digestStartTime" | b"digestEndTime" | b"digestS3Object" | b"logFiles" => {
                self.digest = true
            }
            _ => {}
        }
    }
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

fn not_json(doc: &[u8], i: usize) -> SkipReason {
    let head: String = doc[i..]
        .iter()
        .take(8)
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '.' })
        .collect();
    if doc[i..].iter().take(512).any(|&c| c == 0)
        || std::str::from_utf8(&doc[i..doc.len().min(i + 512)]).is_err() && doc.len() - i > 3
    {
        SkipReason::Binary { head }
    } else {
        SkipReason::NotJson { head }
    }
}

fn too_deep(depth: usize, max: usize) -> Bad {
    Bad::new(
        BadKind::NestingTooDeep,
        format!("record nests {depth} levels, over the limit of {max}"),
    )
}

fn too_big(len: usize, max: usize) -> Bad {
    Bad::new(
        BadKind::RecordTooLarge,
        format!("record is {len} bytes, over the limit of {max}"),
    )
}

fn scan_bad(e: ScanError, start: usize) -> Bad {
    match e {
        ScanError::Truncated => Bad::new(
            BadKind::TruncatedInput,
            format!("input ends inside the record starting at byte {start}"),
        ),
        ScanError::Unexpected(at) => Bad::new(
            BadKind::InvalidJson,
            format!("unexpected byte at {at}; rest of the document not read"),
        ),
    }
}
