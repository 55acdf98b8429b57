//! What the dashboard needs of the interchange files beyond detection: telling
//! an interchange table from a log by its first bytes ([`looks_like_table`]),
//! which of the two tables a file is by its columns ([`table_kind`]), the
//! Insights graph's calls and errors per minute from counts
//! ([`minute_series`]) and the span, accounts and Regions of a counts table
//! ([`CountsOverview`]).

use super::{read, CountsTable, FileError, ATTRIBUTION_COLUMNS, COUNTS_COLUMNS};
use crate::model::MAX_SPAN_MINUTES;
use crate::model::{Interner, MinutePoint, MinuteRange, SeriesKey};
use std::io::Read;

/// Which interchange table a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TableKind {
    Counts,
    Attributions,
}

/// Bytes of a file's beginning that [`looks_like_table`] needs at most.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The first line of `text` as header cells (quotes and case dropped).
fn header_cells(text: &[u8]) -> Vec<String> {
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    // As the CSV reader: a record ends at `\r` too (old Mac line ends), and
    // empty lines are skipped.
    let line = text
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|l| !l.is_empty())
        .unwrap_or(&[]);
    String::from_utf8_lossy(line)
        .split(',')
        .map(|c| c.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect()
}

/// Whether a header names mostly interchange columns: so a counts file with a
/// wrong or missing column is still taken as one (and refused with its
/// reason) while a log or an unrelated CSV is not.
fn is_table_header(cells: &[String]) -> bool {
    let known = cells
        .iter()
        .filter(|c| {
            COUNTS_COLUMNS.contains(&c.as_str()) || ATTRIBUTION_COLUMNS.contains(&c.as_str())
        })
        .count();
    cells.len() >= 2 && known * 2 >= cells.len() && known >= 3
}

/// Whether a file whose first bytes are `head` (up to [`HEAD_BYTES`]) is a
/// counts or attributions file rather than a log: Parquet by its magic, CSV
/// (plain or gzip) by a header of interchange columns. Logs (JSON, JSON Lines,
/// gzip JSON, archives) never are.
pub fn looks_like_table(head: &[u8]) -> bool {
    if head.starts_with(b"PAR1") {
        return true;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        // A cut gzip stream: keep what inflated before the cut.
        let mut text = Vec::new();
        let mut dec = flate2::read::MultiGzDecoder::new(head).take(HEAD_BYTES as u64);
        let mut buf = [0u8; 4096];
        while let Ok(n) = dec.read(&mut buf) {
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buf[..n]);
            if text.contains(&b'\n') || text.contains(&b'\r') {
                break;
            }
        }
        return is_table_header(&header_cells(&text));
    }
    is_table_header(&header_cells(head))
}

/// Which table a whole file holds, by its header (CSV, gzip CSV) or schema
/// (Parquet): one with `shared_event_id` or `attribute` is attributions, any
/// other counts (whose reader then names a wrong column).
pub fn table_kind(file: &str, bytes: &[u8]) -> Result<TableKind, FileError> {
    let names = read::column_names(file, bytes)?;
    let is_attr = names.iter().any(|n| {
        matches!(
            n.trim().to_ascii_lowercase().as_str(),
            "shared_event_id" | "attribute"
        )
    });
    Ok(if is_attr {
        TableKind::Attributions
    } else {
        TableKind::Counts
    })
}

/// Calls and errors per minute of the API of `key` over `range`, from counts:
/// what [`crate::engine::minute_series`] gives on the events the counts were
/// made of (every call of the API, read or write, any category; errors with
/// the key's error code, or any error for a call-rate key), contiguous and
/// zero-filled, at most [`MAX_SPAN_MINUTES`] long.
pub fn minute_series(t: &CountsTable, key: &SeriesKey, range: MinuteRange) -> Vec<MinutePoint> {
    let range = range.truncated(MAX_SPAN_MINUTES as u64);
    let mut out: Vec<MinutePoint> = (0..range.len() as usize)
        .map(|i| MinutePoint {
            minute: range.start + i as i64,
            calls: 0,
            errors: 0,
        })
        .collect();
    let s = &t.strings;
    let (Some(account), Some(region), Some(source), Some(name)) = (
        s.get(&key.account),
        s.get(&key.region),
        s.get(&key.source),
        s.get(&key.name),
    ) else {
        return out;
    };
    let error = match &key.error_code {
        Some(code) => match s.get(code) {
            Some(sym) => Some(sym),
            // No row has the code: calls still show, errors stay 0.
            None => Some(Interner::EMPTY),
        },
        None => None,
    };
    let lo = t.rows.partition_point(|(k, _)| k.minute < range.start);
    let hi = t.rows.partition_point(|(k, _)| k.minute < range.end);
    for (k, n) in t.rows.get(lo..hi.max(lo)).unwrap_or(&[]) {
        if k.name != name || k.source != source || k.account != account || k.region != region {
            continue;
        }
        let Some(p) = out.get_mut(k.minute.abs_diff(range.start) as usize) else {
            continue;
        };
        let n = u32::try_from(*n).unwrap_or(u32::MAX);
        p.calls = p.calls.saturating_add(n);
        let is_error = match error {
            Some(code) => code != Interner::EMPTY && k.error_code == code,
            None => k.error_code != Interner::EMPTY,
        };
        if is_error {
            p.errors = p.errors.saturating_add(n);
        }
    }
    out
}

