//! The Overview page and the standalone events view: what the loaded events
//! are made of (top APIs, identities with their identity type, user agents,
//! source IPs, error codes, Regions, accounts) and the events that match a
//! set of filters, a page at a time.
//!
//! Both take an [`EventFilter`] (exact values and an optional minute range),
//! so a bar on the Overview and the events view it opens agree by
//! construction. Events are read only through `ds.events.iter()`, one pass
//! per query; orders are deterministic (count descending, then value).

use crate::model::{Dataset, Event, EventRow, Interner, MinuteRange, Sym};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Entries of each top list (error codes are all listed, up to [`MAX_ERROR_CODES`]).
pub const TOP_N: usize = 10;
/// Error codes are ranked in full, so AccessDenied and its kin are never hidden
/// behind a top ten; this bounds the answer on pathological logs.
pub const MAX_ERROR_CODES: usize = 200;

/// Which events a query looks at. Every `Some` field must match exactly
/// (`error_code: Some("")` means "succeeded"); `range` is half-open in minutes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventFilter {
    /// `eventSource` of the API.
    pub source: Option<String>,
    /// `eventName` of the API.
    pub name: Option<String>,
    /// The attribution identity ([`Event::identity`]).
    pub identity: Option<String>,
    /// `userIdentity.type`.
    pub identity_type: Option<String>,
    pub user_agent: Option<String>,
    pub source_ip: Option<String>,
    pub error_code: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub range: Option<MinuteRange>,
}

impl EventFilter {
    /// No filter at all: every loaded event.
    pub fn is_empty(&self) -> bool {
        *self == EventFilter::default()
    }
}

/// Reads one field of an event.
type Field = fn(&Event) -> Sym;

/// An [`EventFilter`] resolved to symbols. `None` from [`Matcher::new`] when
/// a filter value never occurs in the dataset: then nothing matches.
struct Matcher {
    /// One `(field, symbol)` per `Some` value of the filter.
    fields: Vec<(Field, Sym)>,
    range: Option<MinuteRange>,
}

impl Matcher {
    fn new(ds: &Dataset, f: &EventFilter) -> Option<Matcher> {
        let wanted: [(&Option<String>, Field); 9] = [
            (&f.source, |e| e.source),
            (&f.name, |e| e.name),
            (&f.identity, |e| e.identity),
            (&f.identity_type, |e| e.identity_type),
            (&f.user_agent, |e| e.user_agent),
            (&f.source_ip, |e| e.source_ip),
            (&f.error_code, |e| e.error_code),
            (&f.region, |e| e.region),
            (&f.account, |e| e.account),
        ];
        let mut fields = Vec::new();
        for (value, field) in wanted {
            if let Some(v) = value {
                fields.push((field, ds.strings.get(v)?));
            }
        }
        Some(Matcher {
            fields,
            range: f.range,
        })
    }

    fn matches(&self, e: &Event) -> bool {
        self.fields.iter().all(|(field, sym)| field(e) == *sym)
    }
}

/// The event by value, whether the store's `iter()` yields `&Event` or `Event`.
fn owned(e: impl std::borrow::Borrow<Event>) -> Event {
    *e.borrow()
}

/// The events of `ds` that match `filter`, with their index in load order.
/// Events are sorted by time, so a range stops the pass at its end.
fn matching<'d>(
    ds: &'d Dataset,
    filter: &EventFilter,
) -> Box<dyn Iterator<Item = (u32, Event)> + 'd> {
    let Some(m) = Matcher::new(ds, filter) else {
        return Box::new(std::iter::empty());
    };
    let all = ds
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (i as u32, owned(e)));
    match m.range {
        None => Box::new(all.filter(move |(_, e)| m.matches(e))),
        Some(r) => Box::new(
            all.skip_while(move |(_, e)| e.minute() < r.start)
                .take_while(move |(_, e)| e.minute() < r.end)
                .filter(move |(_, e)| m.matches(e)),
        ),
    }
}

/// One value of a top list and how many events have it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub value: String,
    /// The API's `eventSource` for an API (whose `value` is its `eventName`);
    /// the identity type for an identity; empty otherwise.
    pub detail: String,
    pub count: u64,
}

/// A ranked list: its first entries, and what the rest add up to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopList {
    /// Count descending, then value (then detail) ascending.
    pub entries: Vec<Counted>,
    /// Distinct non-empty values in all.
    pub distinct: u64,
    /// Events with a non-empty value not among `entries`.
    pub other: u64,
    /// Events with no value (no user agent, no identity, ...).
    pub missing: u64,
}

/// What the Overview page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Events matching the filter.
    pub events: u64,
    /// Of them, calls that failed (any error code).
    pub errors: u64,
    /// Of them, calls refused for want of permission ([`is_access_denied`]).
    pub access_denied: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// `value` = `eventName`, `detail` = `eventSource`.
    pub apis: TopList,
    /// `detail` = the identity's most frequent `userIdentity.type`.
    pub identities: TopList,
    pub identity_types: TopList,
    pub user_agents: TopList,
    pub source_ips: TopList,
    /// Every error code, ranked (up to [`MAX_ERROR_CODES`]).
    pub error_codes: TopList,
    pub regions: TopList,
    pub accounts: TopList,
}

