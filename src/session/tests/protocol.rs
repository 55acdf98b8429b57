//! Every request and response variant survives the wire: bincode in an
//! [`Envelope`], out, and equal. The names below are an exhaustive match,
//! so a new variant does not compile until it has a sample here.

use super::super::protocol::{
    CountsSource, Envelope, LoadStats, LoadSummary, ParseInput, ParseTimings, Request, Response,
};
use super::{ask, loaded};
use crate::engine::overview::EventFilter;
use crate::engine::DetectConfig;
use crate::export::ExportKind;
use crate::model::{EventRow, MinutePoint, MinuteRange, SeriesKey, SkippedFile};
use std::collections::BTreeSet;

fn request_name(r: &Request) -> &'static str {
    match r {
        Request::Parse { .. } => "Parse",
        Request::Begin { .. } => "Begin",
        Request::AddBatches { .. } => "AddBatches",
        Request::Finish { .. } => "Finish",
        Request::Abort => "Abort",
        Request::Demo { .. } => "Demo",
        Request::Detect { .. } => "Detect",
        Request::Series { .. } => "Series",
        Request::Events { .. } => "Events",
        Request::EventJson { .. } => "EventJson",
        Request::Export { .. } => "Export",
        Request::Bursts { .. } => "Bursts",
        Request::LoadTables { .. } => "LoadTables",
        Request::Overview { .. } => "Overview",
        Request::FilteredEvents { .. } => "FilteredEvents",
        Request::PageStats(_) => "PageStats",
    }
}
const REQUESTS: usize = 16;

fn response_name(r: &Response) -> &'static str {
    match r {
        Response::Progress { .. } => "Progress",
        Response::Parsed { .. } => "Parsed",
        Response::Ok => "Ok",
        Response::Full => "Full",
        Response::Loaded { .. } => "Loaded",
        Response::Series(_) => "Series",
        Response::Events { .. } => "Events",
        Response::EventJson(_) => "EventJson",
        Response::Exported { .. } => "Exported",
        Response::Error(_) => "Error",
        Response::Bursts(_) => "Bursts",
        Response::Overview(_) => "Overview",
        Response::ParseStats(_) => "ParseStats",
    }
}
const RESPONSES: usize = 13;

fn key() -> SeriesKey {
    SeriesKey {
        insight_type: crate::model::InsightType::ApiCallRateInsight,
        account: "111122223333".into(),
        region: "eu-west-1".into(),
        source: "ec2.amazonaws.com".into(),
        name: "RunInstances".into(),
        error_code: Some("AccessDenied".into()),
        source_category: "Management".into(),
    }
}

fn requests() -> Vec<Request> {
    let settings = DetectConfig {
        include_read_calls: true,
        ..DetectConfig::default()
    };
    let range = MinuteRange::new(-5, i64::MAX);
    let filter = EventFilter {
        name: Some("ListBuckets".into()),
        error_code: Some(String::new()),
        range: Some(range),
        ..EventFilter::default()
    };
    vec![
        Request::Parse {
            inputs: vec![ParseInput {
                input: 3,
                name: "a/b.zip".into(),
                part: 1,
                parts: 4,
            }],
            max_events: u64::MAX,
        },
        Request::Begin {
            names: vec!["x.json.gz".into(), "é/y.json".into()],
        },
        Request::AddBatches {
            inputs: vec![0, 7, u32::MAX],
        },
        Request::Finish { settings },
        Request::Abort,
        Request::Demo { settings },
        Request::Detect {
            settings: DetectConfig::default(),
        },
        Request::Series { key: key(), range },
        Request::Events {
            key: Some(key()),
            range,
            offset: 10,
            limit: 50,
        },
        Request::EventJson { index: 42 },
        Request::Export {
            kind: ExportKind::S3Zip,
        },
        Request::Bursts { settings, limit: 9 },
        Request::LoadTables {
            names: vec!["counts.parquet".into()],
            others: vec!["notes.txt".into()],
            settings,
        },
        Request::Overview {
            filter: filter.clone(),
        },
        Request::FilteredEvents {
            filter,
            offset: 0,
            limit: 100,
        },
        Request::PageStats(LoadStats {
            parse_workers: 4,
            parse: ParseTimings {
                read_ms: 1.5,
                parse_ms: 2.25,
                encode_ms: 0.125,
                requests: 3,
            },
            reading_ms: 10.0,
            ..LoadStats::default()
        }),
    ]
}

