//! The merge step and its string table: `Interner` semantics (symbol 0 is "",
//! first-come numbering, serde as a plain sequence) and `DatasetBuilder`
//! deduplication (first copy in input order wins, whatever its time) and
//! ordering (`(time_ms, id)`, ties in time broken by ID).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

mod ingest_fixtures;

use ingest_fixtures::*;
use trailsight::ingest::{parse_bytes, DatasetBuilder, Limits};
use trailsight::model::{Interner, Sym};

#[test]
fn interner_numbers_strings_in_first_come_order() {
    let mut s = Interner::default();
    assert_eq!(s.len(), 1);
    assert!(s.is_empty());
    assert_eq!(s.resolve(Interner::EMPTY), "");
    assert_eq!(s.get(""), Some(Interner::EMPTY));
    assert_eq!(s.intern(""), Interner::EMPTY);
    let a = s.intern("us-east-1");
    let b = s.intern("ünïcode ✓");
    assert_eq!((a, b), (Sym(1), Sym(2)));
    assert_eq!(s.intern("us-east-1"), a);
    assert_eq!(s.get("ünïcode ✓"), Some(b));
    assert_eq!(s.get("us-east"), None);
    assert_eq!(s.resolve(b), "ünïcode ✓");
    assert!(!s.is_empty());
    // Many strings, including prefixes of each other: the table grows and
    // every string keeps its symbol.
    let words: Vec<String> = (0..5000)
        .map(|i| "x".repeat(i % 50) + &i.to_string())
        .collect();
    let syms: Vec<Sym> = words.iter().map(|w| s.intern(w)).collect();
    for (w, &sym) in words.iter().zip(&syms) {
        assert_eq!(s.resolve(sym), w);
        assert_eq!(s.get(w), Some(sym));
    }
    assert_eq!(s.len(), 3 + words.len());
    let all: Vec<&str> = s.strings().collect();
    assert_eq!(&all[..3], ["", "us-east-1", "ünïcode ✓"]);
    assert_eq!(
        all[3..],
        words.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
    // A clone is independent of the original.
    let mut c = s.clone();
    let new = c.intern("only in the clone");
    assert_eq!(s.get("only in the clone"), None);
    assert_eq!(c.resolve(new), "only in the clone");
}

#[test]
fn interner_serialises_as_its_strings_and_rebuilds_lookups() {
    let mut s = Interner::default();
    for w in ["b", "a", "c", "a"] {
        s.intern(w);
    }
    let text = serde_json::to_string(&s).unwrap();
    assert_eq!(text, r#"["","b","a","c"]"#);
    let mut back: Interner = serde_json::from_str(&text).unwrap();
    assert_eq!(back.strings().collect::<Vec<_>>(), ["", "b", "a", "c"]);
    assert_eq!(back.get("c"), Some(Sym(3)));
    assert_eq!(back.intern("d"), Sym(4));
    // A sequence with a repeat keeps every position (events refer to them);
    // lookups find the first.
    let mut dup: Interner = serde_json::from_str(r#"["","x","y","x"]"#).unwrap();
    assert_eq!(dup.len(), 4);
    assert_eq!(dup.resolve(Sym(3)), "x");
    assert_eq!(dup.get("x"), Some(Sym(1)));
    dup.rebuild_index();
    assert_eq!(dup.get("x"), Some(Sym(1)));
    assert_eq!(dup.intern("y"), Sym(2));
    assert!(serde_json::from_str::<Interner>(r#"["", 3]"#).is_err());
}

/// An event of `account` in `region` (otherwise the fixture's event).
fn event_in(n: u32, time: &str, account: &str, region: &str) -> serde_json::Value {
    let mut e = event(n, time, "RunInstances");
    e["recipientAccountId"] = account.into();
    e["awsRegion"] = region.into();
    // No fallback account from the identity either.
    e["userIdentity"]["accountId"] = account.into();
    e
}

#[test]
fn first_copy_in_input_order_wins_and_order_is_time_then_id() {
    // Input 0 holds event 7 late; input 1 holds an earlier copy of it, which
    // must be dropped even though it would sort first.
    let a = records(&[
        event_in(9, "2024-01-01T00:00:05Z", "111111111111", "eu-west-1"),
        event_in(7, "2024-01-01T00:00:09Z", "111111111111", "eu-west-1"),
        event_in(3, "2024-01-01T00:00:05Z", "111111111111", "eu-west-1"),
    ]);
    let b = records(&[
        event_in(7, "2024-01-01T00:00:01Z", "222222222222", "us-east-1"),
        event_in(5, "2024-01-01T00:00:05Z", "222222222222", "us-east-1"),
        event_in(1, "2024-01-01T00:00:05Z", "", ""),
        event_in(5, "2024-01-01T00:00:05Z", "222222222222", "us-east-1"),
    ]);
    let limits = Limits::default();
    let merge = |order: &[u32]| {
        let mut builder = DatasetBuilder::new();
        for &i in order {
            let (name, bytes) = [("a.json", &a), ("b.json", &b)][i as usize];
            builder.add(name.into(), parse_bytes(i, name, bytes, &limits));
        }
        builder.finish()
    };
    let (ds, r) = merge(&[0, 1]);
    reconciled(&r);
    assert_eq!((r.records, r.events, r.duplicates), (7, 5, 2));
    let got: Vec<(String, u32, &str)> = ds
        .events
        .iter()
        .map(|e| {
            let t = trailsight::model::format_event_id(e.id);
            (
                t[..8].to_string(),
                e.origin.input,
                ds.strings.resolve(e.account),
            )
        })
        .collect();
    let want = [
        // All at 00:00:05, in ID order, whichever input they came from.
        ("00000001", 1, ""),
        ("00000003", 0, "111111111111"),
        ("00000005", 1, "222222222222"),
        ("00000009", 0, "111111111111"),
        // The copy from input 0 at 00:00:09, not input 1's at 00:00:01.
        ("00000007", 0, "111111111111"),
    ];
    let want: Vec<(String, u32, &str)> = want
        .iter()
        .map(|&(id, input, acct)| (id.to_string(), input, acct))
        .collect();
    assert_eq!(got, want);
    assert_eq!(r.accounts, ["111111111111", "222222222222"]);
    assert_eq!(r.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(r.first_event_ms, Some(ds.events.at(0).time_ms));
    assert_eq!(r.last_event_ms, Some(ds.events.at(4).time_ms));
    // Delivery order does not matter.
    let (ds2, r2) = merge(&[1, 0]);
    assert_eq!((ds2.events, r2), (ds.events, r));
}

#[test]
fn a_symbol_outside_its_batch_table_becomes_empty() {
    // Batches arrive from web workers; a corrupt one must not borrow strings
    // from the batch merged after it.
    let limits = Limits::default();
    let mut bad = parse_bytes(
        0,
        "a.json",
        &records(&[event(1, "2024-01-01T00:00:00Z", "A")]),
        &limits,
    );
    let n = bad.strings.len() as u32;
    bad.events[0].account = Sym(n);
    bad.events[0].region = Sym(n + 1);
    let next = parse_bytes(
        1,
        "b.json",
        &records(&[event_in(
            2,
            "2024-01-01T00:00:01Z",
            "333333333333",
            "ap-south-1",
        )]),
        &limits,
    );
    let mut builder = DatasetBuilder::new();
    builder.add("a.json".into(), bad);
    builder.add("b.json".into(), next);
    let (ds, r) = builder.finish();
    assert_eq!(ds.events.len(), 2);
    assert_eq!(ds.strings.resolve(ds.events.at(0).account), "");
    assert_eq!(ds.strings.resolve(ds.events.at(0).region), "");
    assert_eq!(ds.strings.resolve(ds.events.at(1).region), "ap-south-1");
    assert_eq!(r.accounts, ["333333333333"]);
}
