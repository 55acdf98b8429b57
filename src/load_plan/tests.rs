//! The planner's rules, request by request: split `.zip` planning, grouping,
//! worker count, the event budget, a cancelled load and a failed file.

use super::*;
use crate::ingest::{parse_bytes, parse_reader_part, DatasetBuilder, Limits};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

const MIB: u64 = 1 << 20;

fn file(name: &str, size: u64) -> PlanFile {
    PlanFile {
        name: name.into(),
        size,
    }
}

/// The browser's plan with 64 MiB parts (the figures below follow from it).
fn config(workers: usize) -> PlanConfig {
    PlanConfig {
        part_bytes: 64 * MIB,
        ..PlanConfig::browser(workers, 1_000_000)
    }
}

fn jobs(nexts: Vec<Next>) -> Vec<Job> {
    nexts
        .into_iter()
        .filter_map(|n| match n {
            Next::Send(job) => Some(job),
            _ => None,
        })
        .collect()
}

/// Runs `plan` to its end with workers that answer in order, each request
/// read as `read(job)`; returns every job sent and how many times it finished.
fn drive(plan: &mut LoadPlan, read: impl Fn(&Job) -> Totals) -> (Vec<Job>, usize) {
    let mut pending: VecDeque<Job> = jobs(plan.start()).into();
    let (mut sent, mut finishes) = (Vec::new(), 0);
    while let Some(job) = pending.pop_front() {
        plan.parsed(job.worker, read(&job));
        let next = plan.next(job.worker);
        for n in [next, plan.forwarded(false)] {
            match n {
                Next::Send(j) => pending.push_back(j),
                Next::Finish => finishes += 1,
                Next::Wait | Next::Stopped => {}
            }
        }
        sent.push(job);
    }
    (sent, finishes)
}

fn no_events(_: &Job) -> Totals {
    Totals::default()
}

#[test]
fn a_large_zip_is_split_by_size_and_every_part_is_planned_once() {
    let size = 649 * MIB;
    let mut plan = LoadPlan::new(&[file("s10.zip", size)], config(2));
    assert_eq!(plan.workers(), 2);
    let (sent, finishes) = drive(&mut plan, no_events);
    assert_eq!(finishes, 1);
    // 649 MiB at 64 MiB per part.
    assert_eq!(sent.len(), 11);
    let mut parts: Vec<u32> = sent
        .iter()
        .map(|j| {
            assert_eq!(j.pieces.len(), 1, "a part goes alone");
            assert_eq!(j.pieces[0].parts, 11);
            j.pieces[0].part
        })
        .collect();
    parts.sort_unstable();
    assert_eq!(parts, (0..11).collect::<Vec<_>>());
    let bytes: u64 = sent.iter().map(|j| j.pieces[0].bytes).sum();
    assert!(bytes <= size && size - bytes < 11);
    // Both workers get parts.
    assert!(sent.iter().any(|j| j.worker == 0) && sent.iter().any(|j| j.worker == 1));
    // The browser's own plan bounds every part by its part size.
    let browser = PlanConfig::browser(2, 1_000_000);
    let plan = LoadPlan::new(&[file("s40.zip", 2541 * MIB)], browser.clone());
    assert!(plan.queue.len() > 2);
    assert!(plan.queue.iter().all(|p| p.bytes <= browser.part_bytes));
}

#[test]
fn a_mid_size_zip_is_shared_by_the_workers_and_a_small_one_is_not_split() {
    let plan = LoadPlan::new(&[file("a.zip", 20 * MIB)], config(4));
    assert_eq!((plan.workers(), plan.queue.len()), (4, 4));
    let plan = LoadPlan::new(&[file("a.zip", 20 * MIB)], config(1));
    assert_eq!((plan.workers(), plan.queue.len()), (1, 1));
    let plan = LoadPlan::new(&[file("a.zip", 200 * MIB)], config(1));
    assert_eq!(plan.queue.len(), 4, "one worker still gets bounded parts");
    let plan = LoadPlan::new(&[file("small.ZIP", 2 * MIB)], config(4));
    assert_eq!((plan.workers(), plan.queue.len()), (1, 1));
    // Other containers are never split.
    let plan = LoadPlan::new(&[file("big.tar.gz", 900 * MIB)], config(4));
    assert_eq!((plan.workers(), plan.queue.len()), (1, 1));
}

