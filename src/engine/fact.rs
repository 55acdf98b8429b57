//! What the series builder reads: one event or counts row (a [`Fact`]),
//! which series it feeds under the settings ([`watched`], the one rule), and,
//! when it feeds none, why ([`NotConsidered`]); the [`Tally`] of both per
//! account and Region, kept while the series are built. Below both
//! [`super::series`] and [`super::coverage`], so they read the same rule.

use super::DetectConfig;
use crate::counts::CountKey;
use crate::model::{Category, Interner, Sym};
use serde::{Deserialize, Serialize};

/// Which series an event (or a counts row) of this category, read-only flag
/// and error state feeds under `cfg`: (call rate, error rate).
///
/// Call rate: management writes, plus management reads with
/// `include_read_calls`; data events (when watched) count reads and writes, as
/// AWS's "read and write data API calls". Error rate: every call with an error.
pub(crate) fn watched(
    category: Category,
    read_only: bool,
    is_error: bool,
    cfg: &DetectConfig,
) -> (bool, bool) {
    let watched = match category {
        Category::Management => true,
        Category::Data => cfg.include_data_events,
        Category::Other => false,
    };
    let call = watched
        && cfg.call_rate
        && (!read_only || cfg.include_read_calls || category == Category::Data);
    let error = watched && cfg.error_rate && is_error;
    (call, error)
}

/// One event or counts row, as the series builder sees it: the counts
/// file's grouping key and the events it weighs (1 for an event).
#[derive(Clone, Copy)]
pub(crate) struct Fact {
    pub key: CountKey,
    pub events: u64,
}

impl Fact {
    /// One event, as one fact.
    pub(crate) fn of_event(e: &crate::model::Event) -> Fact {
        Fact {
            key: CountKey::of_event(e),
            events: 1,
        }
    }

    /// One counts row, as one fact weighing its events.
    pub(crate) fn of_row(&(key, events): &(CountKey, u64)) -> Fact {
        Fact { key, events }
    }

    pub(crate) fn is_error(&self) -> bool {
        self.key.error_code != Interner::EMPTY
    }
}

/// Events that fed no series, by reason (each event counted once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotConsidered {
    /// Read-only calls without an error while call-rate Insights watch writes only.
    pub read_calls: u64,
    /// Data events while data events are not watched.
    pub data_events: u64,
    /// Neither management nor data (network activity, VPC endpoint events): never watched.
    pub other_category: u64,
    /// Events only an Insight type switched off would have counted.
    pub type_switched_off: u64,
}

impl NotConsidered {
    pub fn total(&self) -> u64 {
        self.read_calls + self.data_events + self.other_category + self.type_switched_off
    }
}

/// Which series an event feeds under `cfg`: (call rate, error rate), by the
/// detector's own rule ([`watched`]).
pub(crate) fn feeds(e: &Fact, cfg: &DetectConfig) -> (bool, bool) {
    watched(e.key.category, e.key.read_only, e.is_error(), cfg)
}

/// Why an event feeds no series under `cfg`, or `None` when it feeds one.
pub(crate) fn reason(e: &Fact, cfg: &DetectConfig) -> Option<fn(&mut NotConsidered) -> &mut u64> {
    match e.key.category {
        Category::Other => return Some(|n| &mut n.other_category),
        Category::Data if !cfg.include_data_events => return Some(|n| &mut n.data_events),
        _ => {}
    }
    if feeds(e, cfg) != (false, false) {
        return None;
    }
    if e.key.read_only && !e.is_error() && cfg.call_rate {
        Some(|n| &mut n.read_calls)
    } else {
        Some(|n| &mut n.type_switched_off)
    }
}

/// The coverage report of events (or counts rows) described by `facts`.
/// What the coverage report needs beyond the series builder's own coverage
/// (first and last minute per account/Region): events per account/Region and
/// the not-considered tallies. The builder keeps it as it files each fact, so
/// [`report_built`] costs no second pass over the events — at 20 million
/// events each pass over the dataset costs about a second.
#[derive(Default)]
pub(crate) struct Tally {
    /// Per coverage index (the builder's order): the account and Region.
    pub places: Vec<(Sym, Sym)>,
    /// Per coverage index: events, considered or not.
    pub events: Vec<u64>,
    pub not_considered: NotConsidered,
    pub total: u64,
}

impl Tally {
    /// Counts `f`, which the builder filed under coverage `cov`.
    pub(crate) fn add(&mut self, cov: usize, f: &Fact, cfg: &DetectConfig) {
        if cov == self.events.len() {
            self.places.push((f.key.account, f.key.region));
            self.events.push(0);
        }
        if let Some(n) = self.events.get_mut(cov) {
            *n = n.saturating_add(f.events);
        }
        self.total = self.total.saturating_add(f.events);
        if let Some(slot) = reason(f, cfg) {
            let n = slot(&mut self.not_considered);
            *n = n.saturating_add(f.events);
        }
    }
}
