//! A counts session: per-minute counts (and attributions) files instead of
//! logs give the Insights `detect --counts` gives, answer the graph and
//! the exports, refuse event queries with what to do instead, and end
//! when logs are loaded again.

use super::super::protocol::{LoadSummary, Request, Response};
use super::super::{Attached, Session, NO_EVENTS};
use super::{ask, insights, session, summary, Bytes};
use crate::counts::{read_insight_windows, write_attributions, write_counts, CountsTable, Format};
use crate::engine::attribution_rows;
use crate::engine::{detect, detect_counts, DetectConfig};
use crate::export::{json_lines, ExportKind};
use crate::generate::{generate_dataset, GenerateConfig};
use crate::model::{Dataset, Insight, MinuteRange};
use std::sync::Arc;

fn tables(
    names: &[&str],
    others: &[&str],
    files: Vec<Option<Bytes>>,
) -> (Request, Attached<Bytes>) {
    let request = Request::LoadTables {
        names: names.iter().map(|n| n.to_string()).collect(),
        others: others.iter().map(|n| n.to_string()).collect(),
        settings: DetectConfig::default(),
    };
    (request, Attached::sources(files))
}

/// Generated events, their counts table and files, the Insights of the
/// counts alone.
struct Fixture {
    ds: Dataset,
    table: CountsTable,
    bare: Vec<Insight>,
    counts: Bytes,
    attributions: Bytes,
}

fn fixture() -> Fixture {
    let (ds, _) = generate_dataset(&GenerateConfig {
        days: 9,
        seed: 3,
        scale: 0.1,
        anomalies: true,
        realistic: false,
    });
    let cfg = DetectConfig::default();
    let table = CountsTable::from_dataset(&ds);
    let counts: Bytes = Arc::from(write_counts(&table, Format::Csv).unwrap());
    let bare = detect_counts(&table, None, &cfg).insights;
    assert!(!bare.is_empty());
    let lines = json_lines(&bare);
    let windows = read_insight_windows(&lines).unwrap();
    let rows = attribution_rows(&ds, &cfg, &windows);
    let attributions: Bytes = Arc::from(write_attributions(&rows, Format::Csv).unwrap());
    Fixture {
        ds,
        table,
        bare,
        counts,
        attributions,
    }
}

/// A session holding `f`'s counts (with a junk file and a non-table beside).
fn counts_session(f: &Fixture) -> (Session<Bytes>, LoadSummary) {
    let mut s = session::<Bytes>();
    let junk: Bytes = Arc::from(&b"not,a,counts\nfile"[..]);
    let (request, attached) = tables(
        &["counts.csv", "junk.csv"],
        &["notes.txt"],
        vec![Some(f.counts.clone()), Some(junk)],
    );
    let loaded = s.handle(request, attached).response;
    let sum = summary(&loaded).clone();
    assert_eq!(insights(loaded), f.bare);
    (s, sum)
}

#[test]
fn counts_load_and_answer_the_graph_but_not_events() {
    let f = fixture();
    // Attributions alone have nothing to attach to.
    let mut s = session::<Bytes>();
    let (request, attached) = tables(&["a.csv"], &[], vec![Some(f.attributions.clone())]);
    let refused = s.handle(request, attached).response;
    assert!(
        matches!(refused, Response::Error(e) if e.contains("drop the per-minute counts file first"))
    );

    let (mut s, sum) = counts_session(&f);
    let source = sum.from_counts.clone().expect("a counts session");
    assert_eq!(source.counts_files, ["counts.csv"]);
    assert_eq!(source.count_rows, f.table.rows.len() as u64);
    assert_eq!(sum.events, f.ds.events.len() as u64);
    assert_eq!(sum.files_seen, 3);
    let skipped: Vec<&str> = sum.skipped_files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(skipped, ["junk.csv", "notes.txt"]);
    let bucketed: u64 = sum.activity.counts.iter().map(|&c| u64::from(c)).sum();
    assert_eq!(bucketed, f.ds.events.len() as u64);

    let first = &f.bare[0];
    let series = Request::Series {
        key: first.key.clone(),
        range: MinuteRange::of_insight(first),
    };
    let Response::Series(points) = ask(&mut s, series) else {
        panic!("not a series")
    };
    assert!(points.iter().any(|p| p.calls + p.errors > 0));
    for request in [
        Request::EventJson { index: 0 },
        Request::Events {
            key: None,
            range: MinuteRange::new(0, i64::MAX),
            offset: 0,
            limit: 5,
        },
    ] {
        assert!(matches!(ask(&mut s, request), Response::Error(e) if e == NO_EVENTS));
    }
}

#[test]
fn attributions_join_the_counts_and_a_log_load_ends_them() {
    let f = fixture();
    let cfg = DetectConfig::default();
    let (mut s, _) = counts_session(&f);
    // Attributions join the session: the records of raw logs, attributed.
    let (request, attached) = tables(&["attributions.csv"], &[], vec![Some(f.attributions)]);
    let attributed = s.handle(request, attached).response;
    let source = summary(&attributed).from_counts.clone().unwrap();
    assert_eq!(source.attribution_files, ["attributions.csv"]);
    assert_eq!(source.attributed, f.bare.len() as u64);
    assert_eq!(
        json_lines(&insights(attributed)),
        json_lines(&detect(&f.ds, &cfg).insights)
    );

    // Detect and exports answer from the counts session.
    let calls = DetectConfig {
        error_rate: false,
        ..cfg
    };
    let again = insights(ask(&mut s, Request::Detect { settings: calls }));
    let export = s.handle(
        Request::Export {
            kind: ExportKind::JsonLines,
        },
        Attached::default(),
    );
    assert_eq!(export.attachment, Some(json_lines(&again).into_bytes()));

    // A log load ends the counts session.
    ask(&mut s, Request::Begin { names: Vec::new() });
    let after = ask(&mut s, Request::EventJson { index: 0 });
    assert!(matches!(after, Response::Error(e) if e == "no data loaded"));
}
