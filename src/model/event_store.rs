//! The compact form of a dataset's events: [`EventStore`].
//!
//! A loaded event costs 40 bytes ([`StoredEvent`]): its time, its `eventID`
//! key, one id into a table of distinct *shapes* (account, Region, source,
//! API, error code, event type, read-only, category), one into a table of
//! distinct *actors* (identity, identity type, user agent, source IP) and its
//! origin packed into one word (an id into a table of (input, archive entry)
//! pairs, the byte offset, the `embedded` bit). The tables hold thousands of
//! tuples for millions of events, so they cost nothing per event.
//!
//! The wide [`Event`] stays the value type everyone reads: [`EventStore::get`]
//! and [`EventStore::iter`] decode it. The one thing not kept is the origin's
//! length: a decoded [`Origin`] has `len == 0`, and
//! [`read_event_json`](crate::ingest::read_event_json) then finds the end of
//! the JSON value by scanning from its offset.
//!
//! Nothing here depends on the web or on threads.

use crate::model::{Category, Event, Interner, MinuteRange, Origin, Sym};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::Hash;

/// One stored event (40 bytes, 8-byte aligned).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// `eventTime` in milliseconds since the Unix epoch, UTC.
    pub time_ms: i64,
    /// The 128-bit `eventID` key, high half first (so the array orders as the
    /// number does); two `u64`s keep the record's alignment at 8, not 16.
    pub id: [u64; 2],
    /// Index into the store's shapes.
    pub shape: u32,
    /// Index into the store's actors.
    pub actor: u32,
    /// The packed origin (see [`EventStore::pack`]).
    pub origin: u64,
}

impl StoredEvent {
    pub fn id(&self) -> u128 {
        (self.id[0] as u128) << 64 | self.id[1] as u128
    }

    pub fn minute(&self) -> i64 {
        self.time_ms.div_euclid(60_000)
    }
}

fn split_id(id: u128) -> [u64; 2] {
    [(id >> 64) as u64, id as u64]
}

/// What an event is: the fields that say which series it counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shape {
    pub account: Sym,
    pub region: Sym,
    pub source: Sym,
    pub name: Sym,
    pub error_code: Sym,
    pub event_type: Sym,
    pub read_only: bool,
    pub read_only_inferred: bool,
    pub category: Category,
}

/// Who made an event: the fields attributions and the events tab show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub identity: Sym,
    pub identity_type: Sym,
    pub user_agent: Sym,
    pub source_ip: Sym,
}

/// A deduplicating table: each distinct value once, numbered by first
/// appearance. Serialised as its values in order.
#[derive(Clone)]
struct Table<T> {
    items: Vec<T>,
    index: FxHashMap<T, u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            index: FxHashMap::default(),
        }
    }
}

impl<T: Copy + Eq + Hash> Table<T> {
    #[inline]
    fn id(&mut self, value: T) -> u32 {
        let Table { items, index } = self;
        *index.entry(value).or_insert_with(|| {
            items.push(value);
            (items.len() - 1) as u32
        })
    }

    fn from_items(items: Vec<T>) -> Self {
        let mut index = FxHashMap::default();
        index.reserve(items.len());
        for (i, &v) in items.iter().enumerate() {
            index.entry(v).or_insert(i as u32);
        }
        Table { items, index }
    }
}

impl<T: Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de> + Copy + Eq + Hash> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Table::from_items(Vec::deserialize(deserializer)?))
    }
}

/// Bits of the packed origin: `embedded` on top, then the source id, then the
/// byte offset. A source id or offset too big for its bits goes to the
/// overflow table and the word holds [`ESCAPE`] and that entry's index.
const OFFSET_BITS: u32 = 40;
const SOURCE_BITS: u32 = 23;
const EMBEDDED: u64 = 1 << 63;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
const ESCAPE: u32 = (1 << SOURCE_BITS) - 1;

/// The packed word of `(source, offset, embedded bit)`, spilling to
/// `overflow` what does not fit.
fn pack_parts(overflow: &mut Vec<(u32, u64)>, source: u32, offset: u64, embedded: u64) -> u64 {
    if source < ESCAPE && offset <= OFFSET_MASK {
        embedded | u64::from(source) << OFFSET_BITS | offset
    } else {
        overflow.push((source, offset));
        let at = (overflow.len() - 1) as u64 & OFFSET_MASK;
        embedded | u64::from(ESCAPE) << OFFSET_BITS | at
    }
}

