//! The store's record size, its round trip and its merge rules.

use super::*;
use crate::model::Interner;

fn event(strings: &mut Interner, n: u64, time_ms: i64, id: u128, origin: Origin) -> Event {
    let mut s = |t: String| strings.intern(&t);
    Event {
        time_ms,
        id,
        account: s(format!("acct{}", n % 3)),
        region: s(format!("r{}", n % 2)),
        source: s("ec2.amazonaws.com".into()),
        name: s(format!("Op{}", n % 5)),
        error_code: if n.is_multiple_of(4) {
            Interner::EMPTY
        } else {
            s("Denied".into())
        },
        identity: s(format!("arn:u{}", n % 7)),
        user_agent: s(format!("agent{}", n % 2)),
        source_ip: s(format!("10.0.0.{}", n % 9)),
        event_type: s("AwsApiCall".into()),
        identity_type: s("IAMUser".into()),
        read_only: n.is_multiple_of(2),
        read_only_inferred: n.is_multiple_of(3),
        category: if n.is_multiple_of(5) {
            Category::Data
        } else {
            Category::Management
        },
        origin,
    }
}

fn origin(input: u32, entry: u32, offset: u64, embedded: bool) -> Origin {
    Origin {
        input,
        entry,
        offset,
        len: 0,
        embedded,
    }
}

#[test]
fn a_stored_event_is_at_most_48_bytes() {
    assert_eq!(std::mem::size_of::<StoredEvent>(), 40);
    assert!(std::mem::size_of::<StoredEvent>() <= 48);
    assert_eq!(std::mem::align_of::<StoredEvent>(), 8);
}

#[test]
fn events_decode_to_what_was_pushed_except_the_length() {
    let mut strings = Interner::default();
    let origins = [
        origin(0, 0, 0, false),
        origin(3, 7, 123_456, true),
        // Past the packed word's offset bits and source bits: the overflow table.
        origin(1, 2, 1 << 41, false),
        origin(u32::MAX, u32::MAX, u64::MAX, true),
    ];
    let events: Vec<Event> = (0..200u64)
        .map(|n| {
            let mut o = origins[n as usize % origins.len()];
            o.len = 99;
            event(
                &mut strings,
                n,
                n as i64 * 1_000 - 50_000,
                u128::MAX - n as u128,
                o,
            )
        })
        .collect();
    let store = EventStore::from_events(events.clone());
    assert_eq!(store.len(), 200);
    for (i, want) in events.iter().enumerate() {
        let got = store.get(i).unwrap();
        assert_eq!(got.origin.len, 0);
        let want = Event {
            origin: Origin {
                len: 0,
                ..want.origin
            },
            ..*want
        };
        assert_eq!(got, want, "event {i}");
        assert_eq!(store.minute(i), want.minute());
    }
    assert!(store.get(200).is_none());
    // A handful of tuples for 200 events.
    assert!(store.shapes.items.len() <= 60 && store.actors.items.len() <= 126);
    let bytes = serde_json::to_string(&store).unwrap();
    let back: EventStore = serde_json::from_str(&bytes).unwrap();
    assert_eq!(back, store);
}

#[test]
fn merging_sorts_by_time_then_id_and_keeps_the_smallest_origin() {
    // Two inputs with their own string tables; input 1 arrives first.
    let (mut s0, mut s1) = (Interner::default(), Interner::default());
    let a = vec![
        event(&mut s0, 1, 5_000, 7, origin(0, 0, 40, false)),
        event(&mut s0, 2, 1_000, 9, origin(0, 0, 10, false)),
        // The same ID twice at different times in one input: the first offset wins.
        event(&mut s0, 3, 9_000, 3, origin(0, 1, 5, false)),
        event(&mut s0, 4, 2_000, 3, origin(0, 1, 80, false)),
    ];
    let b = vec![
        event(&mut s1, 5, 5_000, 7, origin(1, 0, 0, false)),
        event(&mut s1, 6, 5_000, 2, origin(1, 0, 30, false)),
    ];
    let mut merged = EventStore::new();
    let mut strings = Interner::default();
    for (s, events) in [(&s1, &b), (&s0, &a)] {
        let map: Vec<Sym> = s.strings().map(|t| strings.intern(t)).collect();
        merged.absorb(EventStore::from_events(events.clone()), &map, 6);
    }
    assert_eq!(merged.sort_dedup(), 2);
    let got: Vec<(i64, u128, u32, u64)> = merged
        .iter()
        .map(|e| (e.time_ms, e.id, e.origin.input, e.origin.offset))
        .collect();
    assert_eq!(
        got,
        [
            (1_000, 9, 0, 10),
            (5_000, 2, 1, 30),
            (5_000, 7, 0, 40),
            (9_000, 3, 0, 5)
        ]
    );
    // Strings survive the remap.
    let e = merged.at(0);
    assert_eq!(strings.resolve(e.name), "Op2");
    assert_eq!(strings.resolve(e.identity_type), "IAMUser");
    assert_eq!(merged.minute_range(MinuteRange::new(0, 1)), 0..4);
    assert_eq!(merged.minute_range(MinuteRange::new(1, 9)), 4..4);
}