/// Error codes that mean "not allowed": `AccessDenied`, `AccessDeniedException`,
/// `UnauthorizedOperation` (EC2, also as `Client.UnauthorizedOperation`),
/// `UnauthorizedAccess`, `NotAuthorized...`, `...Forbidden...`.
pub fn is_access_denied(code: &str) -> bool {
    let code = code.strip_prefix("Client.").unwrap_or(code);
    code.starts_with("AccessDenied")
        || code.starts_with("Unauthorized")
        || code.starts_with("NotAuthorized")
        || code.contains("Forbidden")
}

/// Counts per symbol of one field (dense: symbols are small integers).
#[derive(Default)]
struct Tally(Vec<u64>);

impl Tally {
    fn add(&mut self, sym: Sym) {
        let i = sym.0 as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, 0);
        }
        self.0[i] += 1;
    }

    fn list(&self, strings: &Interner, keep: usize) -> TopList {
        let all = self
            .0
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, &n)| n > 0)
            .map(|(i, &count)| Counted {
                value: strings.resolve(Sym(i as u32)).to_string(),
                detail: String::new(),
                count,
            });
        ranked(all.collect(), keep, self.0.first().copied().unwrap_or(0))
    }
}

/// Sorts (count desc, value, detail), keeps `keep`, sums the rest.
fn ranked(mut all: Vec<Counted>, keep: usize, missing: u64) -> TopList {
    all.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.value.cmp(&b.value))
            .then_with(|| a.detail.cmp(&b.detail))
    });
    let distinct = all.len() as u64;
    let other = all.iter().skip(keep).map(|c| c.count).sum();
    all.truncate(keep);
    TopList {
        entries: all,
        distinct,
        other,
        missing,
    }
}

/// The Overview of the events of `ds` that match `filter`.
pub fn overview(ds: &Dataset, filter: &EventFilter) -> Overview {
    let mut out = Overview::default();
    let (mut identity_types, mut agents, mut ips) =
        (Tally::default(), Tally::default(), Tally::default());
    let (mut errors, mut regions, mut accounts) =
        (Tally::default(), Tally::default(), Tally::default());
    let mut apis: FxHashMap<(Sym, Sym), u64> = FxHashMap::default();
    let mut identities: FxHashMap<(Sym, Sym), u64> = FxHashMap::default();
    for (_, e) in matching(ds, filter) {
        out.events += 1;
        out.first_ms = Some(out.first_ms.map_or(e.time_ms, |t| t.min(e.time_ms)));
        out.last_ms = Some(out.last_ms.map_or(e.time_ms, |t| t.max(e.time_ms)));
        *apis.entry((e.source, e.name)).or_default() += 1;
        *identities.entry((e.identity, e.identity_type)).or_default() += 1;
        identity_types.add(e.identity_type);
        agents.add(e.user_agent);
        ips.add(e.source_ip);
        errors.add(e.error_code);
        regions.add(e.region);
        accounts.add(e.account);
    }
    let s = &ds.strings;
    let text = |sym: Sym| s.resolve(sym).to_string();
    out.apis = ranked(
        apis.into_iter()
            .map(|((source, name), count)| Counted {
                value: text(name),
                detail: text(source),
                count,
            })
            .collect(),
        TOP_N,
        0,
    );
    out.identities = identity_list(s, identities);
    out.identity_types = identity_types.list(s, TOP_N);
    out.user_agents = agents.list(s, TOP_N);
    out.source_ips = ips.list(s, TOP_N);
    out.error_codes = errors.list(s, MAX_ERROR_CODES);
    // `missing` of the error codes are the calls that succeeded.
    out.errors = out.events - out.error_codes.missing;
    out.access_denied = errors
        .0
        .iter()
        .enumerate()
        .skip(1)
        .filter(|&(i, _)| is_access_denied(s.resolve(Sym(i as u32))))
        .map(|(_, &n)| n)
        .sum();
    out.regions = regions.list(s, TOP_N);
    out.accounts = accounts.list(s, TOP_N);
    out
}

/// Identities ranked by their events; each shown with its most frequent
/// identity type (ties: the alphabetically first), as one identity can in
/// principle appear under two types.
fn identity_list(s: &Interner, pairs: FxHashMap<(Sym, Sym), u64>) -> TopList {
    let mut by_identity: FxHashMap<Sym, (u64, u64, String)> = FxHashMap::default();
    for ((identity, kind), n) in pairs {
        let kind = s.resolve(kind);
        let slot = by_identity.entry(identity).or_insert((0, 0, String::new()));
        slot.0 += n;
        if n > slot.1 || (n == slot.1 && kind < slot.2.as_str()) {
            slot.1 = n;
            slot.2 = kind.to_string();
        }
    }
    let missing = by_identity.remove(&Interner::EMPTY).map_or(0, |v| v.0);
    let all = by_identity
        .into_iter()
        .map(|(identity, (count, _, kind))| Counted {
            value: s.resolve(identity).to_string(),
            detail: kind,
            count,
        })
        .collect();
    ranked(all, TOP_N, missing)
}

/// One page of the events matching `filter` (in time order: `offset`
/// events skipped, at most `limit` returned) and how many match in all.
pub fn events_page(
    ds: &Dataset,
    filter: &EventFilter,
    offset: u32,
    limit: u32,
) -> (Vec<EventRow>, u32) {
    let end = u64::from(offset) + u64::from(limit);
    let mut total = 0u64;
    let mut rows = Vec::new();
    for (index, e) in matching(ds, filter) {
        if total >= u64::from(offset) && total < end {
            rows.push(ds.event_row(index, &e));
        }
        total += 1;
    }
    (rows, u32::try_from(total).unwrap_or(u32::MAX))
}

#[cfg(test)]
#[path = "overview_tests.rs"]
mod tests;
