//! The detector on hand-built datasets: AWS's two worked examples with their
//! numbers, the things it must not fire on, partial history, record format and
//! determinism.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use serde_json::Value;
use trailsight::engine::{detect, events_in_window, minute_series, DetectConfig};
use trailsight::export::{json_lines, s3_objects};
use trailsight::model::{
    Category, Dataset, Event, Insight, InsightType, Interner, MinuteRange, Origin,
};

/// 2026-03-02 00:00 UTC (a Monday), in minutes.
const DAY0: i64 = 20_514 * 1440;
const ACCOUNT: &str = "123456789012";
const ROLE: &str = "arn:aws:sts::123456789012:assumed-role/Admin";
const CLI: &str = "aws-cli/2.15.30 Python/3.11.8";

/// Builds a dataset from (minute, source, name, readOnly, errorCode, identity).
#[derive(Default)]
struct Builder {
    ds: Dataset,
    next_id: u128,
}

impl Builder {
    fn add(
        &mut self,
        minute: i64,
        source: &str,
        name: &str,
        read_only: bool,
        error: &str,
        who: &str,
    ) {
        self.next_id += 1;
        let s = &mut self.ds.strings;
        let error_code = if error.is_empty() {
            Interner::EMPTY
        } else {
            s.intern(error)
        };
        self.ds.events.push(Event {
            time_ms: minute * 60_000 + (self.next_id % 60) as i64 * 1000,
            id: self.next_id,
            account: s.intern(ACCOUNT),
            region: s.intern("us-east-1"),
            source: s.intern(source),
            name: s.intern(name),
            error_code,
            identity: s.intern(who),
            user_agent: s.intern(CLI),
            source_ip: s.intern("203.0.113.1"),
            event_type: s.intern("AwsApiCall"),
            identity_type: s.intern("AssumedRole"),
            read_only,
            read_only_inferred: false,
            category: Category::Management,
            origin: Origin::default(),
        });
    }

    /// `count` calls spread evenly over `[from, to)`.
    fn spread(&mut self, count: i64, from: i64, to: i64, api: (&str, &str, bool), error: &str) {
        for k in 0..count {
            self.add(
                from + k * (to - from) / count,
                api.0,
                api.1,
                api.2,
                error,
                ROLE,
            );
        }
    }

    fn finish(mut self) -> Dataset {
        let mut events = self.ds.events.to_vec();
        events.sort_by(|a, b| a.time_ms.cmp(&b.time_ms).then(a.id.cmp(&b.id)));
        self.ds.events = events.into();
        self.ds
    }
}

fn record(json: &str) -> Value {
    serde_json::from_str(json).expect("record is JSON")
}

fn stats(json: &str) -> Value {
    record(json)["insightDetails"]["insightContext"]["statistics"].clone()
}

const SEND_COMMAND: (&str, &str, bool) = ("ssm.amazonaws.com", "SendCommand", false);
const GET_ROLE_POLICY: (&str, &str, bool) = ("iam.amazonaws.com", "GetRolePolicy", true);

/// AWS: SendCommand with a baseline of 0.0442 calls/min, then 15 calls in five minutes.
fn send_command_dataset() -> Dataset {
    let mut b = Builder::default();
    let onset = DAY0 + 7 * 1440 + 5 * 60 + 50; // day 7, 05:50
                                               // baselineDuration = 10080 + 350 = 10430; 461 / 10430 = 0.0442.
    b.spread(461, DAY0, onset, SEND_COMMAND, "");
    for m in onset..onset + 5 {
        for _ in 0..3 {
            b.add(
                m,
                SEND_COMMAND.0,
                SEND_COMMAND.1,
                false,
                "",
                "arn:aws:iam::123456789012:user/intruder",
            );
        }
    }
    // Some quiet traffic after it, so the data does not end with the burst.
    b.spread(10, onset + 60, onset + 300, SEND_COMMAND, "");
    b.finish()
}

