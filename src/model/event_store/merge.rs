//! Building one dataset's store from the stores of many inputs: appending a
//! store whose symbols come from another string table ([`EventStore::absorb`])
//! and putting the result in dataset order, unique by `eventID`
//! ([`EventStore::sort_dedup`]).
//!
//! Peak memory is the point: the records are moved into one vector reserved
//! once (growing a large vector in place is a `mremap`, not a copy, and the
//! reserved tail costs nothing until written), each source store is freed as
//! soon as it is moved, and the sort and the dedup work in place with one
//! 4-byte index per event in the dedup tables.

use super::{pack_parts, unpack, Actor, EventStore, Shape, StoredEvent};
use crate::model::{Interner, Sym};
use hashbrown::hash_table::{Entry, HashTable};

/// Hash of a 128-bit event key: UUID bits are already random, so folding them
/// is enough (hashed non-UUID IDs are FNV outputs, also well mixed).
fn id_hash(id: [u64; 2]) -> u64 {
    (id[0] ^ id[1]).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Records moved at a time from a store being absorbed (40 MB).
const MOVE_CHUNK: usize = 1 << 20;

/// How one absorbed store's ids map into the receiving store.
struct IdMaps {
    shapes: Vec<u32>,
    actors: Vec<u32>,
    sources: Vec<u32>,
}

impl IdMaps {
    /// `r` renumbered; `from` is the absorbed store's overflow table, `to`
    /// the receiving one's.
    #[inline]
    fn convert(
        &self,
        r: &StoredEvent,
        from: &[(u32, u64)],
        to: &mut Vec<(u32, u64)>,
    ) -> StoredEvent {
        let (source, offset, embedded) = unpack(from, r.origin);
        let source = self
            .sources
            .get(source as usize)
            .copied()
            .unwrap_or(u32::MAX);
        StoredEvent {
            shape: self
                .shapes
                .get(r.shape as usize)
                .copied()
                .unwrap_or(u32::MAX),
            actor: self
                .actors
                .get(r.actor as usize)
                .copied()
                .unwrap_or(u32::MAX),
            origin: pack_parts(to, source, offset, embedded),
            ..*r
        }
    }
}

impl EventStore {
    /// Appends `other`'s events, its symbols mapped through `map` (its string
    /// table's symbols into this store's). A symbol outside `map` (only a
    /// corrupt batch from a worker) becomes "" rather than another string.
    /// `total` is the number of events this store will hold once everything
    /// is absorbed: the first absorb reserves exactly that.
    pub(crate) fn absorb(&mut self, mut other: EventStore, map: &[Sym], total: usize) {
        let remap = |s: Sym| map.get(s.0 as usize).copied().unwrap_or(Interner::EMPTY);
        let maps = IdMaps {
            shapes: (other.shapes.items.iter())
                .map(|s| {
                    self.shapes.id(Shape {
                        account: remap(s.account),
                        region: remap(s.region),
                        source: remap(s.source),
                        name: remap(s.name),
                        error_code: remap(s.error_code),
                        event_type: remap(s.event_type),
                        ..*s
                    })
                })
                .collect(),
            actors: (other.actors.items.iter())
                .map(|a| {
                    self.actors.id(Actor {
                        identity: remap(a.identity),
                        identity_type: remap(a.identity_type),
                        user_agent: remap(a.user_agent),
                        source_ip: remap(a.source_ip),
                    })
                })
                .collect(),
            sources: (other.sources.items.iter())
                .map(|&p| self.sources.id(p))
                .collect(),
        };
        let mut records = std::mem::take(&mut other.records);
        let from = std::mem::take(&mut other.overflow);
        drop(other);
        if self.records.is_empty() {
            // The first (usually by far the largest) store: renumbered in
            // place and grown, not copied.
            convert_in_place(&mut records, &maps, &from, &mut self.overflow);
            records.reserve_exact(total.saturating_sub(records.len()));
            self.records = records;
        } else {
            self.records
                .reserve_exact(total.saturating_sub(self.records.len()));
            // Moved from the end in chunks, the source shrunk after each, so
            // both copies are never whole at once (the order does not matter:
            // `sort_dedup` follows).
            let to = &mut self.overflow;
            while !records.is_empty() {
                let from_at = records.len().saturating_sub(MOVE_CHUNK);
                self.records.extend(
                    records[from_at..]
                        .iter()
                        .map(|r| maps.convert(r, &from, to)),
                );
                records.truncate(from_at);
                records.shrink_to_fit();
            }
        }
    }

    /// Sorts the events by `(time_ms, id)` and keeps one per `id`: the copy
    /// with the smallest `(input, entry, offset)` origin. Returns how many
    /// were dropped. Natively both steps use every core.
    pub(crate) fn sort_dedup(&mut self) -> u64 {
        let key = |r: &StoredEvent| (r.time_ms, r.id);
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            self.records.par_sort_unstable_by_key(key);
        }
        #[cfg(target_arch = "wasm32")]
        self.records.sort_unstable_by_key(key);
        let mut dropped = self.duplicates();
        dropped.sort_unstable();
        let mut next = dropped.iter().peekable();
        let mut i = 0u32;
        self.records.retain(|_| {
            let drop = next.next_if_eq(&&i).is_some();
            i = i.wrapping_add(1);
            !drop
        });
        self.records.shrink_to_fit();
        dropped.len() as u64
    }

    /// Indexes of the copies to drop (every copy of an `id` but the one with
    /// the smallest origin). Natively the IDs are split by hash into one
    /// share per thread, each deduplicated on its own core.
    fn duplicates(&self) -> Vec<u32> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            let shares = rayon::current_num_threads().clamp(1, 64) as u64;
            let capacity = self.len() / shares as usize * 9 / 8;
            let parts: Vec<Vec<u32>> = (0..shares)
                .into_par_iter()
                .map(|share| self.duplicates_in(capacity, |hash| (hash >> 32) % shares == share))
                .collect();
            parts.concat()
        }
        #[cfg(target_arch = "wasm32")]
        self.duplicates_in(self.len(), |_| true)
    }

    /// [`duplicates`](Self::duplicates) among the IDs whose hash `mine` accepts.
    fn duplicates_in(&self, capacity: usize, mine: impl Fn(u64) -> bool) -> Vec<u32> {
        let records = &self.records;
        let id_at = |k: u32| records[k as usize].id;
        let mut seen: HashTable<u32> = HashTable::with_capacity(capacity);
        let mut dropped = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let hash = id_hash(r.id);
            if !mine(hash) {
                continue;
            }
            match seen.entry(hash, |&k| id_at(k) == r.id, |&k| id_hash(id_at(k))) {
                Entry::Vacant(v) => {
                    v.insert(i as u32);
                }
                Entry::Occupied(mut o) => {
                    let kept = *o.get();
                    if self.origin_key(i) < self.origin_key(kept as usize) {
                        dropped.push(kept);
                        *o.get_mut() = i as u32;
                    } else {
                        dropped.push(i as u32);
                    }
                }
            }
        }
        dropped
    }
}

/// Renumbers records in place (in parallel natively, when no origin can
/// spill to the overflow table, which is the case short of 8 million archive
/// entries or a terabyte-long entry).
fn convert_in_place(
    records: &mut [StoredEvent],
    maps: &IdMaps,
    from: &[(u32, u64)],
    to: &mut Vec<(u32, u64)>,
) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        let fits = from.is_empty() && maps.sources.iter().all(|&s| s < super::ESCAPE);
        if fits {
            records.par_iter_mut().for_each(|r| {
                let mut none = Vec::new();
                *r = maps.convert(r, from, &mut none);
            });
            return;
        }
    }
    for r in records.iter_mut() {
        *r = maps.convert(r, from, to);
    }
}
