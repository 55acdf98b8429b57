//! Writing the interchange files natively: the counts of a dataset (ingest's
//! exact rules, so SQL engines' results can be compared with it) and
//! attributions rows (computed by [`crate::engine::attribution_rows`]), as CSV,
//! `.csv.gz` or snappy Parquet.

use super::parquet_write::{self, Column};
use super::{CountKey, CountsTable, ATTRIBUTION_COLUMNS, COUNTS_COLUMNS, VERSION};
use crate::model::{Category, Dataset};
use rustc_hash::FxHashMap;
use std::io::Write;

/// The container of a written file, chosen by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    CsvGz,
    Parquet,
}

impl Format {
    /// `.parquet` → Parquet, `.gz` → gzip CSV, anything else CSV.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".parquet") {
            Format::Parquet
        } else if lower.ends_with(".gz") {
            Format::CsvGz
        } else {
            Format::Csv
        }
    }
}

fn category_name(c: Category) -> &'static str {
    match c {
        Category::Management => "Management",
        Category::Data => "Data",
        Category::Other => "Other",
    }
}

impl CountsTable {
    /// The counts of a dataset's events (already unique by `eventID`), grouped
    /// as the interchange format says.
    pub fn from_dataset(ds: &Dataset) -> CountsTable {
        let mut sums: FxHashMap<CountKey, u64> = FxHashMap::default();
        for e in ds.events.iter() {
            *sums.entry(CountKey::of_event(&e)).or_insert(0) += 1;
        }
        let mut b = super::CountsBuilder::default();
        let s = &ds.strings;
        for (k, events) in sums {
            b.add(&super::CountRow {
                account: s.resolve(k.account),
                region: s.resolve(k.region),
                event_source: s.resolve(k.source),
                event_name: s.resolve(k.name),
                event_category: k.category,
                read_only: k.read_only,
                error_code: s.resolve(k.error_code),
                minute: k.minute,
                events,
            });
        }
        b.finish()
    }
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(&r).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// The counts file of `t` in format `f`.
pub fn write_counts(t: &CountsTable, f: Format) -> Result<Vec<u8>, String> {
    let s = |sym| t.strings.resolve(sym).to_string();
    if f == Format::Parquet {
        let text = |pick: fn(&CountKey) -> crate::model::Sym| {
            Column::Text(t.rows.iter().map(|(k, _)| s(pick(k))).collect())
        };
        let columns = [
            Column::Int(vec![VERSION; t.rows.len()]),
            text(|k| k.account),
            text(|k| k.region),
            text(|k| k.source),
            text(|k| k.name),
            Column::Text(
                t.rows
                    .iter()
                    .map(|(k, _)| category_name(k.category).to_string())
                    .collect(),
            ),
            Column::Bool(t.rows.iter().map(|(k, _)| k.read_only).collect()),
            text(|k| k.error_code),
            Column::Int(t.rows.iter().map(|(k, _)| k.minute).collect()),
            Column::Int(
                t.rows
                    .iter()
                    .map(|(_, n)| i64::try_from(*n).unwrap_or(i64::MAX))
                    .collect(),
            ),
        ];
        return parquet_write::write("counts", &COUNTS_COLUMNS, &columns);
    }
    let rows = t.rows.iter().map(|(k, n)| {
        vec![
            VERSION.to_string(),
            s(k.account),
            s(k.region),
            s(k.source),
            s(k.name),
            category_name(k.category).to_string(),
            k.read_only.to_string(),
            s(k.error_code),
            k.minute.to_string(),
            n.to_string(),
        ]
    });
    let bytes = csv_bytes(&COUNTS_COLUMNS, rows)?;
    if f == Format::CsvGz {
        gzip(&bytes)
    } else {
        Ok(bytes)
    }
}

/// One attributions row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributionRow {
    pub shared_event_id: String,
    pub period: &'static str,
    pub attribute: &'static str,
    pub value: String,
    pub events: u64,
}

/// The attributions file of `rows` in format `f`.
pub fn write_attributions(rows: &[AttributionRow], f: Format) -> Result<Vec<u8>, String> {
    if f == Format::Parquet {
        let text =
            |pick: fn(&AttributionRow) -> String| Column::Text(rows.iter().map(pick).collect());
        let columns = [
            Column::Int(vec![VERSION; rows.len()]),
            text(|r| r.shared_event_id.clone()),
            text(|r| r.period.to_string()),
            text(|r| r.attribute.to_string()),
            text(|r| r.value.clone()),
            Column::Int(
                rows.iter()
                    .map(|r| i64::try_from(r.events).unwrap_or(i64::MAX))
                    .collect(),
            ),
        ];
        return parquet_write::write("attributions", &ATTRIBUTION_COLUMNS, &columns);
    }
    let lines = rows.iter().map(|r| {
        vec![
            VERSION.to_string(),
            r.shared_event_id.clone(),
            r.period.to_string(),
            r.attribute.to_string(),
            r.value.clone(),
            r.events.to_string(),
        ]
    });
    let bytes = csv_bytes(&ATTRIBUTION_COLUMNS, lines)?;
    if f == Format::CsvGz {
        gzip(&bytes)
    } else {
        Ok(bytes)
    }
}