#[test]
fn aws_example_send_command_fires_with_its_numbers() {
    let ds = send_command_dataset();
    let det = detect(&ds, &DetectConfig::default());
    assert_eq!(det.insights.len(), 1, "{:#?}", det.insights);
    let i = &det.insights[0];
    assert_eq!(i.key.insight_type, InsightType::ApiCallRateInsight);
    assert_eq!(
        (i.key.source.as_str(), i.key.name.as_str()),
        ("ssm.amazonaws.com", "SendCommand")
    );
    assert_eq!(i.start_minute, DAY0 + 7 * 1440 + 350);
    assert_eq!(i.baseline_duration, 10_430);
    assert!(
        (i.baseline_average - 0.0442).abs() < 0.0001,
        "{}",
        i.baseline_average
    );
    assert_eq!(i.start_average, 3.0);
    assert_eq!(i.insight_duration, 5);
    assert_eq!(i.insight_average, 3.0);

    let start = stats(&i.start_record_json);
    let end = stats(&i.end_record_json);
    assert!((start["baseline"]["average"].as_f64().unwrap() - 0.0442).abs() < 0.0001);
    assert_eq!(start["insight"]["average"], 3);
    assert_eq!(end["insight"]["average"], 3);
    assert_eq!(end["insightDuration"], 5);
    assert_eq!(end["baselineDuration"], 10_430);
    assert_eq!(
        record(&i.start_record_json)["eventTime"],
        "2026-03-09T05:50:00Z"
    );
    assert_eq!(
        record(&i.end_record_json)["eventTime"],
        "2026-03-09T05:55:00Z"
    );
}

#[test]
fn aws_example_get_role_policy_errors_fire_with_their_numbers() {
    let mut b = Builder::default();
    let onset = DAY0 + 7 * 1440 + 10 * 60; // day 7, 10:00 → baselineDuration 10680
                                           // Successful reads all week, and 18 errors in the baseline: 18 / 10680 = 0.0017.
    b.spread(600, DAY0, onset, GET_ROLE_POLICY, "");
    b.spread(
        18,
        DAY0 + 1,
        onset,
        GET_ROLE_POLICY,
        "NoSuchEntityException",
    );
    for m in onset..onset + 3 {
        for _ in 0..18 {
            b.add(
                m,
                GET_ROLE_POLICY.0,
                GET_ROLE_POLICY.1,
                true,
                "NoSuchEntityException",
                ROLE,
            );
        }
    }
    let ds = b.finish();
    let det = detect(&ds, &DetectConfig::default());
    assert_eq!(det.insights.len(), 1, "{:#?}", det.insights);
    let i = &det.insights[0];
    assert_eq!(i.key.insight_type, InsightType::ApiErrorRateInsight);
    assert_eq!(i.key.error_code.as_deref(), Some("NoSuchEntityException"));
    assert_eq!(i.start_minute, onset);
    assert_eq!(i.baseline_duration, 10_680);
    assert!(
        (i.baseline_average - 0.0017).abs() < 0.0001,
        "{}",
        i.baseline_average
    );
    assert_eq!(i.start_average, 18.0);
    assert_eq!(i.insight_average, 18.0);
    assert_eq!(i.insight_duration, 3);

    let r = record(&i.end_record_json);
    assert_eq!(r["insightDetails"]["errorCode"], "NoSuchEntityException");
    assert_eq!(
        r["insightDetails"]["insightContext"]["statistics"]["insight"]["average"],
        18
    );
    // Error-rate Insights carry identity and user-agent attributions only.
    let attributes: Vec<&str> = r["insightDetails"]["insightContext"]["attributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attribute"].as_str().unwrap())
        .collect();
    assert_eq!(attributes, ["userIdentityArn", "userAgent"]);
}

/// AWS's 2023 record example: one call in the baseline (baselineDuration 10181,
/// so the start was 01:41), then 5 calls in one minute.
#[test]
fn aws_record_example_five_calls_against_one_a_week_fires() {
    let api = (
        "autoscaling.amazonaws.com",
        "CompleteLifecycleAction",
        false,
    );
    let mut b = Builder::default();
    let start_day = DAY0 + 7 * 1440;
    b.add(
        DAY0,
        "ec2.amazonaws.com",
        "DescribeInstances",
        true,
        "",
        ROLE,
    ); // coverage from day 0
    b.add(DAY0 + 3000, api.0, api.1, false, "", ROLE);
    for _ in 0..5 {
        b.add(start_day + 101, api.0, api.1, false, "", ROLE);
    }
    b.add(
        start_day + 300,
        "ec2.amazonaws.com",
        "DescribeInstances",
        true,
        "",
        ROLE,
    );
    let det = detect(&b.finish(), &DetectConfig::default());
    assert_eq!(det.insights.len(), 1);
    let i = &det.insights[0];
    assert_eq!(i.baseline_duration, 10_181);
    let s = stats(&i.start_record_json);
    assert_eq!(s["baseline"]["average"].as_f64().unwrap(), 0.0000982222);
    assert_eq!(s["insight"]["average"], 5);
    assert_eq!(s["insightDuration"], 1);
}

