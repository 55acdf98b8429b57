use super::*;
use crate::ingest::{self, DatasetBuilder, Limits};
use crate::model::{Category, Origin};

/// One event: (minute, source, name, identity, identity type, agent, ip, error, region, account).
type Spec<'a> = (
    i64,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

fn dataset(specs: &[Spec]) -> Dataset {
    let mut strings = crate::model::Interner::default();
    let mut events = Vec::new();
    for (n, &(minute, source, name, who, kind, agent, ip, error, region, account)) in
        specs.iter().enumerate()
    {
        let s = &mut strings;
        events.push(Event {
            time_ms: minute * 60_000 + (n % 60) as i64 * 1000,
            id: n as u128,
            account: s.intern(account),
            region: s.intern(region),
            source: s.intern(source),
            name: s.intern(name),
            error_code: s.intern(error),
            identity: s.intern(who),
            user_agent: s.intern(agent),
            source_ip: s.intern(ip),
            event_type: s.intern("AwsApiCall"),
            read_only: false,
            read_only_inferred: false,
            category: Category::Management,
            origin: Origin::default(),
            identity_type: s.intern(kind),
        });
    }
    events.sort_by_key(|e| (e.time_ms, e.id));
    Dataset::from_events(strings, events)
}

const ALICE: &str = "arn:aws:iam::1:user/alice";
const ROLE: &str = "arn:aws:sts::1:assumed-role/Deploy";

/// A small mixed load: three APIs, two identities, errors of three codes.
fn sample() -> Dataset {
    let mut specs: Vec<Spec> = Vec::new();
    for m in 0..6 {
        specs.push((
            m,
            "ec2.amazonaws.com",
            "RunInstances",
            ROLE,
            "AssumedRole",
            "terraform",
            "192.0.2.1",
            "",
            "us-east-1",
            "1",
        ));
        specs.push((
            m,
            "iam.amazonaws.com",
            "ListUsers",
            ALICE,
            "IAMUser",
            "console",
            "203.0.113.9",
            "AccessDenied",
            "us-east-1",
            "1",
        ));
    }
    for m in 0..3 {
        specs.push((
            m,
            "s3.amazonaws.com",
            "PutObject",
            ALICE,
            "IAMUser",
            "",
            "203.0.113.9",
            "",
            "eu-west-1",
            "2",
        ));
    }
    specs.push((
        9,
        "ec2.amazonaws.com",
        "RunInstances",
        ROLE,
        "AssumedRole",
        "terraform",
        "192.0.2.1",
        "Client.UnauthorizedOperation",
        "us-east-1",
        "1",
    ));
    specs.push((
        9,
        "ec2.amazonaws.com",
        "RunInstances",
        ROLE,
        "AssumedRole",
        "terraform",
        "192.0.2.1",
        "InsufficientInstanceCapacity",
        "us-east-1",
        "1",
    ));
    dataset(&specs)
}

fn values(list: &TopList) -> Vec<(&str, &str, u64)> {
    list.entries
        .iter()
        .map(|c| (c.value.as_str(), c.detail.as_str(), c.count))
        .collect()
}

#[test]
fn top_lists_are_ranked_by_count_then_value_with_totals() {
    let o = overview(&sample(), &EventFilter::default());
    assert_eq!((o.events, o.errors, o.access_denied), (17, 8, 7));
    assert_eq!(
        values(&o.apis),
        [
            ("RunInstances", "ec2.amazonaws.com", 8),
            ("ListUsers", "iam.amazonaws.com", 6),
            ("PutObject", "s3.amazonaws.com", 3)
        ]
    );
    // Alice (9) before the role (8); each with its identity type.
    assert_eq!(
        values(&o.identities),
        [(ALICE, "IAMUser", 9), (ROLE, "AssumedRole", 8)]
    );
    assert_eq!(
        values(&o.identity_types),
        [("IAMUser", "", 9), ("AssumedRole", "", 8)]
    );
    // Every error code, AccessDenied first; a tie (1 and 1) goes by value.
    assert_eq!(
        values(&o.error_codes),
        [
            ("AccessDenied", "", 6),
            ("Client.UnauthorizedOperation", "", 1),
            ("InsufficientInstanceCapacity", "", 1)
        ]
    );
    assert_eq!(o.error_codes.missing, 9, "the calls that succeeded");
    // Three PutObject calls had no user agent.
    assert_eq!((o.user_agents.missing, o.user_agents.distinct), (3, 2));
    assert_eq!(
        values(&o.regions),
        [("us-east-1", "", 14), ("eu-west-1", "", 3)]
    );
    assert_eq!(values(&o.accounts), [("1", "", 14), ("2", "", 3)]);
    assert_eq!(o.first_ms, Some(0));
    assert_eq!(o.last_ms.map(|t| t / 60_000), Some(9));
}

