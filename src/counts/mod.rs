//! The interchange files of "Beyond one machine" (README): per-minute counts
//! (version 1) and attributions (version 1), as a SQL engine (Athena, Spark,
//! DuckDB) writes them or as `trailsight counts` writes them from raw logs.
//!
//! This module owns the two formats: their columns ([`COUNTS_COLUMNS`],
//! [`ATTRIBUTION_COLUMNS`]), reading them from CSV (Athena's quoting, NULL as
//! empty), `.csv.gz` and Parquet (snappy or gzip) with a specific error for
//! every bad file (file, line or row group/row, reason), summing several files,
//! and writing them. The detector consumes a [`CountsTable`] through
//! [`crate::engine::detect_counts`].

pub mod dashboard;
mod insights_file;
mod parquet_read;
mod parquet_write;
mod read;
mod write;

pub use insights_file::{read_insight_windows, InsightWindow};
pub use write::{write_attributions, write_counts, AttributionRow, Format};

use crate::model::{Category, Event, Interner, Sym};
use rustc_hash::FxHashMap;
use std::fmt;

/// The attributes, in record order, with their JSON names.
pub const ATTRIBUTES: [&str; 3] = ["userIdentityArn", "userAgent", "errorCode"];

/// Events per value of each attribute over one period, in [`ATTRIBUTES`] order.
/// Values are as in the data: the error code of a success is `""`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PeriodCounts {
    pub values: [FxHashMap<String, u64>; 3],
}

/// The only interchange version there is.
pub const VERSION: i64 = 1;

/// Columns of the counts file, in the order `trailsight counts` writes them.
pub const COUNTS_COLUMNS: [&str; 10] = [
    "version",
    "account",
    "region",
    "event_source",
    "event_name",
    "event_category",
    "read_only",
    "error_code",
    "minute",
    "events",
];

/// Columns of the attributions file.
pub const ATTRIBUTION_COLUMNS: [&str; 6] = [
    "version",
    "shared_event_id",
    "period",
    "attribute",
    "value",
    "events",
];

/// The periods of an attributions row, in [`AttributionTable`] slot order.
pub const PERIODS: [&str; 3] = ["start", "insight", "baseline"];

/// A file that cannot be read: which file, where in it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    /// `line N` (CSV), `row group G, row R` (Parquet), or empty for the whole file.
    pub place: String,
    pub reason: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.reason)
        }
    }
}

impl std::error::Error for FileError {}

/// The grouping key of a counts row (strings interned in [`CountsTable::strings`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CountKey {
    pub account: Sym,
    pub region: Sym,
    pub source: Sym,
    pub name: Sym,
    pub category: Category,
    pub read_only: bool,
    /// [`Interner::EMPTY`] for success.
    pub error_code: Sym,
    pub minute: i64,
}

impl CountKey {
    /// The key of one event (its strings in the dataset's interner): the
    /// grouping of the counts file, and what the series builder reads of an
    /// event ([`crate::engine`]'s facts are a key and its events).
    pub fn of_event(e: &Event) -> CountKey {
        CountKey {
            account: e.account,
            region: e.region,
            source: e.source,
            name: e.name,
            category: e.category,
            read_only: e.read_only,
            error_code: e.error_code,
            minute: e.minute(),
        }
    }
}

/// Per-minute counts: unique keys, summed events, sorted by minute (then key).
#[derive(Clone, Default)]
pub struct CountsTable {
    pub strings: Interner,
    pub rows: Vec<(CountKey, u64)>,
}

impl CountsTable {
    /// Events in all rows.
    pub fn total_events(&self) -> u64 {
        self.rows
            .iter()
            .fold(0u64, |a, (_, n)| a.saturating_add(*n))
    }
}

/// Collects counts rows from any number of files; equal keys are summed
/// (when the table is finished: rows are kept in file order until then).
#[derive(Default)]
pub struct CountsBuilder {
    strings: Interner,
    rows: Vec<(CountKey, u64)>,
}

/// One counts row with its strings (what a reader or writer handles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountRow<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub event_source: &'a str,
    pub event_name: &'a str,
    pub event_category: Category,
    pub read_only: bool,
    pub error_code: &'a str,
    pub minute: i64,
    pub events: u64,
}

impl CountsBuilder {
    pub fn add(&mut self, r: &CountRow) {
        let s = &mut self.strings;
        let key = CountKey {
            account: s.intern(r.account),
            region: s.intern(r.region),
            source: s.intern(r.event_source),
            name: s.intern(r.event_name),
            category: r.event_category,
            read_only: r.read_only,
            error_code: s.intern(r.error_code),
            minute: r.minute,
        };
        self.rows.push((key, r.events));
    }

