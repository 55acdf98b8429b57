//! The data model shared by ingest, the engine, the CLI and the web worker.
//!
//! Events are kept compact: every repeated string (account, region, API, identity,
//! user agent, error code) is interned once in a [`Interner`] and events carry
//! 4-byte [`Sym`]s. The full original JSON of an event is not kept; [`Origin`]
//! says where to re-read it (which input, which archive entry, which byte range of
//! the decompressed text), so the CloudTrail events tab can show it on demand.
//!
//! Nothing here depends on the web or on threads.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::BuildHasher;

pub mod event_store;
pub use event_store::{Actor, EventStore, Shape, StoredEvent};

/// An interned string: an index into an [`Interner`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sym(pub u32);

/// Deduplicating string table. Index 0 is always the empty string, so
/// `Sym::default()`-like "absent" values can be represented as `Sym(0)`.
///
/// An arena: all text lives in one buffer and symbol `i` is the slice between
/// `bounds[i]` and `bounds[i + 1]`; the lookup table holds only symbols, keyed
/// by an Fx hash of their text and compared against the arena. A new string
/// therefore costs no allocation of its own (every input gets a fresh
/// interner, so this is paid per file), and a lookup hashes the text once
/// with a cheap hash instead of SipHash.
///
/// Serialised as the sequence of its strings in symbol order; deserialising
/// rebuilds the table.
#[derive(Clone)]
pub struct Interner {
    text: String,
    /// `bounds[i]..bounds[i + 1]` is symbol `i`'s text; `bounds[0] == 0`.
    /// `usize` (not `u32`) so an interner past 4 GiB of text stays correct.
    bounds: Vec<usize>,
    table: HashTable<u32>,
}

/// Symbol `i`'s text. A free function so the table's closures can borrow the
/// arena while the table itself is borrowed mutably.
#[inline]
fn slice<'t>(text: &'t str, bounds: &[usize], i: u32) -> &'t str {
    let i = i as usize;
    &text[bounds[i]..bounds[i + 1]]
}

#[inline]
fn hash(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner::empty();
        interner.intern("");
        interner
    }
}

impl Interner {
    /// The symbol of the empty string, used for "absent".
    pub const EMPTY: Sym = Sym(0);

    /// No strings at all, not even `""` (the start of a deserialisation).
    fn empty() -> Self {
        Interner {
            text: String::new(),
            bounds: vec![0],
            table: HashTable::new(),
        }
    }

    /// An interner (holding `""`) with room for `strings` strings of
    /// `bytes` bytes in all before it reallocates: one per input is made, so
    /// growing from nothing would cost a handful of reallocations each time.
    pub fn with_capacity(strings: usize, bytes: usize) -> Self {
        let mut interner = Interner {
            text: String::with_capacity(bytes),
            bounds: Vec::with_capacity(strings + 1),
            table: HashTable::with_capacity(strings),
        };
        interner.bounds.push(0);
        interner.intern("");
        interner
    }

    /// Appends `s` as the next symbol without looking it up.
    fn push(&mut self, s: &str) -> u32 {
        let i = self.len() as u32;
        self.text.push_str(s);
        self.bounds.push(self.text.len());
        i
    }

    #[inline]
    pub fn intern(&mut self, s: &str) -> Sym {
        let h = hash(s);
        let Interner {
            text,
            bounds,
            table,
        } = self;
        let entry = table.entry(
            h,
            |&k| slice(text, bounds, k) == s,
            |&k| hash(slice(text, bounds, k)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => Sym(*o.get()),
            hashbrown::hash_table::Entry::Vacant(v) => {
                let i = (bounds.len() - 1) as u32;
                text.push_str(s);
                bounds.push(text.len());
                v.insert(i);
                Sym(i)
            }
        }
    }

    /// Looks a string up without adding it.
    #[inline]
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.table
            .find(hash(s), |&k| slice(&self.text, &self.bounds, k) == s)
            .map(|&k| Sym(k))
    }