fn responses() -> Vec<Response> {
    let summary = LoadSummary {
        files_seen: 3,
        skipped_files: vec![SkippedFile {
            path: "bad.gz".into(),
            reason: "not gzip".into(),
        }],
        bad_reasons: vec![("invalid JSON".into(), 2)],
        memory_note: Some("full".into()),
        from_counts: Some(CountsSource {
            counts_files: vec!["c.csv".into()],
            count_rows: 5,
            ..CountsSource::default()
        }),
        ..LoadSummary::default()
    };
    vec![
        Response::Progress {
            bytes: 1 << 40,
            files: 2,
            events: 3,
        },
        Response::Parsed {
            files: 1,
            bytes: 2,
            events: 3,
        },
        Response::Ok,
        Response::Full,
        Response::Loaded {
            summary: Box::new(summary),
            insights: Vec::new(),
        },
        Response::Series(vec![MinutePoint {
            minute: -1,
            calls: 4,
            errors: 1,
        }]),
        Response::Events {
            rows: vec![EventRow {
                index: 1,
                time_ms: 60_000,
                event_id: "id".into(),
                account: "a".into(),
                region: "r".into(),
                source: "s".into(),
                name: "n".into(),
                identity: "i".into(),
                user_agent: "u".into(),
                source_ip: "1.2.3.4".into(),
                error_code: String::new(),
                read_only: true,
                identity_type: "IAMUser".into(),
            }],
            total: 9,
        },
        Response::EventJson("{\"eventID\":\"x\"}".into()),
        Response::Exported {
            file_name: "f.csv".into(),
            mime: "text/csv".into(),
        },
        Response::Error("why".into()),
        Response::Bursts(Vec::new()),
        Response::Overview(Box::default()),
        Response::ParseStats(ParseTimings::default()),
    ]
}

fn round_trip<T>(body: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let bytes = bincode::serialize(&Envelope { id: 77, body }).unwrap();
    let back: Envelope<T> = bincode::deserialize(&bytes).unwrap();
    assert_eq!(back.id, 77);
    back.body
}

#[test]
fn every_request_round_trips() {
    let all = requests();
    let names: BTreeSet<&str> = all.iter().map(request_name).collect();
    assert_eq!(names.len(), REQUESTS, "one sample per variant");
    for r in &all {
        assert_eq!(&round_trip(r), r, "{}", request_name(r));
    }
}

#[test]
fn every_response_round_trips() {
    let all = responses();
    let names: BTreeSet<&str> = all.iter().map(response_name).collect();
    assert_eq!(names.len(), RESPONSES, "one sample per variant");
    for r in &all {
        assert_eq!(&round_trip(r), r, "{}", response_name(r));
    }
}

/// Real answers (Insights with their records and attributions, event rows,
/// bursts, the Overview) round-trip too.
#[test]
fn real_answers_round_trip() {
    let (mut s, insights) = loaded();
    let first = insights.first().expect("the generated data has Insights");
    let requests = [
        Request::Detect {
            settings: DetectConfig::default(),
        },
        Request::Events {
            key: Some(first.key.clone()),
            range: MinuteRange::of_insight(first),
            offset: 0,
            limit: 20,
        },
        Request::Bursts {
            settings: DetectConfig::default(),
            limit: 5,
        },
        Request::Overview {
            filter: EventFilter::default(),
        },
    ];
    for request in requests {
        let answer = ask(&mut s, request);
        assert!(!matches!(answer, Response::Error(_)), "{answer:?}");
        assert_eq!(round_trip(&answer), answer);
    }
}
