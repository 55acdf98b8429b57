//! Each request type on its own: before a load, on loaded logs, the demo,
//! an aborted load, the page's stats, and the parse role (a shared `.zip`,
//! the memory guard's budget).

use super::super::protocol::{LoadStats, ParseInput, Request, Response};
use super::super::queries::MAX_SERIES_MINUTES;
use super::super::Attached;
use super::{ask, generated, insights, load_with, loaded, parse, session, summary, Bytes};
use crate::engine::overview::EventFilter;
use crate::engine::DetectConfig;
use crate::export::{json_lines, ExportKind};
use crate::ingest::{self, DatasetBuilder, Limits, NOT_READ_REASON};
use crate::model::MinuteRange;
use std::io::Write;
use std::sync::Arc;

fn is_error(r: &Response, text: &str) -> bool {
    matches!(r, Response::Error(e) if e == text)
}

#[test]
fn before_a_load_queries_say_there_is_no_data() {
    let mut s = session::<Bytes>();
    let range = MinuteRange::new(0, 10);
    for request in [
        Request::Detect {
            settings: DetectConfig::default(),
        },
        Request::Events {
            key: None,
            range,
            offset: 0,
            limit: 10,
        },
        Request::EventJson { index: 0 },
        Request::Bursts {
            settings: DetectConfig::default(),
            limit: 3,
        },
        Request::Overview {
            filter: EventFilter::default(),
        },
        Request::FilteredEvents {
            filter: EventFilter::default(),
            offset: 0,
            limit: 10,
        },
    ] {
        assert!(is_error(&ask(&mut s, request), "no data loaded"));
    }
    let finish = Request::Finish {
        settings: DetectConfig::default(),
    };
    assert!(is_error(&ask(&mut s, finish), "no load in progress"));
    // A late batch of a cancelled load is ignored, and so is an abort.
    assert!(matches!(
        ask(&mut s, Request::AddBatches { inputs: vec![0] }),
        Response::Ok
    ));
    assert!(matches!(ask(&mut s, Request::Abort), Response::Ok));
    // An export of nothing is an empty file, not an error.
    let export = s.handle(
        Request::Export {
            kind: ExportKind::JsonLines,
        },
        Attached::default(),
    );
    assert!(matches!(export.response, Response::Exported { .. }));
    assert_eq!(export.attachment, Some(Vec::new()));
}

#[test]
fn a_log_load_answers_every_query() {
    let (mut s, found) = loaded();
    assert!(!found.is_empty());
    // The load holds what ingest reads from the same files.
    let mut reference = DatasetBuilder::new();
    for (i, (name, bytes)) in generated().iter().enumerate() {
        let batch = ingest::parse_bytes(i as u32, name, bytes, &Limits::default());
        reference.add(name.clone(), batch);
    }
    let (ds, report) = reference.finish();
    let loaded = ask(
        &mut s,
        Request::Detect {
            settings: DetectConfig::default(),
        },
    );
    let sum = summary(&loaded);
    assert_eq!(sum.events, report.events);
    assert_eq!(sum.files, report.files);
    assert_eq!(sum.files_seen, generated().len() as u64);
    let bucketed: u64 = sum.activity.counts.iter().map(|&c| u64::from(c)).sum();
    assert_eq!(bucketed, ds.events.len() as u64);

    // The graph of the first Insight shows its burst; a huge range is cut.
    let first = &found[0];
    let range = MinuteRange::of_insight(first);
    let series = ask(
        &mut s,
        Request::Series {
            key: first.key.clone(),
            range: MinuteRange::new(range.start, i64::MAX),
        },
    );
    let Response::Series(points) = series else {
        panic!("{series:?}")
    };
    assert!(points.iter().any(|p| p.calls + p.errors > 0));
    assert!(points
        .iter()
        .all(|p| p.minute >= range.start && p.minute < range.start + MAX_SERIES_MINUTES as i64));

    // Event pages: capped, offset, and each row's JSON re-read from its file.
    let events = |s: &mut _, offset, limit| match ask(
        s,
        Request::Events {
            key: None,
            range: MinuteRange::new(i64::MIN, i64::MAX),
            offset,
            limit,
        },
    ) {
        Response::Events { rows, total } => (rows, total),
        other => panic!("{other:?}"),
    };
    let (rows, total) = events(&mut s, 0, 5_000);
    assert_eq!(rows.len(), 1_000);
    assert_eq!(total as usize, ds.events.len());
    let (tail, _) = events(&mut s, total - 3, 10);
    assert_eq!(tail.len(), 3);
    for row in [&rows[0], &tail[2]] {
        let json = ask(&mut s, Request::EventJson { index: row.index });
        let Response::EventJson(json) = json else {
            panic!("{json:?}")
        };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["eventID"], row.event_id.as_str());
    }
    let missing = ask(&mut s, Request::EventJson { index: total });
    assert!(is_error(&missing, "no such event"));

    // The Overview and the events view count the same events.
    let all = EventFilter::default();
    let Response::Overview(o) = ask(
        &mut s,
        Request::Overview {
            filter: all.clone(),
        },
    ) else {
        panic!()
    };
    assert_eq!(o.events, ds.events.len() as u64);
    let filtered = Request::FilteredEvents {
        filter: all,
        offset: 0,
        limit: 7,
    };
    let Response::Events { rows, total } = ask(&mut s, filtered) else {
        panic!()
    };
    assert_eq!((rows.len(), u64::from(total)), (7, o.events));

    let bursts = Request::Bursts {
        settings: DetectConfig::default(),
        limit: 2,
    };
    let Response::Bursts(b) = ask(&mut s, bursts) else {
        panic!()
    };
    assert!(b.len() <= 2);
}