#[test]
fn long_lists_keep_ten_and_sum_the_rest_but_error_codes_keep_all() {
    let ips: Vec<String> = (0..25).map(|i| format!("10.0.0.{i:02}")).collect();
    let codes: Vec<String> = (0..25).map(|i| format!("Error{i:02}")).collect();
    let mut specs: Vec<Spec> = Vec::new();
    for (i, (ip, code)) in ips.iter().zip(&codes).enumerate() {
        // Address i is used i + 1 times.
        for _ in 0..=i {
            specs.push((0, "s", "n", "who", "IAMUser", "ua", ip, code, "r", "a"));
        }
    }
    let o = overview(&dataset(&specs), &EventFilter::default());
    let top: Vec<&str> = o
        .source_ips
        .entries
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    let want: Vec<&str> = ips.iter().rev().take(TOP_N).map(String::as_str).collect();
    assert_eq!(top, want);
    assert_eq!(o.source_ips.distinct, 25);
    let shown: u64 = o.source_ips.entries.iter().map(|c| c.count).sum();
    assert_eq!(shown + o.source_ips.other, o.events);
    assert_eq!(o.error_codes.entries.len(), 25);
    assert_eq!(o.error_codes.other, 0);
}

#[test]
fn an_identity_under_two_types_shows_its_most_frequent_one() {
    let mut specs: Vec<Spec> = Vec::new();
    for kind in ["Root", "Root", "IAMUser", "FederatedUser", "FederatedUser"] {
        specs.push((0, "s", "n", "x", kind, "ua", "ip", "", "r", "a"));
    }
    let o = overview(&dataset(&specs), &EventFilter::default());
    // Root and FederatedUser tie at two: the alphabetically first wins.
    assert_eq!(values(&o.identities), [("x", "FederatedUser", 5)]);
}

/// A bar's count is exactly the number of events the events view lists for it.
#[test]
fn every_bar_count_is_the_events_view_total_of_its_filter() {
    let ds = sample();
    let o = overview(&ds, &EventFilter::default());
    let mut filters = Vec::new();
    for c in &o.apis.entries {
        filters.push(EventFilter {
            source: Some(c.detail.clone()),
            name: Some(c.value.clone()),
            ..Default::default()
        });
    }
    for c in &o.identities.entries {
        filters.push(EventFilter {
            identity: Some(c.value.clone()),
            ..Default::default()
        });
    }
    for c in &o.error_codes.entries {
        filters.push(EventFilter {
            error_code: Some(c.value.clone()),
            ..Default::default()
        });
    }
    for c in &o.source_ips.entries {
        filters.push(EventFilter {
            source_ip: Some(c.value.clone()),
            ..Default::default()
        });
    }
    let counts = o
        .apis
        .entries
        .iter()
        .chain(&o.identities.entries)
        .chain(&o.error_codes.entries);
    for (f, c) in filters.iter().zip(counts.chain(&o.source_ips.entries)) {
        let (_, total) = events_page(&ds, f, 0, 5);
        assert_eq!(u64::from(total), c.count, "{f:?}");
        assert_eq!(overview(&ds, f).events, c.count, "{f:?}");
    }
}