/// AWS's 2024 record example: an error never seen before, 6 times in five
/// minutes from 16:52 (baselineDuration 11092, baseline average 0, empty
/// baseline attributions).
#[test]
fn aws_record_example_six_new_errors_in_five_minutes_fires() {
    let api = ("cloudtrail.amazonaws.com", "DescribeQuery", true);
    let mut b = Builder::default();
    let start = DAY0 + 7 * 1440 + 16 * 60 + 52;
    b.spread(500, DAY0, start, api, "");
    for (k, n) in [2, 1, 1, 1, 1].into_iter().enumerate() {
        for _ in 0..n {
            b.add(
                start + k as i64,
                api.0,
                api.1,
                true,
                "QueryIdNotFoundException",
                ROLE,
            );
        }
    }
    let det = detect(&b.finish(), &DetectConfig::default());
    assert_eq!(det.insights.len(), 1, "{:#?}", det.insights);
    let i = &det.insights[0];
    assert_eq!(
        i.key.error_code.as_deref(),
        Some("QueryIdNotFoundException")
    );
    assert_eq!(
        (i.start_minute, i.baseline_duration, i.insight_duration),
        (start, 11_092, 5)
    );
    let r = record(&i.end_record_json);
    let ctx = &r["insightDetails"]["insightContext"];
    assert_eq!(ctx["statistics"]["baseline"]["average"], 0);
    assert_eq!(ctx["statistics"]["insight"]["average"], 1.2);
    assert_eq!(ctx["attributions"][0]["baseline"], Value::Array(vec![]));
}

/// AWS: "Your account typically logs 20 calls per minute to the Amazon EC2
/// AuthorizeSecurityGroupIngress API, but your account starts to log zero
/// calls"; ten minutes later the activity is back. A gap in the logs
/// themselves (every API silent) is not a drop.
#[test]
fn aws_example_drop_to_zero_fires_but_a_log_gap_does_not() {
    let api = ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", false);
    let other = ("ec2.amazonaws.com", "DescribeInstances", true);
    let outage = DAY0 + 8 * 1440 + 14 * 60;
    let build = |gap_in_logs: bool| {
        let mut b = Builder::default();
        for m in DAY0..DAY0 + 9 * 1440 {
            let silent = (outage..outage + 10).contains(&m);
            if !silent {
                for _ in 0..20 {
                    b.add(m, api.0, api.1, api.2, "", ROLE);
                }
            }
            if !(silent && gap_in_logs) {
                b.add(m, other.0, other.1, other.2, "", ROLE);
            }
        }
        b.finish()
    };
    let det = detect(&build(false), &DetectConfig::default());
    assert_eq!(det.insights.len(), 1, "{:#?}", det.insights);
    let i = &det.insights[0];
    assert_eq!(i.key.name, api.1);
    assert_eq!((i.start_minute, i.insight_duration), (outage, 10));
    assert_eq!((i.start_average, i.insight_average), (0.0, 0.0));
    assert!((i.baseline_average - 20.0).abs() < 0.01);
    assert_eq!(
        record(&i.end_record_json)["insightDetails"]["insightContext"]["attributions"][0]
            ["insight"],
        Value::Array(vec![])
    );

    let det = detect(&build(true), &DetectConfig::default());
    assert!(det.insights.is_empty(), "{:#?}", det.insights);
}