#[test]
fn small_files_are_batched_per_request_and_big_ones_go_first() {
    // Sizes not read (a big folder): by count.
    let files: Vec<PlanFile> = (0..100)
        .map(|i| file(&format!("f{i}.json.gz"), 0))
        .collect();
    let mut plan = LoadPlan::new(&files, config(2));
    assert_eq!(plan.workers(), 2);
    let (sent, finishes) = drive(&mut plan, no_events);
    assert_eq!(finishes, 1);
    let sizes: Vec<usize> = sent.iter().map(|j| j.pieces.len()).collect();
    assert_eq!(sizes, [32, 32, 32, 4]);
    let mut inputs: Vec<u32> = sent
        .iter()
        .flat_map(|j| j.pieces.iter().map(|p| p.input))
        .collect();
    assert_eq!(
        inputs[..3],
        [0, 1, 2],
        "the user's order when sizes are unknown"
    );
    inputs.sort_unstable();
    assert_eq!(inputs, (0..100).collect::<Vec<_>>());

    // Known sizes: biggest first, a request closes at 8 MiB.
    let files = [
        file("a.json", MIB),
        file("b.json.gz", 5 * MIB),
        file("c.json", 5 * MIB),
        file("d.tar", 30 * MIB),
    ];
    let mut plan = LoadPlan::new(&files, config(8));
    assert_eq!(plan.workers(), 4);
    let inputs: Vec<Vec<u32>> = jobs(plan.start())
        .iter()
        .map(|j| j.pieces.iter().map(|p| p.input).collect())
        .collect();
    assert_eq!(inputs, [vec![3], vec![1, 2], vec![0]]);
}

#[test]
fn each_request_may_read_what_is_left_of_the_budget() {
    let files: Vec<PlanFile> = (0..200).map(|i| file(&format!("f{i}.json"), 0)).collect();
    let mut plan = LoadPlan::new(&files, PlanConfig::browser(2, 1000));
    let first = jobs(plan.start());
    assert!(first.iter().all(|j| j.max_events == 1000));
    plan.progress(
        1,
        Totals {
            bytes: 10,
            events: 300,
            files: 3,
        },
    );
    plan.parsed(
        0,
        Totals {
            bytes: 20,
            events: 400,
            files: 32,
        },
    );
    let Next::Send(job) = plan.next(0) else {
        panic!("more is queued")
    };
    assert_eq!(job.max_events, 300, "1000 less 400 read and 300 being read");
    assert_eq!(
        plan.totals(),
        Totals {
            bytes: 0,
            events: 700,
            files: 35
        }
    );
    // The analysis worker's guard is reached: nothing more is sent, and the
    // load finishes once the requests in flight are acknowledged.
    assert_eq!(plan.forwarded(true), Next::Wait);
    assert_eq!(plan.next(1), Next::Wait);
    let in_flight = plan.in_flight;
    for _ in 1..in_flight {
        assert_eq!(plan.forwarded(false), Next::Wait);
    }
    assert_eq!(plan.forwarded(false), Next::Finish);
    assert_eq!(plan.next(0), Next::Stopped);
}

#[test]
fn the_budget_is_never_divided_among_the_parts() {
    // A part of a split archive may read all that is left: dividing the
    // budget among 11 parts would stop each early and lose events that fit.
    let mut plan = LoadPlan::new(&[file("s40.zip", 649 * MIB)], PlanConfig::browser(2, 50));
    assert!(jobs(plan.start()).iter().all(|j| j.max_events == 50));
}

#[test]
fn no_request_reads_more_than_one_batch_may_hold() {
    // A big `.tar` cannot be split: its one request stops at the batch cap,
    // while the load's budget stays open for the inputs after it.
    let config = PlanConfig {
        batch_max_events: 400,
        ..PlanConfig::browser(2, 1000)
    };
    let files = [file("big.tar", 900 * MIB), file("small.json", 1)];
    let mut plan = LoadPlan::new(&files, config);
    let first = jobs(plan.start());
    assert!(!first.is_empty());
    assert!(first.iter().all(|j| j.max_events == 400), "{first:?}");
    plan.parsed(
        0,
        Totals {
            bytes: 900 * MIB,
            events: 400,
            files: 1,
        },
    );
    assert_eq!(
        plan.forwarded(false),
        Next::Wait,
        "not full: the load goes on"
    );
    assert_eq!(BROWSER_BATCH_MAX_EVENTS, 10_066_329);
    assert_eq!(
        PlanConfig::browser(2, 7).batch_max_events,
        BROWSER_BATCH_MAX_EVENTS
    );
}

