//! The queries on loaded logs, each on one shared loaded session (they do
//! not change it): the summary, the graph's series, event pages and their
//! original JSON, the Overview and the events view, bursts.

use super::super::protocol::{Request, Response};
use super::super::queries::MAX_SERIES_MINUTES;
use super::super::Session;
use super::{ask, generated, is_error, loaded, summary, Bytes};
use crate::engine::overview::EventFilter;
use crate::engine::DetectConfig;
use crate::ingest::{self, DatasetBuilder, Limits};
use crate::model::{Dataset, EventRow, Insight, MinuteRange};
use std::sync::{Mutex, OnceLock};

struct Shared {
    session: Session<Bytes>,
    insights: Vec<Insight>,
    /// What ingest reads from the same files.
    reference: Dataset,
    report: crate::ingest::LoadReport,
}

/// Runs `f` on the shared loaded session.
fn with_loaded(f: impl FnOnce(&mut Shared)) {
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    let shared = SHARED.get_or_init(|| {
        let (session, insights) = loaded();
        let mut builder = DatasetBuilder::new();
        for (i, (name, bytes)) in generated().iter().enumerate() {
            let batch = ingest::parse_bytes(i as u32, name, bytes, &Limits::default());
            builder.add(name.clone(), batch);
        }
        let (reference, report) = builder.finish();
        Mutex::new(Shared {
            session,
            insights,
            reference,
            report,
        })
    });
    // A failed test elsewhere does not make this one fail too.
    let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut guard);
}

#[test]
fn the_summary_holds_what_ingest_reads() {
    with_loaded(|l| {
        assert!(!l.insights.is_empty());
        let settings = DetectConfig::default();
        let again = ask(&mut l.session, Request::Detect { settings });
        let sum = summary(&again);
        assert_eq!(sum.events, l.report.events);
        assert_eq!(sum.files, l.report.files);
        assert_eq!(sum.files_seen, generated().len() as u64);
        let bucketed: u64 = sum.activity.counts.iter().map(|&c| u64::from(c)).sum();
        assert_eq!(bucketed, l.reference.events.len() as u64);
    });
}

#[test]
fn the_graph_shows_an_insight_and_a_huge_range_is_cut() {
    with_loaded(|l| {
        let first = &l.insights[0];
        let start = MinuteRange::of_insight(first).start;
        let series = Request::Series {
            key: first.key.clone(),
            range: MinuteRange::new(start, i64::MAX),
        };
        let Response::Series(points) = ask(&mut l.session, series) else {
            panic!("not a series")
        };
        assert!(points.iter().any(|p| p.calls + p.errors > 0));
        let end = start + MAX_SERIES_MINUTES as i64;
        assert!(points.iter().all(|p| p.minute >= start && p.minute < end));
    });
}

fn events(s: &mut Session<Bytes>, offset: u32, limit: u32) -> (Vec<EventRow>, u32) {
    let request = Request::Events {
        key: None,
        range: MinuteRange::new(i64::MIN, i64::MAX),
        offset,
        limit,
    };
    match ask(s, request) {
        Response::Events { rows, total } => (rows, total),
        other => panic!("{other:?}"),
    }
}

#[test]
fn event_pages_are_capped_and_each_row_reads_its_json() {
    with_loaded(|l| {
        let s = &mut l.session;
        let (rows, total) = events(s, 0, 5_000);
        assert_eq!(rows.len(), 1_000);
        assert_eq!(total as usize, l.reference.events.len());
        let (tail, _) = events(s, total - 3, 10);
        assert_eq!(tail.len(), 3);
        for row in [&rows[0], &tail[2]] {
            let json = ask(s, Request::EventJson { index: row.index });
            let Response::EventJson(json) = json else {
                panic!("{json:?}")
            };
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(v["eventID"], row.event_id.as_str());
        }
        let missing = ask(s, Request::EventJson { index: total });
        assert!(is_error(&missing, "no such event"));
    });
}

#[test]
fn the_overview_and_the_events_view_count_the_same_events() {
    with_loaded(|l| {
        let s = &mut l.session;
        let all = EventFilter::default();
        let Response::Overview(o) = ask(
            s,
            Request::Overview {
                filter: all.clone(),
            },
        ) else {
            panic!("not an overview")
        };
        assert_eq!(o.events, l.reference.events.len() as u64);
        let filtered = Request::FilteredEvents {
            filter: all,
            offset: 0,
            limit: 7,
        };
        let Response::Events { rows, total } = ask(s, filtered) else {
            panic!("not events")
        };
        assert_eq!((rows.len(), u64::from(total)), (7, o.events));
        let bursts = Request::Bursts {
            settings: DetectConfig::default(),
            limit: 2,
        };
        let Response::Bursts(b) = ask(s, bursts) else {
            panic!("not bursts")
        };
        assert!(b.len() <= 2);
    });
}