#[test]
fn filters_combine_and_a_range_is_half_open() {
    let ds = sample();
    let f = EventFilter {
        identity: Some(ALICE.into()),
        region: Some("us-east-1".into()),
        range: Some(MinuteRange::new(2, 5)),
        ..Default::default()
    };
    let (rows, total) = events_page(&ds, &f, 0, 100);
    assert_eq!(total, 3, "ListUsers at minutes 2, 3 and 4");
    assert!(rows
        .iter()
        .all(|r| r.name == "ListUsers" && r.identity_type == "IAMUser"));
    let minutes: Vec<i64> = rows.iter().map(|r| r.time_ms / 60_000).collect();
    assert_eq!(minutes, [2, 3, 4]);
    // "Succeeded" is the empty error code.
    let ok = EventFilter {
        error_code: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(events_page(&ds, &ok, 0, 0).1, 9);
    // A value that never occurs, and an empty or reversed range: nothing.
    let none = EventFilter {
        user_agent: Some("curl".into()),
        ..Default::default()
    };
    assert_eq!(events_page(&ds, &none, 0, 10), (Vec::new(), 0));
    assert_eq!(overview(&ds, &none).events, 0);
    for r in [
        MinuteRange::new(5, 5),
        MinuteRange::new(9, 2),
        MinuteRange::new(i64::MIN, i64::MIN),
    ] {
        let f = EventFilter {
            range: Some(r),
            ..Default::default()
        };
        assert_eq!(events_page(&ds, &f, 0, 10).1, 0, "{r:?}");
    }
    let all = EventFilter {
        range: Some(MinuteRange::new(i64::MIN, i64::MAX)),
        ..Default::default()
    };
    assert_eq!(events_page(&ds, &all, 0, 0).1, 17);
}

#[test]
fn pages_are_in_time_order_and_their_rows_are_the_datasets() {
    let ds = sample();
    let f = EventFilter::default();
    let (all, total) = events_page(&ds, &f, 0, 1_000);
    assert_eq!((all.len(), total), (17, 17));
    assert!(all.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
    for r in &all {
        assert_eq!(ds.row(r.index as usize).as_ref(), Some(r));
    }
    let mut paged = Vec::new();
    for p in 0..4 {
        let (rows, t) = events_page(&ds, &f, p * 5, 5);
        assert_eq!(t, 17);
        paged.extend(rows);
    }
    assert_eq!(paged, all);
    assert_eq!(events_page(&ds, &f, u32::MAX, u32::MAX), (Vec::new(), 17));
}

#[test]
fn access_denied_and_friends() {
    for code in [
        "AccessDenied",
        "AccessDeniedException",
        "Client.UnauthorizedOperation",
        "UnauthorizedOperation",
        "NotAuthorizedException",
        "Forbidden",
    ] {
        assert!(is_access_denied(code), "{code}");
    }
    for code in [
        "ThrottlingException",
        "NoSuchBucket",
        "InvalidParameterValue",
        "",
    ] {
        assert!(!is_access_denied(code), "{code}");
    }
}

/// `userIdentity.type` is read by the fast reader and by serde (the fast
/// reader leaves a record with an escape in a kept field, here `userAgent`,
/// to serde), and survives the merge.
#[test]
fn ingest_reads_the_identity_type_on_both_paths() {
    let record = |id: &str, agent: &str, identity: &str| {
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{identity},"eventTime":"2026-03-01T00:00:0{id}Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"{agent}","eventID":"00000000-0000-0000-0000-00000000000{id}","eventType":"AwsApiCall","recipientAccountId":"1"}}"#
        )
    };
    let root = r#"{"type":"Root","principalId":"1","arn":"arn:aws:iam::1:root","accountId":"1"}"#;
    let service = r#"{"type":"AWSService","invokedBy":"backup.amazonaws.com"}"#;
    let fast = record("1", "aws-cli", root);
    let escaped = record("2", "aws-cli\\/2", service);
    let text = format!(
        r#"{{"Records":[{fast},{escaped},{}]}}"#,
        record("3", "x", "null")
    );
    let batch = ingest::parse_bytes(0, "a.json", text.as_bytes(), &Limits::default());
    let mut builder = DatasetBuilder::new();
    builder.add("a.json".into(), batch);
    let (ds, _) = builder.finish();
    let kinds: Vec<&str> = ds
        .events
        .iter()
        .map(|e| ds.strings.resolve(e.identity_type))
        .collect();
    assert_eq!(kinds, ["Root", "AWSService", ""]);
    let o = overview(&ds, &EventFilter::default());
    assert_eq!(o.identities.missing, 1);
    assert_eq!(
        values(&o.identity_types),
        [("AWSService", "", 1), ("Root", "", 1)]
    );
}