#[test]
fn ordinary_rhythm_rare_calls_steady_errors_and_reads_do_not_fire() {
    let mut b = Builder::default();
    let end = DAY0 + 9 * 1440;
    for day in 0..9 {
        let d0 = DAY0 + day * 1440;
        let weekend = matches!(day % 7, 5 | 6);
        // A weekday 10:00 peak: 8 writes a minute for an hour, 0.2 a minute otherwise.
        if !weekend {
            b.spread(
                480,
                d0 + 600,
                d0 + 660,
                ("ec2.amazonaws.com", "CreateTags", false),
                "",
            );
        }
        b.spread(
            280,
            d0,
            d0 + 1440,
            ("ec2.amazonaws.com", "CreateTags", false),
            "",
        );
        // A nightly job: 40 snapshots at 02:00.
        b.spread(
            40,
            d0 + 120,
            d0 + 121,
            ("ec2.amazonaws.com", "CreateSnapshot", false),
            "",
        );
        // A steady 20 AccessDenied a minute, all day, every day.
        b.spread(
            20 * 1440,
            d0,
            d0 + 1440,
            ("sts.amazonaws.com", "AssumeRole", true),
            "AccessDenied",
        );
    }
    // One call of a rare API, and a big read-only spike.
    b.add(
        end - 600,
        "iam.amazonaws.com",
        "DeleteUser",
        false,
        "",
        ROLE,
    );
    b.spread(
        2000,
        end - 300,
        end - 290,
        ("ec2.amazonaws.com", "DescribeInstances", true),
        "",
    );
    let ds = b.finish();
    let det = detect(&ds, &DetectConfig::default());
    assert!(
        det.insights.is_empty(),
        "{:#?}",
        det.insights
            .iter()
            .map(|i| &i.start_record_json)
            .collect::<Vec<_>>()
    );
    // The read spike is found when read calls are watched (beyond AWS).
    let cfg = DetectConfig {
        include_read_calls: true,
        ..Default::default()
    };
    let det = detect(&ds, &cfg);
    assert_eq!(det.insights.len(), 1);
    assert_eq!(det.insights[0].key.name, "DescribeInstances");
}

#[test]
fn partial_history_is_required_and_visible() {
    // Less than a day of history: nothing.
    let mut b = Builder::default();
    b.spread(10, DAY0, DAY0 + 1000, SEND_COMMAND, "");
    for _ in 0..30 {
        b.add(DAY0 + 1200, SEND_COMMAND.0, SEND_COMMAND.1, false, "", ROLE);
    }
    let det = detect(&b.finish(), &DetectConfig::default());
    assert!(det.insights.is_empty());
    assert_eq!(det.summary.series_without_enough_history, 1);

    // Three days of history: an Insight with a shortened baseline.
    let mut b = Builder::default();
    let onset = DAY0 + 3 * 1440 + 120;
    b.spread(100, DAY0 + 60, onset, SEND_COMMAND, "");
    for _ in 0..30 {
        b.add(onset, SEND_COMMAND.0, SEND_COMMAND.1, false, "", ROLE);
    }
    let det = detect(&b.finish(), &DetectConfig::default());
    assert_eq!(det.insights.len(), 1);
    assert_eq!(
        det.insights[0].baseline_duration,
        (onset - DAY0 - 60) as u32
    );
    assert_eq!(det.summary.insights_with_short_baseline, 1);
    assert!(det.summary.max_baseline_days < 7.0 && det.summary.min_baseline_days > 2.0);
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn a_stray_ancient_timestamp_neither_hurts_nor_blows_up_memory() {
    let mut ds = send_command_dataset();
    let mut events = ds.events.to_vec();
    let mut stray = events[0];
    stray.time_ms = 0; // 1970-01-01
    stray.id = u128::MAX;
    events.insert(0, stray);
    ds.events = events.into();
    let det = detect(&ds, &DetectConfig::default());
    assert_eq!(det.insights.len(), 1);
    assert_eq!(det.insights[0].baseline_duration, 10_430);
}

#[test]
fn records_have_aws_shape_and_attributions() {
    let ds = send_command_dataset();
    let i: Insight = detect(&ds, &DetectConfig::default()).insights.remove(0);
    let r = record(&i.start_record_json);
    assert_eq!(
        keys(&r),
        [
            "awsRegion",
            "eventCategory",
            "eventID",
            "eventTime",
            "eventType",
            "eventVersion",
            "insightDetails",
            "recipientAccountId",
            "sharedEventID"
        ]
    );
    // Key order as AWS writes it.
    assert!(i
        .start_record_json
        .starts_with("{\"eventVersion\":\"1.09\",\"eventTime\":"));
    assert_eq!(r["eventType"], "AwsCloudTrailInsight");
    assert_eq!(r["eventCategory"], "Insight");
    assert_eq!(
        r["sharedEventID"],
        record(&i.end_record_json)["sharedEventID"]
    );
    assert_ne!(r["eventID"], record(&i.end_record_json)["eventID"]);
    let d = &r["insightDetails"];
    assert_eq!(d["state"], "Start");
    assert_eq!(d["sourceEventCategory"], "Management");
    assert!(d.get("errorCode").is_none());
    let attrs = d["insightContext"]["attributions"].as_array().unwrap();
    assert_eq!(attrs.len(), 3);
    assert_eq!(attrs[0]["attribute"], "userIdentityArn");
    assert_eq!(
        attrs[0]["insight"][0]["value"],
        "arn:aws:iam::123456789012:user/intruder"
    );
    assert_eq!(attrs[0]["insight"][0]["average"], 3);
    assert_eq!(attrs[0]["baseline"][0]["value"], ROLE);
    assert_eq!(attrs[2]["attribute"], "errorCode");
    assert_eq!(attrs[2]["insight"][0]["value"], "null");
    assert_eq!(i.attributions[0].insight_other, 0.0);
}

#[test]
fn output_is_deterministic_and_exports_are_well_formed() {
    let ds = send_command_dataset();
    let a = detect(&ds, &DetectConfig::default());
    let b = detect(&ds, &DetectConfig::default());
    assert_eq!(a, b);
    let lines = json_lines(&a.insights);
    assert_eq!(lines, json_lines(&b.insights));
    assert_eq!(lines.lines().count(), 2);
    assert!(lines
        .lines()
        .next()
        .unwrap()
        .contains("\"state\":\"Start\""));

    let objects = s3_objects(&a.insights);
    assert_eq!(objects, s3_objects(&b.insights));
    assert_eq!(objects.len(), 2);
    let (name, gz) = &objects[0];
    let re = "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2026/03/09/123456789012_CloudTrail-Insight_us-east-1_20260309T0550Z_";
    assert!(
        name.starts_with(re) && name.ends_with(".json.gz") && name.len() == re.len() + 16 + 8,
        "{name}"
    );
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["Records"][0]["insightDetails"]["state"], "Start");
}