    #[inline]
    pub fn resolve(&self, sym: Sym) -> &str {
        slice(&self.text, &self.bounds, sym.0)
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    /// Rebuilds the lookup table from the strings. Deserialisation already
    /// does this; kept for callers that predate that. When a string occurs
    /// more than once, lookups find its first symbol.
    pub fn rebuild_index(&mut self) {
        let Interner {
            text,
            bounds,
            table,
        } = self;
        table.clear();
        table.reserve(bounds.len() - 1, |&k| hash(slice(text, bounds, k)));
        for i in 0..(bounds.len() - 1) as u32 {
            let s = slice(text, bounds, i);
            let h = hash(s);
            if table.find(h, |&k| slice(text, bounds, k) == s).is_none() {
                table.insert_unique(h, i, |&k| hash(slice(text, bounds, k)));
            }
        }
    }

    /// All strings in symbol order.
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.bounds.windows(2).map(|w| &self.text[w[0]..w[1]])
    }
}

impl fmt::Debug for Interner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.strings()).finish()
    }
}

impl Serialize for Interner {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.strings())
    }
}

impl<'de> Deserialize<'de> for Interner {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Appends each string of the sequence straight into the arena.
        struct Strings;
        /// One string of the sequence, appended as the next symbol.
        struct Append<'i>(&'i mut Interner);
        impl<'de> de::Visitor<'de> for Strings {
            type Value = Interner;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence of strings")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Interner, A::Error> {
                let mut interner = Interner::empty();
                // The wire gives a count, not a byte size: no text presizing.
                interner
                    .bounds
                    .reserve(seq.size_hint().unwrap_or(0).min(1 << 16));
                while seq.next_element_seed(Append(&mut interner))?.is_some() {}
                interner.rebuild_index();
                Ok(interner)
            }
        }
        impl<'de> de::DeserializeSeed<'de> for Append<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl<'de> de::Visitor<'de> for Append<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, v: &str) -> Result<(), E> {
                self.0.push(v);
                Ok(())
            }
        }
        deserializer.deserialize_seq(Strings)
    }
}

/// Management, data or other (network activity, unknown) event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Management,
    Data,
    Other,
}

/// Where the original JSON of an event lives, so it can be re-read on demand.
/// The default (input 0, entry 0, an empty range) is for events made in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// Index of the input (file given by the user) in the load order.
    pub input: u32,
    /// Index of the entry inside an archive (0 for plain files).
    pub entry: u32,
    /// Byte offset of the event object in the decompressed text of that entry.
    pub offset: u64,
    /// Length in bytes of the event object.
    pub len: u32,
    /// The event came from a JSON string inside another document
    /// (`lookup-events` `CloudTrailEvent`); `offset`/`len` then point at that string.
    pub embedded: bool,
}

/// One CloudTrail event, reduced to what detection, attribution and the event
/// table need.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// `eventTime` in milliseconds since the Unix epoch, UTC.
    pub time_ms: i64,
    /// 128-bit key of `eventID` (a UUID parsed to its bits; other strings hashed).
    pub id: u128,
    pub account: Sym,
    pub region: Sym,
    pub source: Sym,
    pub name: Sym,
    /// `errorCode`, or [`Interner::EMPTY`] when the call succeeded.
    pub error_code: Sym,
    /// Attribution identity as AWS shows it (assumed role without the session name).
    pub identity: Sym,
    pub user_agent: Sym,
    pub source_ip: Sym,
    pub event_type: Sym,
    /// `userIdentity.type` ("AssumedRole", "IAMUser", "Root", "AWSService", ...),
    /// [`Interner::EMPTY`] when absent.
    pub identity_type: Sym,
    pub read_only: bool,
    /// `readOnly` was missing and was inferred from the event name.
    pub read_only_inferred: bool,
    pub category: Category,
    pub origin: Origin,
}

impl Event {
    /// Minute index since the epoch (floor division, correct for times before 1970).
    pub fn minute(&self) -> i64 {
        self.time_ms.div_euclid(60_000)
    }

    pub fn is_error(&self) -> bool {
        self.error_code != Interner::EMPTY
    }
}

