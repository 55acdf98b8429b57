//! The detector on counts (issue 11): on the same events, counts plus
//! attributions give exactly the records of raw logs (library and CLI, CSV,
//! `.csv.gz` and Parquet, several option sets); counts alone give the same
//! records with empty attribution lists; IDs do not depend on input event IDs;
//! bad counts files are refused with the file, the place and the reason; and
//! data-event call rates count reads and writes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use trailsight::counts::{
    read_attributions, read_counts, read_insight_windows, write_attributions, write_counts,
    CountsTable, Format,
};
use trailsight::engine::attribution_rows;
use trailsight::engine::{detect, detect_counts, DetectConfig, Detection};
use trailsight::export::{json_lines, s3_objects};
use trailsight::generate::{generate, generate_dataset, GenerateConfig};
use trailsight::model::{Category, Dataset, Event, InsightType, Interner, Origin};

fn small() -> GenerateConfig {
    GenerateConfig {
        days: 9,
        seed: 1,
        scale: 0.2,
        anomalies: true,
        realistic: false,
    }
}

/// Records with every `attributions` list emptied (what counts alone can give).
fn without_attributions(lines: &str) -> Vec<Value> {
    lines
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["insightDetails"]["insightContext"]["attributions"] = Value::Array(vec![]);
            v
        })
        .collect()
}

/// Counts → file → counts; the Insights of the counts alone; their
/// attributions → file → table; the Insights with attributions.
fn through_files(ds: &Dataset, cfg: &DetectConfig, format: Format) -> (Detection, Detection) {
    let counts = write_counts(&CountsTable::from_dataset(ds), format).unwrap();
    let counts = read_counts([("counts", counts.as_slice())]).unwrap();
    let bare = detect_counts(&counts, None, cfg);
    let windows = read_insight_windows(&json_lines(&bare.insights)).unwrap();
    let rows = attribution_rows(ds, cfg, &windows);
    let file = write_attributions(&rows, format).unwrap();
    let table = read_attributions([("attributions", file.as_slice())]).unwrap();
    (bare, detect_counts(&counts, Some(&table), cfg))
}

#[test]
fn counts_and_attributions_give_the_raw_records_byte_for_byte() {
    let (ds, _) = generate_dataset(&small());
    let configs = [
        (DetectConfig::default(), Format::Csv),
        (
            DetectConfig {
                include_read_calls: true,
                include_data_events: true,
                ..Default::default()
            },
            Format::Parquet,
        ),
        (
            DetectConfig {
                call_rate: false,
                ..Default::default()
            },
            Format::CsvGz,
        ),
    ];
    for (cfg, format) in configs {
        let raw = detect(&ds, &cfg);
        assert!(raw.insights.len() >= 3, "{cfg:?}: {}", raw.insights.len());
        let raw_lines = json_lines(&raw.insights);
        let (bare, full) = through_files(&ds, &cfg, format);

        assert_eq!(json_lines(&full.insights), raw_lines, "{cfg:?} {format:?}");
        assert_eq!(s3_objects(&full.insights), s3_objects(&raw.insights));
        assert_eq!(full.summary, raw.summary);

        assert_eq!(
            without_attributions(&json_lines(&bare.insights)),
            without_attributions(&raw_lines)
        );
        assert!(bare.insights.iter().all(|i| i.attributions.is_empty()));
        assert_eq!(
            bare.summary.insights_without_attributions,
            bare.insights.len() as u64
        );
        assert_eq!(raw.summary.insights_without_attributions, 0);
        // The raw path did attribute something (so the equality above means something).
        assert!(raw
            .insights
            .iter()
            .all(|i| i.attributions.iter().any(|a| !a.insight.is_empty())));
    }
}

#[test]
fn several_counts_files_are_summed() {
    let (ds, _) = generate_dataset(&GenerateConfig {
        scale: 0.1,
        ..small()
    });
    let all = CountsTable::from_dataset(&ds);
    // Split every row's events between two files, and move some rows wholesale.
    let mut a = all.clone();
    let mut b = all.clone();
    for (i, ((_, na), (_, nb))) in a.rows.iter_mut().zip(b.rows.iter_mut()).enumerate() {
        let n = *na;
        *na = if i % 3 == 0 { n } else { n.div_ceil(2) };
        *nb = n - *na;
    }
    b.rows.retain(|(_, n)| *n > 0);
    let fa = write_counts(&a, Format::Csv).unwrap();
    let fb = write_counts(&b, Format::Parquet).unwrap();
    let summed = read_counts([("a.csv", fa.as_slice()), ("b.parquet", fb.as_slice())]).unwrap();
    let cfg = DetectConfig::default();
    assert_eq!(
        json_lines(&detect_counts(&summed, None, &cfg).insights),
        json_lines(&detect_counts(&all, None, &cfg).insights)
    );
    assert_eq!(summed.total_events(), ds.events.len() as u64);
}

