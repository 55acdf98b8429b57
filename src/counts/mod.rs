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
mod parquet_io;
mod read;
mod write;

pub use insights_file::{read_insight_windows, InsightWindow};
pub use write::{attribution_rows, write_attributions, write_counts, AttributionRow, Format};

use crate::engine::PeriodCounts;
use crate::model::{Category, Interner, Sym};
use std::collections::HashMap;
use std::fmt;

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

/// Collects counts rows from any number of files; equal keys are summed.
#[derive(Default)]
pub struct CountsBuilder {
    strings: Interner,
    sums: HashMap<CountKey, u64>,
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
        let n = self.sums.entry(key).or_insert(0);
        *n = n.saturating_add(r.events);
    }

    /// Reads one counts file (CSV, `.csv.gz` or Parquet, by content) into the builder.
    /// On error nothing of the file is kept.
    pub fn read_file(&mut self, file: &str, bytes: &[u8]) -> Result<(), FileError> {
        let mut rows = Vec::new();
        read::read_table(file, bytes, &COUNTS_COLUMNS, &mut |cells| {
            rows.push(read::count_row(cells)?);
            Ok(())
        })?;
        for r in &rows {
            self.add(&r.as_row());
        }
        Ok(())
    }

    pub fn finish(self) -> CountsTable {
        let strings = self.strings;
        let mut rows: Vec<(CountKey, u64)> = self.sums.into_iter().collect();
        let text = |s: Sym| strings.resolve(s);
        rows.sort_by(|(a, _), (b, _)| {
            a.minute
                .cmp(&b.minute)
                .then_with(|| text(a.account).cmp(text(b.account)))
                .then_with(|| text(a.region).cmp(text(b.region)))
                .then_with(|| text(a.source).cmp(text(b.source)))
                .then_with(|| text(a.name).cmp(text(b.name)))
                .then_with(|| (a.category as u8).cmp(&(b.category as u8)))
                .then_with(|| a.read_only.cmp(&b.read_only))
                .then_with(|| text(a.error_code).cmp(text(b.error_code)))
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
    map: HashMap<String, [PeriodCounts; 3]>,
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