#[test]
fn detect_with_other_settings_changes_what_is_exported() {
    let (mut s, _) = loaded();
    let settings = DetectConfig {
        error_rate: false,
        ..DetectConfig::default()
    };
    let calls_only = insights(ask(&mut s, Request::Detect { settings }));
    assert!(calls_only
        .iter()
        .all(|i| i.key.insight_type == crate::model::InsightType::ApiCallRateInsight));
    let export = s.handle(
        Request::Export {
            kind: ExportKind::JsonLines,
        },
        Attached::default(),
    );
    assert_eq!(
        export.attachment,
        Some(json_lines(&calls_only).into_bytes())
    );
}

#[test]
fn an_aborted_load_keeps_the_data_before_it() {
    let (mut s, before) = loaded();
    let names: Vec<String> = generated().iter().take(3).map(|f| f.0.clone()).collect();
    let sources: Vec<Option<Bytes>> = generated()
        .iter()
        .take(3)
        .map(|f| Some(f.1.clone()))
        .collect();
    let parsed = parse(&names, 0, sources, u64::MAX);
    assert!(matches!(
        ask(&mut s, Request::Begin { names }),
        Response::Ok
    ));
    s.handle(
        Request::AddBatches {
            inputs: vec![0, 1, 2],
        },
        Attached {
            payload: parsed.attachment.clone(),
            sources: Vec::new(),
        },
    );
    assert!(matches!(ask(&mut s, Request::Abort), Response::Ok));
    // Its late batches are ignored; there is nothing to finish.
    let late = s.handle(
        Request::AddBatches { inputs: vec![0] },
        Attached {
            payload: parsed.attachment,
            sources: Vec::new(),
        },
    );
    assert!(matches!(late.response, Response::Ok));
    let finish = Request::Finish {
        settings: DetectConfig::default(),
    };
    assert!(is_error(&ask(&mut s, finish), "no load in progress"));
    let again = ask(
        &mut s,
        Request::Detect {
            settings: DetectConfig::default(),
        },
    );
    assert_eq!(insights(again), before);
}

#[test]
fn the_page_stats_come_back_with_the_load() {
    let mut s = session::<Bytes>();
    let files: Vec<(String, Option<Bytes>)> = generated()
        .iter()
        .take(20)
        .map(|(n, b)| (n.clone(), Some(b.clone())))
        .collect();
    let names = files.iter().map(|f| f.0.clone()).collect();
    ask(&mut s, Request::Begin { names });
    let page = LoadStats {
        parse_workers: 3,
        reading_ms: 12.5,
        ..LoadStats::default()
    };
    assert!(matches!(
        ask(&mut s, Request::PageStats(page.clone())),
        Response::Ok
    ));
    // `Begin` of `load_with` resets the stats: send them after it, as the page does.
    let loaded = load_with(&mut s, &files, 20, DetectConfig::default());
    assert_eq!(summary(&loaded).load_stats.parse_workers, 0);
    ask(&mut s, Request::PageStats(page));
    let again = ask(
        &mut s,
        Request::Detect {
            settings: DetectConfig::default(),
        },
    );
    assert_eq!(summary(&again).load_stats.parse_workers, 3);
    assert_eq!(summary(&again).load_stats.reading_ms, 12.5);
}