    /// Reads one counts file (CSV, `.csv.gz` or Parquet, by content) into the builder.
    /// On error nothing of the file is kept.
    pub fn read_file(&mut self, file: &str, bytes: &[u8]) -> Result<(), FileError> {
        // The file's rows go to a builder of their own, merged once the whole
        // file has been read: no row is kept as owned strings on the way.
        let mut local = CountsBuilder::default();
        read::read_table(file, bytes, &COUNTS_COLUMNS, &mut |cells| {
            local.add(&read::count_row(cells)?);
            Ok(())
        })?;
        self.merge(local);
        Ok(())
    }

    /// Adds the rows of `other` (its symbols re-interned here).
    fn merge(&mut self, mut other: CountsBuilder) {
        if self.rows.is_empty() {
            *self = other;
            return;
        }
        let map: Vec<Sym> = other
            .strings
            .strings()
            .map(|s| self.strings.intern(s))
            .collect();
        let sym = |s: Sym| map.get(s.0 as usize).copied().unwrap_or(Interner::EMPTY);
        for (k, _) in &mut other.rows {
            *k = CountKey {
                account: sym(k.account),
                region: sym(k.region),
                source: sym(k.source),
                name: sym(k.name),
                error_code: sym(k.error_code),
                ..*k
            };
        }
        self.rows.append(&mut other.rows);
    }

    /// The table: equal keys summed, rows sorted by minute, then account,
    /// Region, source, name (as text), category, read-only and error code (as text).
    pub fn finish(self) -> CountsTable {
        let CountsBuilder { strings, mut rows } = self;
        // Each symbol's rank in text order, so rows sort by integers in the
        // order of their texts (the strings are distinct: ranks are too).
        let mut by_text: Vec<Sym> = (0..strings.len() as u32).map(Sym).collect();
        by_text.sort_unstable_by(|&a, &b| strings.resolve(a).cmp(strings.resolve(b)));
        let mut ranks = vec![0u32; by_text.len()];
        for (rank, s) in by_text.iter().enumerate() {
            if let Some(r) = ranks.get_mut(s.0 as usize) {
                *r = rank as u32;
            }
        }
        let rank = |s: Sym| ranks.get(s.0 as usize).copied().unwrap_or(0);
        // Stable sort: linear on the sorted files `trailsight counts` writes.
        rows.sort_by_key(|(k, _)| {
            (
                k.minute,
                rank(k.account),
                rank(k.region),
                rank(k.source),
                rank(k.name),
                k.category as u8,
                k.read_only,
                rank(k.error_code),
            )
        });
        rows.dedup_by(|(next, n), (kept, total)| {
            let same = next == kept;
            if same {
                *total = total.saturating_add(*n);
            }
            same
        });
        CountsTable { strings, rows }
    }
}

/// Reads and sums counts files given as (name, bytes).
pub fn read_counts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<CountsTable, FileError> {
    let mut b = CountsBuilder::default();
    for (name, bytes) in files {
        b.read_file(name, bytes)?;
    }
    Ok(b.finish())
}

/// Attribution counts per Insight (`sharedEventID`): per period ([`PERIODS`]),
/// per attribute, per value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttributionTable {
    map: FxHashMap<String, [PeriodCounts; 3]>,
}

impl AttributionTable {
    /// The (start, insight, baseline) counts of one Insight.
    pub fn get(&self, shared_event_id: &str) -> Option<&[PeriodCounts; 3]> {
        self.map.get(shared_event_id)
    }

    /// The `sharedEventID`s the table holds.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds `events` for one (Insight, period, attribute, value).
    pub fn add(
        &mut self,
        shared_event_id: &str,
        period: usize,
        attribute: usize,
        value: &str,
        events: u64,
    ) {
        let entry = self.map.entry(shared_event_id.to_string()).or_default();
        if let Some(p) = entry.get_mut(period) {
            p.add(attribute, value, events);
        }
    }

    /// Reads one attributions file into the table (rows of equal keys are summed).
    /// On error nothing of the file is kept.
    pub fn read_file(&mut self, file: &str, bytes: &[u8]) -> Result<(), FileError> {
        let mut rows = Vec::new();
        read::read_table(file, bytes, &ATTRIBUTION_COLUMNS, &mut |cells| {
            rows.push(read::attribution_row(cells)?);
            Ok(())
        })?;
        for r in rows {
            self.add(
                &r.shared_event_id,
                r.period,
                r.attribute,
                &r.value,
                r.events,
            );
        }
        Ok(())
    }
}