/// The span, accounts and Regions of a counts table, and its events per minute.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CountsOverview {
    pub first_minute: Option<i64>,
    pub last_minute: Option<i64>,
    /// Sorted, unique.
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// (minute, events), one entry per minute that has events, ascending.
    pub per_minute: Vec<(i64, u64)>,
}

impl CountsOverview {
    pub fn of(t: &CountsTable) -> CountsOverview {
        let mut accounts = std::collections::BTreeSet::new();
        let mut regions = std::collections::BTreeSet::new();
        let mut per_minute: Vec<(i64, u64)> = Vec::new();
        for (k, n) in &t.rows {
            accounts.insert(k.account);
            regions.insert(k.region);
            match per_minute.last_mut() {
                Some((m, total)) if *m == k.minute => *total = total.saturating_add(*n),
                _ => per_minute.push((k.minute, *n)),
            }
        }
        let names = |set: std::collections::BTreeSet<crate::model::Sym>| {
            let mut v: Vec<String> = set
                .into_iter()
                .map(|s| t.strings.resolve(s).to_string())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        CountsOverview {
            first_minute: t.rows.first().map(|(k, _)| k.minute),
            last_minute: t.rows.last().map(|(k, _)| k.minute),
            accounts: names(accounts),
            regions: names(regions),
            per_minute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::{read_counts, write_counts, Format};
    use crate::model::InsightType;

    const ROWS: &str = "1,111122223333,us-east-1,ec2.amazonaws.com,RunInstances,Management,false,,100,3\n\
        1,111122223333,us-east-1,ec2.amazonaws.com,RunInstances,Management,false,AccessDenied,100,2\n\
        1,111122223333,us-east-1,ec2.amazonaws.com,RunInstances,Management,true,,102,1\n\
        1,111122223333,eu-west-1,ec2.amazonaws.com,RunInstances,Management,false,,101,7\n";

    fn table() -> CountsTable {
        let text = format!("{}\n{ROWS}", COUNTS_COLUMNS.join(","));
        read_counts([("c.csv", text.as_bytes())]).unwrap()
    }

    fn key(error_code: Option<&str>) -> SeriesKey {
        SeriesKey {
            insight_type: if error_code.is_some() {
                InsightType::ApiErrorRateInsight
            } else {
                InsightType::ApiCallRateInsight
            },
            account: "111122223333".into(),
            region: "us-east-1".into(),
            source: "ec2.amazonaws.com".into(),
            name: "RunInstances".into(),
            error_code: error_code.map(str::to_string),
            source_category: "Management".into(),
        }
    }

    #[test]
    fn tables_are_told_from_logs_by_their_first_bytes_in_every_container() {
        let t = table();
        for f in [Format::Csv, Format::CsvGz, Format::Parquet] {
            let bytes = write_counts(&t, f).unwrap();
            assert!(looks_like_table(&bytes), "{f:?}");
            // A head cut anywhere after the header still tells.
            let cut = &bytes[..bytes.len().min(200)];
            assert!(looks_like_table(cut), "{f:?} cut");
            assert_eq!(table_kind("c", &bytes).unwrap(), TableKind::Counts, "{f:?}");
        }
        let attr = crate::counts::write_attributions(&[], Format::CsvGz).unwrap();
        assert!(looks_like_table(&attr));
        assert_eq!(table_kind("a", &attr).unwrap(), TableKind::Attributions);
        // A header with a wrong column is still a counts file (refused later, with its reason).
        let wrong = "version,account,region,event_source,event_name,event_category,read_only,error,minute,events\n";
        assert!(looks_like_table(wrong.as_bytes()));
        let logs: [&[u8]; 4] = [
            br#"{"Records":[{"eventVersion":"1.08"}]}"#,
            b"{\"eventTime\":\"2026-01-01T00:00:00Z\"}\n",
            b"name,age\nx,1\n",
            b"",
        ];
        for l in logs {
            assert!(!looks_like_table(l), "{:?}", String::from_utf8_lossy(l));
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, logs[0]).unwrap();
        assert!(!looks_like_table(&gz.finish().unwrap()));
    }

    #[test]
    fn the_graph_series_counts_every_call_and_the_keys_errors() {
        let t = table();
        let s = minute_series(&t, &key(None), MinuteRange::new(99, 104));
        let calls: Vec<(i64, u32, u32)> = s.iter().map(|p| (p.minute, p.calls, p.errors)).collect();
        assert_eq!(
            calls,
            [
                (99, 0, 0),
                (100, 5, 2),
                (101, 0, 0),
                (102, 1, 0),
                (103, 0, 0)
            ]
        );
        let s = minute_series(&t, &key(Some("AccessDenied")), MinuteRange::new(100, 101));
        assert_eq!((s[0].calls, s[0].errors), (5, 2));
        let s = minute_series(&t, &key(Some("Throttling")), MinuteRange::new(100, 101));
        assert_eq!((s[0].calls, s[0].errors), (5, 0));
        assert!(minute_series(&t, &key(None), MinuteRange::new(5, 1)).is_empty());
    }

    #[test]
    fn the_overview_gives_span_places_and_events_per_minute() {
        let o = CountsOverview::of(&table());
        assert_eq!((o.first_minute, o.last_minute), (Some(100), Some(102)));
        assert_eq!(o.accounts, ["111122223333"]);
        assert_eq!(o.regions, ["eu-west-1", "us-east-1"]);
        assert_eq!(o.per_minute, [(100, 5), (101, 7), (102, 1)]);
        assert_eq!(
            CountsOverview::of(&CountsTable::default()),
            CountsOverview::default()
        );
    }
}
