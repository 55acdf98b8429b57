//! Tests of the pairing rule and the reader of AWS's records.

use super::*;

/// What a test Insight varies.
#[derive(Clone)]
struct Spec {
    id: &'static str,
    account: &'static str,
    region: &'static str,
    source: &'static str,
    name: &'static str,
    kind: &'static str,
    error: Option<&'static str>,
    /// Start minute after 2024-12-11T16:00Z and duration in minutes.
    start: i64,
    duration: i64,
}

const BASE: i64 = 1_733_932_800 / 60; // 2024-12-11T16:00:00Z

fn spec() -> Spec {
    Spec {
        id: "aws-1",
        account: "111122223333",
        region: "us-east-1",
        source: "ec2.amazonaws.com",
        name: "RunInstances",
        kind: "ApiCallRateInsight",
        error: None,
        start: 10,
        duration: 6,
    }
}

fn time(minute: i64) -> String {
    crate::format::record_time(BASE + minute)
}

/// An AWS record (Start or End) of `s`, as CloudTrail writes it.
fn record(s: &Spec, state: &str) -> String {
    let minute = if state == "Start" {
        s.start
    } else {
        s.start + s.duration
    };
    let error = s
        .error
        .map(|e| format!("\"errorCode\":\"{e}\","))
        .unwrap_or_default();
    format!(
        "{{\"eventVersion\":\"1.08\",\"eventTime\":\"{}\",\"awsRegion\":\"{}\",\"eventID\":\"{}-{state}\",\
         \"eventType\":\"AwsCloudTrailInsight\",\"recipientAccountId\":\"{}\",\"sharedEventID\":\"{}\",\
         \"insightDetails\":{{\"state\":\"{state}\",\"eventSource\":\"{}\",\"eventName\":\"{}\",\
         \"insightType\":\"{}\",{error}\"insightContext\":{{\"statistics\":{{\"baseline\":{{\"average\":0.5}},\
         \"insight\":{{\"average\":12}},\"insightDuration\":{},\"baselineDuration\":10080}},\
         \"attributions\":[{{\"attribute\":\"userIdentityArn\",\"insight\":[{{\"value\":\"arn:x\",\"average\":12}}],\
         \"baseline\":[]}}]}}}},\"eventCategory\":\"Insight\"}}",
        time(minute),
        s.region,
        s.id,
        s.account,
        s.id,
        s.source,
        s.name,
        s.kind,
        s.duration,
    )
}

fn both(s: &Spec) -> Vec<String> {
    vec![record(s, "Start"), record(s, "End")]
}

/// The Insight the reader makes of `s` (stands in for ours too).
fn insight(s: &Spec) -> Insight {
    let (mut got, bad) = read_aws_insights(&both(s));
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(got.len(), 1);
    got.remove(0)
}

fn ours(s: Spec) -> Insight {
    let mut i = insight(&s);
    i.shared_event_id = format!("ours-{}", s.id);
    i
}

#[test]
fn records_read_into_an_insight() {
    let mut s = spec();
    s.kind = "ApiErrorRateInsight";
    s.error = Some("AccessDenied");
    let i = insight(&s);
    assert_eq!(i.key.insight_type, InsightType::ApiErrorRateInsight);
    assert_eq!(i.key.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!((i.start_minute, i.end_minute), (BASE + 10, BASE + 16));
    assert_eq!((i.insight_duration, i.baseline_duration), (6, 10080));
    assert_eq!((i.baseline_average, i.insight_average), (0.5, 12.0));
    assert_eq!(i.start_event_id, "aws-1-Start");
    assert_eq!(i.attributions[0].insight[0].value, "arn:x");
    assert!(i.start_record_json.contains("\"Start\""));
    assert!(i.end_record_json.contains("\"End\""));
}

#[test]
fn one_record_of_two_is_enough_and_repeats_count_once() {
    let s = spec();
    let (got, _) = read_aws_insights(&[record(&s, "End")]);
    assert_eq!(got[0].start_minute, BASE + 10);
    assert!(got[0].start_record_json.is_empty());
    let (got, _) = read_aws_insights(&[record(&s, "Start")]);
    assert_eq!(got[0].end_minute, BASE + 16);
    let mut twice = both(&s);
    twice.extend(both(&s));
    assert_eq!(read_aws_insights(&twice).0.len(), 1);
}

#[test]
fn a_bad_record_is_named_and_does_not_hide_the_others() {
    let s = spec();
    let mut records = vec!["{not json".to_string()];
    records.extend(both(&s));
    records.push(record(&s, "Start").replace("\"Start\"", "\"Middle\""));
    let (got, bad) = read_aws_insights(&records);
    assert_eq!(got.len(), 1);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].starts_with("record 1:"));
    assert!(bad[1].starts_with("record 4:") && bad[1].contains("Middle"));
}