/// Reads and sums attributions files given as (name, bytes).
pub fn read_attributions<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<AttributionTable, FileError> {
    let mut t = AttributionTable::default();
    for (name, bytes) in files {
        t.read_file(name, bytes)?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_table_round_trips_in_every_format() {
        let header = COUNTS_COLUMNS.join(",");
        let t = read_counts([("empty.csv", header.as_bytes())]).unwrap();
        assert!(t.rows.is_empty());
        for f in [Format::Csv, Format::CsvGz, Format::Parquet] {
            let bytes = write_counts(&t, f).unwrap();
            let again = read_counts([("again", bytes.as_slice())]).unwrap();
            assert!(again.rows.is_empty(), "{f:?}");
        }
        let bytes = write_attributions(&[], Format::Parquet).unwrap();
        assert!(read_attributions([("a", bytes.as_slice())])
            .unwrap()
            .is_empty());
    }

    fn csv(rows: &str) -> String {
        format!("{}\n{rows}", COUNTS_COLUMNS.join(","))
    }

    /// (minute, account, name, error code, events) of every row.
    fn rows(t: &CountsTable) -> Vec<(i64, String, String, String, u64)> {
        let s = |sym| t.strings.resolve(sym).to_string();
        t.rows
            .iter()
            .map(|(k, n)| (k.minute, s(k.account), s(k.name), s(k.error_code), *n))
            .collect()
    }

    #[test]
    fn files_are_merged_by_text_and_a_bad_file_leaves_no_trace() {
        let a =
            csv("1,a,r,s,Run,Management,false,,10,1\n1,b,r,s,Stop,Management,false,Denied,11,2\n");
        // Other strings first, so the second file's symbols differ from the first's.
        let b =
            csv("1,z,r,s,Zap,Management,false,,10,4\n1,b,r,s,Stop,Management,false,Denied,11,3\n");
        let bad = csv("1,q,r,s,Quit,Management,false,,10,1\n1,b,r,s,Stop,Management,false,,x,1\n");
        let mut with_bad = CountsBuilder::default();
        with_bad.read_file("a.csv", a.as_bytes()).unwrap();
        let e = with_bad.read_file("bad.csv", bad.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad.csv: line 3: minute \"x\" is not an integer"
        );
        with_bad.read_file("b.csv", b.as_bytes()).unwrap();
        let t = with_bad.finish();
        let good = read_counts([("a.csv", a.as_bytes()), ("b.csv", b.as_bytes())]).unwrap();
        assert_eq!(rows(&t), rows(&good));
        let want = [
            (10, "a", "Run", "", 1),
            (10, "z", "Zap", "", 4),
            (11, "b", "Stop", "Denied", 5),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|&(m, a, n, e, c)| (m, a.into(), n.into(), e.into(), c))
            .collect();
        assert_eq!(rows(&t), want);
        assert_eq!(
            t.strings.get("Quit"),
            None,
            "the bad file's strings are not kept"
        );
    }

    #[test]
    fn parquet_row_groups_are_read_in_batches_across_their_boundaries() {
        // More rows than one read batch, unsorted keys and repeated strings.
        let mut text = String::new();
        for i in 0..20_000u32 {
            let minute = 1_000 + i64::from(i % 7_001);
            let code = if i % 3 == 0 { "Denied" } else { "" };
            let _ = std::fmt::Write::write_fmt(
                &mut text,
                format_args!(
                    "1,{},r,s,N{},Data,{},{code},{minute},{}\n",
                    i % 5,
                    i % 11,
                    i % 2 == 0,
                    1 + i % 4
                ),
            );
        }
        let t = read_counts([("many.csv", csv(&text).as_bytes())]).unwrap();
        assert!(t.rows.len() > 2 * 8192, "{} rows", t.rows.len());
        let bytes = write_counts(&t, Format::Parquet).unwrap();
        let again = read_counts([("many.parquet", bytes.as_slice())]).unwrap();
        assert_eq!(rows(&again), rows(&t));
        assert_eq!(again.total_events(), t.total_events());
        let keys = |t: &CountsTable| {
            t.rows
                .iter()
                .map(|(k, _)| (k.read_only, k.category))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&again), keys(&t));
    }

    #[test]
    fn equal_keys_are_summed_and_rows_sorted_by_minute() {
        let text = format!(
            "{}\n1,a,r,s,Run,Management,false,,20,2\n1,a,r,s,Run,Management,false,,10,1\n1,a,r,s,Run,Management,0,,20,3\n",
            COUNTS_COLUMNS.join(",")
        );
        let t = read_counts([("x.csv", text.as_bytes())]).unwrap();
        let rows: Vec<(i64, u64)> = t.rows.iter().map(|(k, n)| (k.minute, *n)).collect();
        assert_eq!(rows, [(10, 1), (20, 5)]);
    }
}