/// A file (or archive entry) that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// A bad record: where, and why it was not loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRecord {
    pub path: String,
    /// 0-based index of the record in its file.
    pub record: u64,
    pub reason: String,
}

/// Everything loaded from the user's inputs, ready for detection.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub strings: Interner,
    /// Sorted by `(time_ms, id)`, unique by `id`; compact (40 bytes an
    /// event), read as decoded [`Event`]s.
    pub events: EventStore,
    /// Input names (paths or file names) by [`Origin::input`].
    pub inputs: Vec<String>,
    /// AWS's own Insights records found in `CloudTrail-Insight` files, as raw JSON,
    /// kept apart from the events (shown beside ours, never counted as events).
    pub aws_insights: Vec<String>,
}

/// The two Insight types of `PutInsightSelectors`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InsightType {
    ApiCallRateInsight,
    ApiErrorRateInsight,
}

impl InsightType {
    pub fn as_str(self) -> &'static str {
        match self {
            InsightType::ApiCallRateInsight => "ApiCallRateInsight",
            InsightType::ApiErrorRateInsight => "ApiErrorRateInsight",
        }
    }
}

/// What one Insight watches: an API (and for error rate, an error code) in one
/// account and Region. Plain strings so it travels to the UI without the interner.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeriesKey {
    pub insight_type: InsightType,
    pub account: String,
    pub region: String,
    pub source: String,
    pub name: String,
    /// Error code for `ApiErrorRateInsight`, `None` for call rate.
    pub error_code: Option<String>,
    /// `"Management"` or `"Data"` (`sourceEventCategory`).
    pub source_category: String,
}

/// One value of an attribution table with its per-minute average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttributionValue {
    pub value: String,
    pub average: f64,
}

/// One attribution block (`userIdentityArn`, `userAgent` or `errorCode`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub attribute: String,
    /// Top five during the Insight, descending.
    pub insight: Vec<AttributionValue>,
    /// Top five during the baseline, descending.
    pub baseline: Vec<AttributionValue>,
    /// Sum of the averages beyond the top five ("Other" row in the UI), insight / baseline.
    pub insight_other: f64,
    pub baseline_other: f64,
}

/// Why an Insight's Start was unusual: the first test that fired, with the
/// numbers it compared (shown on the details page; never in AWS's records).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// `true` for a call-rate drop (a window far below its expectation).
    pub drop: bool,
    /// Length in minutes of the window that fired (1 or 5; 10 for drops).
    pub window_minutes: u32,
    /// Last minute of that window (minutes since the epoch).
    pub window_last_minute: i64,
    /// Events in the window.
    pub observed: u32,
    /// Events the seasonal model expected in the window.
    pub expected: f64,
    /// The series' dispersion that day (0 = Poisson; variance `mu + alpha mu^2`).
    pub dispersion: f64,
    /// `log10` of the tail probability of `observed` under the model.
    pub log10_tail_probability: f64,
    /// Increases: the largest count of a window of this length on the model
    /// days before (the burst memory). Drops: the smallest count at about the
    /// same time of day on the baseline days.
    pub usual_extreme: u32,
    /// Increases: the largest count of such a window in the previous hour.
    pub recent_peak: u32,
    /// Days of history behind the burst memory and the dispersion.
    pub model_days: u32,
}

/// One detected Insight: a Start/End pair and everything the UI shows about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    pub key: SeriesKey,
    pub shared_event_id: String,
    pub start_event_id: String,
    pub end_event_id: String,
    /// First unusual minute (minutes since the epoch); the Start record's `eventTime`.
    pub start_minute: i64,
    /// The End record's `eventTime` minute (`start_minute + insight_duration`).
    pub end_minute: i64,
    pub baseline_average: f64,
    /// Rate in the first unusual minute (Start record's `insight.average`).
    pub start_average: f64,
    /// Average over the whole duration (End record's `insight.average`).
    pub insight_average: f64,
    pub insight_duration: u32,
    pub baseline_duration: u32,
    pub attributions: Vec<Attribution>,
    /// Why the Start minute was unusual (beyond AWS).
    #[serde(default)]
    pub explanation: Explanation,
    /// The exact AWS records, compact JSON.
    pub start_record_json: String,
    pub end_record_json: String,
}