#[test]
fn the_same_insight_pairs() {
    let s = spec();
    let p = pairing(&[ours(s.clone())], &both(&s));
    assert_eq!(
        p.pairs,
        [Pair {
            ours: "ours-aws-1".into(),
            aws: "aws-1".into()
        }]
    );
    assert_eq!(p.found_by("ours-aws-1"), FoundBy::Both);
    assert_eq!(p.found_by("aws-1"), FoundBy::Both);
    assert_eq!(p.aws_only().count(), 0);
    assert_eq!(
        p.aws_for("ours-aws-1").map(|a| a.start_minute),
        Some(BASE + 10)
    );
    assert_eq!(p.counts(1), (1, 0, 0));
}

#[test]
fn each_field_must_match() {
    let changes: [fn(&mut Spec); 6] = [
        |s| s.account = "444455556666",
        |s| s.region = "eu-west-1",
        |s| s.source = "iam.amazonaws.com",
        |s| s.name = "TerminateInstances",
        |s| {
            s.kind = "ApiErrorRateInsight";
            s.error = Some("AccessDenied");
        },
        |s| s.error = Some("Throttling"),
    ];
    let mut errors = spec();
    errors.kind = "ApiErrorRateInsight";
    errors.error = Some("AccessDenied");
    for (n, change) in changes.iter().enumerate() {
        // The last change (error code) is tested on an error-rate pair.
        let base = if n == 5 { errors.clone() } else { spec() };
        let mut other = base.clone();
        change(&mut other);
        let p = pairing(&[ours(base.clone())], &both(&other));
        assert!(p.pairs.is_empty(), "change {n} still paired");
        assert_eq!(p.found_by("ours-aws-1"), FoundBy::Trailsight);
        assert_eq!(p.found_by("aws-1"), FoundBy::Aws);
        assert_eq!(p.aws_only().count(), 1);
        assert_eq!(p.counts(1), (0, 1, 1));
    }
}

#[test]
fn overlap_allows_five_minutes_of_slack_each_side() {
    // Ours is [10, 16); AWS's starts later and later.
    for (aws_start, paired) in [(16, true), (20, true), (21, false)] {
        let mut a = spec();
        a.start = aws_start;
        let p = pairing(&[ours(spec())], &both(&a));
        assert_eq!(!p.pairs.is_empty(), paired, "AWS start {aws_start}");
    }
    // And earlier: AWS's [start, start + 2) ends 5 minutes before ours starts at the edge.
    for (aws_start, paired) in [(4, true), (3, false)] {
        let mut a = spec();
        a.start = aws_start;
        a.duration = 2;
        let p = pairing(&[ours(spec())], &both(&a));
        assert_eq!(!p.pairs.is_empty(), paired, "AWS start {aws_start}");
    }
}

#[test]
fn pairs_are_one_to_one_and_take_the_nearest_start() {
    let mut near = spec();
    near.id = "near";
    near.start = 12;
    let mut far = spec();
    far.id = "far";
    far.start = 8;
    far.duration = 10;
    // One AWS Insight at minute 10: ours at 12 is nearer than ours at 8? No:
    // |12 - 10| = 2 = |8 - 10|; the tie goes to the smaller sharedEventID.
    let p = pairing(&[ours(near.clone()), ours(far.clone())], &both(&spec()));
    assert_eq!(p.pairs.len(), 1);
    assert_eq!(p.pairs[0].ours, "ours-far");
    near.start = 11;
    let mut second = spec();
    second.id = "aws-2";
    second.start = 14;
    let mut aws = both(&spec());
    aws.extend(both(&second));
    let p = pairing(&[ours(near), ours(far)], &aws);
    // aws-1 (10) takes ours at 11; aws-2 (14) takes the one left.
    assert_eq!(
        p.pairs,
        [
            Pair {
                ours: "ours-near".into(),
                aws: "aws-1".into()
            },
            Pair {
                ours: "ours-far".into(),
                aws: "aws-2".into()
            }
        ]
    );
}