#[test]
fn ids_do_not_depend_on_input_event_ids() {
    let (ds, _) = generate_dataset(&GenerateConfig {
        scale: 0.1,
        ..small()
    });
    let mut renumbered = ds.clone();
    let mut events = renumbered.events.to_vec();
    for (i, e) in events.iter_mut().enumerate() {
        e.id = (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xabcdef;
    }
    renumbered.events = events.into();
    let cfg = DetectConfig::default();
    let (one, two) = (detect(&ds, &cfg), detect(&renumbered, &cfg));
    assert!(!one.insights.is_empty());
    assert_eq!(json_lines(&one.insights), json_lines(&two.insights));
    // Distinct Insights get distinct IDs.
    let mut ids: Vec<&str> = one
        .insights
        .iter()
        .flat_map(|i| [&i.shared_event_id, &i.start_event_id, &i.end_event_id])
        .map(String::as_str)
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

fn trailsight(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailsight"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cli_detect_on_counts_files_equals_detect_on_logs() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    for (rel, bytes) in generate(&small()).files {
        let p = logs.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let p = |name: &str| dir.path().join(name).display().to_string();
    let logs = logs.display().to_string();
    for (opts, counts, attrs) in [
        (vec![], p("c.csv.gz"), p("a.csv")),
        (vec!["--include-read-calls"], p("c.parquet"), p("a.parquet")),
    ] {
        let with = |base: &[&str]| -> Vec<String> {
            base.iter()
                .chain(opts.iter())
                .map(|s| s.to_string())
                .collect()
        };
        let run = |args: Vec<String>| {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            trailsight(&refs)
        };
        let (raw_dir, out_dir, insights) = (p("raw"), p("from-counts"), p("bare.jsonl"));
        let (ok, raw, err) = run(with(&["detect", &logs, "--out", &raw_dir]));
        assert!(ok, "{err}");
        assert!(raw.lines().count() >= 6, "{raw}");

        let (ok, _, err) = trailsight(&["counts", &logs, "--out", &counts]);
        assert!(ok, "{err}");
        let (ok, bare, err) = run(with(&["detect", "--counts", &counts]));
        assert!(ok, "{err}");
        assert!(err.contains("attributions: none"), "{err}");
        assert_eq!(without_attributions(&bare), without_attributions(&raw));

        std::fs::write(&insights, &bare).unwrap();
        let (ok, _, err) = run(with(&[
            "counts",
            &logs,
            "--attributions-for",
            &insights,
            "--out",
            &attrs,
        ]));
        assert!(ok, "{err}");
        let (ok, full, err) = run(with(&[
            "detect",
            "--counts",
            &counts,
            "--attributions",
            &attrs,
            "--out",
            &out_dir,
        ]));
        assert!(ok, "{err}");
        assert!(err.contains("attributions: "), "{err}");
        assert_eq!(full, raw, "{err}");
        assert_eq!(tree(Path::new(&out_dir)), tree(Path::new(&raw_dir)));
        std::fs::remove_dir_all(out_dir).unwrap();
        std::fs::remove_dir_all(raw_dir).unwrap();
    }
}

const HEADER: &str =
    "version,account,region,event_source,event_name,event_category,read_only,error_code,minute,events";

fn counts_error(text: &[u8]) -> String {
    match read_counts([("bad.csv", text)]) {
        Ok(t) => panic!("accepted: {} rows", t.rows.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_counts_files_are_refused_with_file_place_and_reason() {
    let row =
        "1,111122223333,us-east-1,ec2.amazonaws.com,RunInstances,Management,false,,29540160,3";
    let ok = format!("{HEADER}\n{row}\n");
    assert_eq!(
        read_counts([("ok.csv", ok.as_bytes())]).unwrap().rows.len(),
        1
    );
    let cases: Vec<(String, &str)> = vec![
        (format!("{}\n{row}\n", HEADER.replace(",events", "")), "line 1: missing column \"events\""),
        (format!("{HEADER},extra\n{row},1\n"), "line 1: unexpected column \"extra\""),
        (format!("{HEADER},minute\n{row},1\n"), "line 1: column \"minute\" appears twice"),
        (format!("{HEADER}\n{}\n", row.replacen("1,", "2,", 1)), "line 2: version 2 is not supported"),
        (format!("{HEADER}\n{row}\n{}\n", row.replace(",3", ",three")), "line 3: events \"three\" is not an integer"),
        (format!("{HEADER}\n{}\n", row.replace("29540160", "soon")), "line 2: minute \"soon\" is not an integer"),
        (format!("{HEADER}\n{}\n", row.replace(",3", ",0")), "line 2: events must be at least 1"),
        (format!("{HEADER}\n{}\n", row.replace("false", "maybe")), "line 2: read_only \"maybe\" is not a boolean"),
        (format!("{HEADER}\n{}\n", row.replace("Management", "Insight")), "line 2: event_category \"Insight\""),
        (format!("{HEADER}\n{row}\n1,111122223333,us-east-1"), "line 3: 3 values where the header has 10"),
        (format!("{HEADER}\n{row}\n\"1\",\"111122223333\",\"us-east-1\",\"ec2\",\"Run\",\"Data\",\"true\",\"\",\"29540160\",\"4"), "line 3: file cut short inside a quoted value"),
        (String::new(), "bad.csv: empty file"),
    ];
    for (text, want) in cases {
        let got = counts_error(text.as_bytes());
        assert!(got.starts_with("bad.csv: "), "{got}");
        assert!(got.contains(want), "want {want:?}, got {got:?}");
    }
    // A gzip file cut short.
    let gz = write_counts(
        &read_counts([("ok.csv", ok.as_bytes())]).unwrap(),
        Format::CsvGz,
    )
    .unwrap();
    assert!(counts_error(&gz[..gz.len() - 6]).contains("gzip stream cut short"));
    // Parquet: another table's columns, and a broken file.
    let attrs = write_attributions(&[], Format::Parquet).unwrap();
    let got = counts_error(&attrs);
    assert!(
        got.contains("schema: unexpected column \"shared_event_id\""),
        "{got}"
    );
    let got = counts_error(b"PAR1 this is not parquet PAR1");
    assert!(got.contains("Parquet"), "{got}");
    let mut cut = write_counts(
        &read_counts([("ok.csv", ok.as_bytes())]).unwrap(),
        Format::Parquet,
    )
    .unwrap();
    cut.truncate(cut.len() / 2);
    assert!(counts_error(&cut).contains("Parquet"));
}

#[test]
fn athena_csv_reads_quoted_values_any_column_order_and_nulls() {
    // Every value quoted, upper-case names, columns shuffled, NULL (empty)
    // read_only inferred from the verb and category from the API.
    let text = "\"EVENTS\",\"minute\",\"version\",\"account\",\"region\",\"event_source\",\"event_name\",\"event_category\",\"read_only\",\"error_code\"\n\
                \"3\",\"29540160\",\"1\",\"111122223333\",\"us-east-1\",\"ec2.amazonaws.com\",\"DescribeInstances\",\"Management\",\"\",\"\"\n\
                \"2\",\"29540161\",\"1\",\"111122223333\",\"us-east-1\",\"s3.amazonaws.com\",\"GetObject\",\"\",\"TRUE\",\"AccessDenied\"\n";
    let t = read_counts([("athena.csv", text.as_bytes())]).unwrap();
    assert_eq!(t.rows.len(), 2);
    let (k, n) = t.rows[0];
    assert_eq!((k.minute, n, k.read_only), (29_540_160, 3, true));
    assert_eq!(t.strings.resolve(k.error_code), "");
    let (k, n) = t.rows[1];
    assert_eq!((n, k.category, k.read_only), (2, Category::Data, true));
    assert_eq!(t.strings.resolve(k.error_code), "AccessDenied");
}

#[test]
fn bad_attributions_files_and_cli_failures_are_reported() {
    let header = "version,shared_event_id,period,attribute,value,events";
    let bad = format!("{header}\n1,abc,during,userAgent,x,1\n");
    let e = read_attributions([("a.csv", bad.as_bytes())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("a.csv: line 2: period \"during\""), "{e}");
    let bad = format!("{header}\n1,abc,start,sourceIp,x,1\n");
    let e = read_attributions([("a.csv", bad.as_bytes())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("attribute \"sourceIp\""), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.csv");
    std::fs::write(&f, format!("{HEADER}\n1,a,b,c,d,Management,false,,x,1\n")).unwrap();
    let (f, d) = (f.display().to_string(), dir.path().display().to_string());
    let (ok, out, err) = trailsight(&["detect", "--counts", &f]);
    assert!(!ok && out.is_empty());
    assert!(
        err.contains("bad.csv: line 2: minute \"x\" is not an integer"),
        "{err}"
    );
    // --attributions needs --counts; logs and counts do not mix.
    let (ok, _, _) = trailsight(&["detect", &d, "--attributions", &f]);
    assert!(!ok);
    let (ok, _, _) = trailsight(&["detect", &d, "--counts", &f]);
    assert!(!ok);
}

/// A dataset of one account/Region from (minute, name, category, read_only).
fn dataset(events: &[(i64, &str, Category, bool)]) -> Dataset {
    let mut strings = Interner::default();
    let mut list = Vec::new();
    for (i, &(minute, name, category, read_only)) in events.iter().enumerate() {
        let s = &mut strings;
        list.push(Event {
            time_ms: minute * 60_000,
            id: i as u128,
            account: s.intern("123456789012"),
            region: s.intern("us-east-1"),
            source: s.intern("s3.amazonaws.com"),
            name: s.intern(name),
            error_code: Interner::EMPTY,
            identity: s.intern("arn:aws:iam::123456789012:user/app"),
            user_agent: s.intern("aws-sdk"),
            source_ip: s.intern("203.0.113.1"),
            event_type: s.intern("AwsApiCall"),
            identity_type: s.intern("IAMUser"),
            read_only,
            read_only_inferred: false,
            category,
            origin: Origin::default(),
        });
    }
    list.sort_by_key(|e| (e.time_ms, e.id));
    Dataset::from_events(strings, list)
}

#[test]
fn data_event_call_rates_count_reads_and_writes() {
    let day0 = 20_514 * 1440;
    let mut ev = Vec::new();
    // Eight days of one read every 30 minutes, of a data API and of a management API.
    for m in (day0..day0 + 8 * 1440).step_by(30) {
        ev.push((m, "GetObject", Category::Data, true));
        ev.push((m, "ListBuckets", Category::Management, true));
    }
    // Then a burst of 40 reads a minute for five minutes of each.
    let burst = day0 + 8 * 1440 + 600;
    for m in burst..burst + 5 {
        for _ in 0..40 {
            ev.push((m, "GetObject", Category::Data, true));
            ev.push((m, "ListBuckets", Category::Management, true));
        }
    }
    ev.push((burst + 120, "ListBuckets", Category::Management, true));
    let ds = dataset(&ev);
    let calls = |cfg: DetectConfig| -> Vec<(String, String)> {
        detect(&ds, &cfg)
            .insights
            .iter()
            .filter(|i| i.key.insight_type == InsightType::ApiCallRateInsight)
            .map(|i| (i.key.name.clone(), i.key.source_category.clone()))
            .collect()
    };
    // Data events watched: the data API's reads are calls; the management reads are not.
    let with_data = calls(DetectConfig {
        include_data_events: true,
        ..Default::default()
    });
    assert_eq!(with_data, [("GetObject".to_string(), "Data".to_string())]);
    // Not watched: nothing; management reads only with --include-read-calls.
    assert!(calls(DetectConfig::default()).is_empty());
    assert_eq!(
        calls(DetectConfig {
            include_read_calls: true,
            ..Default::default()
        }),
        [("ListBuckets".to_string(), "Management".to_string())]
    );
    // The counts path agrees.
    let cfg = DetectConfig {
        include_data_events: true,
        ..Default::default()
    };
    let counts = detect_counts(&CountsTable::from_dataset(&ds), None, &cfg);
    assert_eq!(
        without_attributions(&json_lines(&counts.insights)),
        without_attributions(&json_lines(&detect(&ds, &cfg).insights))
    );
}