/// Longest span analysed per account and Region (400 days); older events are
/// ignored by detection, and no minute series is longer.
pub const MAX_SPAN_MINUTES: i64 = 400 * 1440;

/// A half-open range of minutes since the epoch: `start` is in it, `end` is
/// not. The one range type of the engine's window queries, the worker
/// protocol and the details page, so no caller has to guess whether `end`
/// counts. Any two `i64`s make a valid range (a reversed one is empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MinuteRange {
    pub start: i64,
    pub end: i64,
}

impl MinuteRange {
    pub fn new(start: i64, end: i64) -> MinuteRange {
        MinuteRange { start, end }
    }

    /// The minutes of an Insight: its Start minute through its last unusual
    /// minute (`end_minute`, the End record's minute, is one past it).
    pub fn of_insight(insight: &Insight) -> MinuteRange {
        MinuteRange::new(insight.start_minute, insight.end_minute)
    }

    /// Number of minutes in the range (0 when reversed); exact for any bounds.
    pub fn len(&self) -> u64 {
        if self.end > self.start {
            self.end.abs_diff(self.start)
        } else {
            0
        }
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, minute: i64) -> bool {
        self.start <= minute && minute < self.end
    }

    /// The last minute in the range, if any.
    pub fn last(&self) -> Option<i64> {
        (!self.is_empty()).then(|| self.end - 1)
    }

    /// The first `max` minutes of the range (all of it if shorter).
    pub fn truncated(&self, max: u64) -> MinuteRange {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        MinuteRange::new(self.start, self.end.min(self.start.saturating_add(max)))
    }
}

/// Calls and errors of one series in one minute, for the Insights graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutePoint {
    pub minute: i64,
    pub calls: u32,
    pub errors: u32,
}

/// One row of the CloudTrail events tab: an event with its strings resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    /// Index into [`Dataset::events`]; used to fetch the full original JSON.
    pub index: u32,
    pub time_ms: i64,
    pub event_id: String,
    pub account: String,
    pub region: String,
    pub source: String,
    pub name: String,
    pub identity: String,
    pub user_agent: String,
    pub source_ip: String,
    /// Empty when the call succeeded.
    pub error_code: String,
    pub read_only: bool,
    /// `userIdentity.type`; empty when absent.
    #[serde(default)]
    pub identity_type: String,
}

/// Formats a 128-bit event key back to the `eventID` text when it was a UUID.
pub fn format_event_id(id: u128) -> String {
    let h = format!("{id:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl Dataset {
    /// The events-tab row of event `index`, or `None` when out of range.
    pub fn row(&self, index: usize) -> Option<EventRow> {
        let e = self.events.get(index)?;
        Some(self.event_row(index as u32, &e))
    }
}

impl Dataset {
    /// The events-tab row of `e`, which is event `index` of this dataset
    /// (for callers that already hold the event, e.g. from `events.iter()`).
    pub fn event_row(&self, index: u32, e: &Event) -> EventRow {
        let s = |sym| self.strings.resolve(sym).to_string();
        EventRow {
            index,
            time_ms: e.time_ms,
            event_id: format_event_id(e.id),
            account: s(e.account),
            region: s(e.region),
            source: s(e.source),
            name: s(e.name),
            identity: s(e.identity),
            user_agent: s(e.user_agent),
            source_ip: s(e.source_ip),
            error_code: s(e.error_code),
            read_only: e.read_only,
            identity_type: s(e.identity_type),
        }
    }

    /// A dataset of `events` (in the order given) over `strings`, with no
    /// inputs: for tests and tools that build one by hand.
    pub fn from_events(strings: Interner, events: Vec<Event>) -> Dataset {
        Dataset {
            strings,
            events: EventStore::from_events(events),
            ..Dataset::default()
        }
    }
}