#[test]
fn minute_series_and_event_windows_follow_the_key() {
    let ds = send_command_dataset();
    let i = detect(&ds, &DetectConfig::default()).insights.remove(0);
    let around = MinuteRange::new(i.start_minute - 2, i.end_minute + 2);
    let points = minute_series(&ds, &i.key, around);
    assert_eq!(points.len(), 9);
    assert_eq!(points[0].minute, i.start_minute - 2);
    assert_eq!(points.iter().map(|p| p.calls).sum::<u32>(), 15);
    assert!(points.windows(2).all(|w| w[1].minute == w[0].minute + 1));
    let events = events_in_window(&ds, Some(&i.key), MinuteRange::of_insight(&i));
    assert_eq!(events.len(), 15);
    assert!(events_in_window(&ds, None, MinuteRange::of_insight(&i)).len() >= 15);
}

#[test]
fn odd_inputs_do_not_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    for round in 0..20 {
        let mut b = Builder::default();
        let base = [i64::MIN / 120_000, -5_000_000, 0, DAY0, i64::MAX / 120_000][round % 5];
        for _ in 0..rng.gen_range(0..3000) {
            let minute = base + rng.gen_range(0..20_000);
            let api = [SEND_COMMAND, GET_ROLE_POLICY][rng.gen_range(0..2)];
            let error = ["", "", "AccessDenied"][rng.gen_range(0..3)];
            b.add(minute, api.0, api.1, api.2, error, ROLE);
        }
        let ds = b.finish();
        let cfg = DetectConfig {
            include_read_calls: round % 2 == 0,
            ..Default::default()
        };
        let det = detect(&ds, &cfg);
        assert_eq!(det, detect(&ds, &cfg));
        let _ = json_lines(&det.insights);
        let _ = s3_objects(&det.insights);
        if let Some(i) = det.insights.first() {
            let around = MinuteRange::new(i.start_minute - 10, i.end_minute + 10);
            let _ = minute_series(&ds, &i.key, around);
        }
    }
    // Empty input.
    let det = detect(&Dataset::default(), &DetectConfig::default());
    assert!(det.insights.is_empty() && det.summary.series_examined == 0);
}