/// `(source id, offset, embedded bit)` of a packed word.
fn unpack(overflow: &[(u32, u64)], w: u64) -> (u32, u64, u64) {
    let source = ((w >> OFFSET_BITS) as u32) & ESCAPE;
    let low = w & OFFSET_MASK;
    let (source, offset) = if source == ESCAPE {
        overflow.get(low as usize).copied().unwrap_or((u32::MAX, 0))
    } else {
        (source, low)
    };
    (source, offset, w & EMBEDDED)
}

/// A dataset's events, compact (see the module docs). The order is whatever
/// was pushed; a loaded dataset's is `(time_ms, id)`, unique by `id`.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct EventStore {
    records: Vec<StoredEvent>,
    shapes: Table<Shape>,
    actors: Table<Actor>,
    /// `(input, entry)` pairs.
    sources: Table<(u32, u32)>,
    /// `(source id, offset)` of origins that do not fit the packed word.
    overflow: Vec<(u32, u64)>,
}

impl EventStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The events in the order given.
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Self {
        let mut store = EventStore::new();
        for e in events {
            store.push(e);
        }
        store
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Appends one event.
    pub fn push(&mut self, e: Event) {
        let record = self.compact(&e);
        self.records.push(record);
    }

    /// The stored form of `e` (its shape, actor and source added to the tables).
    #[inline]
    fn compact(&mut self, e: &Event) -> StoredEvent {
        let shape = self.shapes.id(Shape {
            account: e.account,
            region: e.region,
            source: e.source,
            name: e.name,
            error_code: e.error_code,
            event_type: e.event_type,
            read_only: e.read_only,
            read_only_inferred: e.read_only_inferred,
            category: e.category,
        });
        let actor = self.actors.id(Actor {
            identity: e.identity,
            identity_type: e.identity_type,
            user_agent: e.user_agent,
            source_ip: e.source_ip,
        });
        StoredEvent {
            time_ms: e.time_ms,
            id: split_id(e.id),
            shape,
            actor,
            origin: self.pack(&e.origin),
        }
    }

    /// Packs an origin's input, entry, offset and `embedded` (not its length).
    fn pack(&mut self, o: &Origin) -> u64 {
        let source = self.sources.id((o.input, o.entry));
        let embedded = if o.embedded { EMBEDDED } else { 0 };
        pack_parts(&mut self.overflow, source, o.offset, embedded)
    }

    /// The origin of a packed word; `len` is 0 (not stored).
    fn origin(&self, w: u64) -> Origin {
        let (source, offset, embedded) = unpack(&self.overflow, w);
        let (input, entry) = self
            .sources
            .items
            .get(source as usize)
            .copied()
            .unwrap_or_default();
        Origin {
            input,
            entry,
            offset,
            len: 0,
            embedded: embedded != 0,
        }
    }

    /// The wide event of a stored record.
    #[inline]
    pub fn decode(&self, r: &StoredEvent) -> Event {
        let s = self.shape(r);
        let a = self.actor(r);
        Event {
            time_ms: r.time_ms,
            id: r.id(),
            account: s.account,
            region: s.region,
            source: s.source,
            name: s.name,
            error_code: s.error_code,
            identity: a.identity,
            user_agent: a.user_agent,
            source_ip: a.source_ip,
            event_type: s.event_type,
            identity_type: a.identity_type,
            read_only: s.read_only,
            read_only_inferred: s.read_only_inferred,
            category: s.category,
            origin: self.origin(r.origin),
        }
    }

    /// The shape of a record (all "" for a corrupt id).
    #[inline]
    pub fn shape(&self, r: &StoredEvent) -> Shape {
        self.shapes
            .items
            .get(r.shape as usize)
            .copied()
            .unwrap_or(Shape {
                account: Interner::EMPTY,
                region: Interner::EMPTY,
                source: Interner::EMPTY,
                name: Interner::EMPTY,
                error_code: Interner::EMPTY,
                event_type: Interner::EMPTY,
                read_only: false,
                read_only_inferred: false,
                category: Category::Other,
            })
    }

    /// The actor of a record (all "" for a corrupt id).
    #[inline]
    pub fn actor(&self, r: &StoredEvent) -> Actor {
        self.actors
            .items
            .get(r.actor as usize)
            .copied()
            .unwrap_or(Actor {
                identity: Interner::EMPTY,
                identity_type: Interner::EMPTY,
                user_agent: Interner::EMPTY,
                source_ip: Interner::EMPTY,
            })
    }

    /// Event `i`, decoded, or `None` when out of range.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Event> {
        self.records.get(i).map(|r| self.decode(r))
    }

    /// Event `i`, decoded. Panics when `i` is out of range, like indexing a
    /// slice: for indexes the engine made from this store.
    #[inline]
    pub fn at(&self, i: usize) -> Event {
        self.decode(&self.records[i])
    }

    /// `time_ms` of event `i` (panics out of range, like [`at`](Self::at)).
    #[inline]
    pub fn time_ms(&self, i: usize) -> i64 {
        self.records[i].time_ms
    }

    /// Minute of event `i` (panics out of range, like [`at`](Self::at)).
    #[inline]
    pub fn minute(&self, i: usize) -> i64 {
        self.records[i].minute()
    }

    /// The stored records, in store order.
    pub fn records(&self) -> &[StoredEvent] {
        &self.records
    }

    /// Every event, decoded, in store order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Event> + DoubleEndedIterator + '_ {
        self.records.iter().map(|r| self.decode(r))
    }

    /// Events `range`, decoded (the range clamped to the store).
    pub fn iter_range(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = Event> + '_ {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        self.records[start..end].iter().map(|r| self.decode(r))
    }

    /// Every event, decoded, in a vector (for tests and tools that edit).
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().collect()
    }

    /// In a store sorted by time, the index of the first event whose minute
    /// is `minute` or later.
    pub fn first_at_minute(&self, minute: i64) -> usize {
        self.records.partition_point(|r| r.minute() < minute)
    }

    /// In a store sorted by time, the index range of the events whose minute
    /// is in `range` (empty when it is).
    pub fn minute_range(&self, range: MinuteRange) -> std::ops::Range<usize> {
        let lo = self.first_at_minute(range.start);
        let hi = self.first_at_minute(range.end);
        lo..hi.max(lo)
    }

    /// `(input, entry, offset)` of record `i`'s origin: the order duplicates
    /// are decided by (the smallest wins).
    fn origin_key(&self, i: usize) -> (u32, u32, u64) {
        let o = self.origin(self.records[i].origin);
        (o.input, o.entry, o.offset)
    }

    /// The accounts and Regions (as symbol flags: bit 0 account, bit 1
    /// Region) of the stored events, one byte per symbol of a table of
    /// `strings` symbols.
    pub(crate) fn account_region_marks(&self, strings: usize) -> Vec<u8> {
        let mut used = vec![false; self.shapes.items.len()];
        for r in &self.records {
            if let Some(u) = used.get_mut(r.shape as usize) {
                *u = true;
            }
        }
        let mut marks = vec![0u8; strings];
        for (s, _) in self.shapes.items.iter().zip(&used).filter(|(_, &u)| u) {
            if let Some(m) = marks.get_mut(s.account.0 as usize) {
                *m |= 1;
            }
            if let Some(m) = marks.get_mut(s.region.0 as usize) {
                *m |= 2;
            }
        }
        marks
    }
}

mod merge;

impl PartialEq for EventStore {
    /// Equal when they hold the same events (decoded) in the same order,
    /// however their tables are numbered.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for EventStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<Event>> for EventStore {
    fn from(events: Vec<Event>) -> Self {
        EventStore::from_events(events)
    }
}

impl<'a> IntoIterator for &'a EventStore {
    type Item = Event;
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, StoredEvent>, Box<dyn Fn(&StoredEvent) -> Event + 'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.records.iter().map(Box::new(move |r| self.decode(r)))
    }
}

impl FromIterator<Event> for EventStore {
    fn from_iter<I: IntoIterator<Item = Event>>(iter: I) -> Self {
        EventStore::from_events(iter)
    }
}

#[cfg(test)]
mod tests;