#[test]
fn the_demo_loads_generated_data_and_its_events_json() {
    let mut s = session::<Bytes>();
    let demo = ask(
        &mut s,
        Request::Demo {
            settings: DetectConfig::default(),
        },
    );
    assert!(summary(&demo).events > 0);
    assert!(!insights(demo).is_empty());
    let json = ask(&mut s, Request::EventJson { index: 0 });
    assert!(matches!(json, Response::EventJson(j) if j.contains("eventID")));
}

/// A zip of the first `n` generated files.
fn zip_of(n: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in generated().iter().take(n) {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn parse_parts_of_a_shared_zip_load_as_the_whole_zip() {
    let zip: Bytes = Arc::from(zip_of(30));
    let name = "logs.zip".to_string();
    let whole = ingest::parse_bytes(0, &name, &zip, &Limits::default());
    let mut s = session::<Bytes>();
    ask(
        &mut s,
        Request::Begin {
            names: vec![name.clone()],
        },
    );
    let parts = 3;
    for part in 0..parts {
        let request = Request::Parse {
            inputs: vec![ParseInput {
                input: 0,
                name: name.clone(),
                part,
                parts,
            }],
            max_events: u64::MAX,
        };
        let parsed = session::<Bytes>().handle(request, Attached::sources(vec![Some(zip.clone())]));
        // One file, counted by part 0 only.
        let Response::Parsed { files, .. } = parsed.response else {
            panic!()
        };
        assert_eq!(files, u32::from(part == 0));
        let added = s.handle(
            Request::AddBatches { inputs: vec![0] },
            Attached {
                payload: parsed.attachment,
                sources: vec![Some(zip.clone())],
            },
        );
        assert!(matches!(added.response, Response::Ok));
    }
    let loaded = ask(
        &mut s,
        Request::Finish {
            settings: DetectConfig::default(),
        },
    );
    assert_eq!(summary(&loaded).events, whole.events.len() as u64);
    assert_eq!(summary(&loaded).files, whole.report.files);
    // Events of any part re-read from the shared zip.
    let json = ask(&mut s, Request::EventJson { index: 5 });
    assert!(matches!(json, Response::EventJson(_)), "{json:?}");
}

#[test]
fn a_parse_budget_stops_the_load_and_lists_what_was_not_read() {
    let files = &generated()[..12];
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let sources = files.iter().map(|f| Some(f.1.clone())).collect();
    let first = ingest::parse_bytes(0, &names[0], &files[0].1, &Limits::default());
    // Room for about the first file only.
    let budget = first.events.len() as u64 + 1;
    let parsed = parse::<Bytes>(&names, 0, sources, budget);
    let mut s = session::<Bytes>();
    ask(&mut s, Request::Begin { names });
    let added = s.handle(
        Request::AddBatches {
            inputs: (0..12).collect(),
        },
        Attached {
            payload: parsed.attachment,
            sources: Vec::new(),
        },
    );
    assert!(matches!(added.response, Response::Full));
    let loaded = ask(
        &mut s,
        Request::Finish {
            settings: DetectConfig::default(),
        },
    );
    let sum = summary(&loaded);
    assert!(sum.not_read >= 10, "{}", sum.not_read);
    // A file being read when the budget runs out is read to its end; the rest is not.
    let all: usize = files
        .iter()
        .map(|(n, b)| {
            ingest::parse_bytes(0, n, b, &Limits::default())
                .events
                .len()
        })
        .sum();
    assert!(sum.events > first.events.len() as u64 && sum.events < all as u64);
    assert!(sum.memory_note.is_some());
    let not_read = sum
        .skipped_files
        .iter()
        .filter(|f| f.reason == NOT_READ_REASON)
        .count();
    assert_eq!(not_read as u64, sum.not_read);
    assert_eq!(sum.files_seen, sum.files + sum.skipped_files.len() as u64);
}
