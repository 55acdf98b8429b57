//! The load requests on their own: before a load, detection again, an
//! aborted load, the page's stats, the demo, and the parse role (a shared
//! `.zip`, the memory guard's budget). The queries are in [`super::queries`].

use super::super::protocol::{LoadStats, ParseInput, Request, Response};
use super::super::Attached;
use super::{ask, generated, insights, load_with, loaded, parse, session, summary, Bytes};
use crate::engine::overview::EventFilter;
use crate::engine::DetectConfig;
use crate::export::{json_lines, ExportKind};
use crate::ingest::{self, Limits, NOT_READ_REASON};
use crate::model::MinuteRange;
use std::io::Write;
use std::sync::Arc;

use super::is_error;

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