#[test]
fn a_cancelled_load_sends_nothing_more_and_never_finishes() {
    let files: Vec<PlanFile> = (0..100).map(|i| file(&format!("f{i}.json"), 0)).collect();
    let mut plan = LoadPlan::new(&files, config(2));
    let first = jobs(plan.start());
    assert_eq!(first.len(), 4);
    plan.cancel();
    assert!(plan.is_stopped());
    for job in &first {
        plan.parsed(job.worker, Totals::default());
        assert_eq!(plan.next(job.worker), Next::Stopped);
        assert_eq!(plan.forwarded(false), Next::Stopped);
    }
}

#[test]
fn a_failed_request_stops_the_plan_and_a_failed_file_does_not_stall_it() {
    // A file that cannot be read is answered like any other (listed as
    // skipped, no events): the plan goes on and finishes.
    let files: Vec<PlanFile> = (0..40).map(|i| file(&format!("f{i}.json"), 0)).collect();
    let mut plan = LoadPlan::new(&files, config(2));
    let (sent, finishes) = drive(&mut plan, |j| Totals {
        bytes: 0,
        events: if j.pieces[0].input == 0 { 0 } else { 10 },
        files: j.pieces.len() as u32,
    });
    assert_eq!((sent.len(), finishes), (2, 1));
    assert_eq!(plan.totals().files, 40);
    // A request that fails as a whole (its answer is an error) fails the load.
    let mut plan = LoadPlan::new(&files, config(2));
    let first = jobs(plan.start());
    plan.fail();
    assert_eq!(plan.next(first[0].worker), Next::Stopped);
    assert_eq!(plan.forwarded(false), Next::Stopped);
}

/// A stored zip of `entries` files of 10 records each.
fn zip(entries: usize) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for e in 0..entries {
        let records: Vec<String> = (e * 10..e * 10 + 10)
            .map(|i| {
                format!(
                    r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T10:{:02}:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","eventID":"00000000-0000-4000-8000-{i:012}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#,
                    i % 60
                )
            })
            .collect();
        z.start_file(format!("AWSLogs/f{e}.json"), opts).unwrap();
        z.write_all(format!(r#"{{"Records":[{}]}}"#, records.join(",")).as_bytes())
            .unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn the_planned_parts_of_a_zip_read_every_entry_once() {
    let bytes = zip(23);
    let limits = Limits::default();
    let whole = parse_bytes(0, "logs.zip", &bytes, &limits);
    assert_eq!(whole.events.len(), 230);
    let config = PlanConfig {
        chunk_bytes: 1024,
        part_bytes: bytes.len() as u64 / 5,
        ..config(2)
    };
    let mut plan = LoadPlan::new(&[file("logs.zip", bytes.len() as u64)], config);
    let (sent, _) = drive(&mut plan, no_events);
    assert!(sent.len() >= 5, "{} parts", sent.len());
    let mut entries: BTreeMap<u32, usize> = BTreeMap::new();
    let mut builder = DatasetBuilder::new();
    for job in &sent {
        let p = job.pieces[0];
        let batch = parse_reader_part(
            0,
            "logs.zip",
            Cursor::new(&bytes[..]),
            &limits,
            p.part,
            p.parts,
        );
        for e in &batch.events {
            *entries.entry(e.origin.entry).or_default() += 1;
        }
        builder.add("logs.zip".into(), batch);
    }
    let (_, report) = builder.finish();
    assert_eq!(
        (report.events, report.duplicates, report.files),
        (230, 0, 23)
    );
    // Every entry is read by one part: all its 10 events, once.
    assert_eq!(entries.len(), 23);
    assert!(entries.values().all(|&n| n == 10));
}
