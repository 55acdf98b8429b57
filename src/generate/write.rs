//! Simulated events out: CloudTrail JSON records in gzip delivery files (S3
//! layout, one file per account/Region per ~5 minutes), or a [`Dataset`]
//! directly (what ingest would build from those files, for fast tests).

use super::catalog::{Identity, Kind, IDENTITIES, PLACES};
use super::simulate::GenEvent;
use crate::format::record_time;
use crate::model::{Category, Dataset, Event, Interner, Origin};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use uuid::Uuid;

/// Minutes of events per delivery file.
const FILE_MINUTES: i64 = 5;

/// A stable pseudo-ID such as `AIDA` + 17 characters, from a name.
fn principal(prefix: &str, name: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()).as_u128();
    let tail: String = (0..17)
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{prefix}{tail}")
}

fn error_message(code: &str, e: &GenEvent, arn: &str) -> String {
    match code {
        "AccessDenied" | "AccessDeniedException" | "Client.UnauthorizedOperation" => {
            let service = e.source.split('.').next().unwrap_or("");
            format!("User: {arn} is not authorized to perform: {service}:{} because no identity-based policy allows the action", e.name)
        }
        "NoSuchEntityException" | "NoSuchEntity" => {
            "The role policy with name inline-policy cannot be found.".to_string()
        }
        "NoSuchBucketPolicy" => "The bucket policy does not exist".to_string(),
        _ => format!("{code}: the request could not be completed"),
    }
}

fn user_identity(out: &mut String, who: &Identity, account: &str) {
    match who.kind {
        Kind::IamUser => out.push_str(&format!(
            "{{\"type\":\"IAMUser\",\"principalId\":\"{}\",\"arn\":\"{}\",\"accountId\":\"{account}\",\"accessKeyId\":\"{}\",\"userName\":\"{}\"}}",
            principal("AIDA", who.name),
            who.arn(account),
            principal("AKIA", who.name),
            who.name
        )),
        Kind::AssumedRole => {
            let role_id = principal("AROA", who.name);
            out.push_str(&format!(
                "{{\"type\":\"AssumedRole\",\"principalId\":\"{role_id}:{}\",\"arn\":\"{}\",\"accountId\":\"{account}\",\"accessKeyId\":\"{}\",\
                 \"sessionContext\":{{\"sessionIssuer\":{{\"type\":\"Role\",\"principalId\":\"{role_id}\",\"arn\":\"arn:aws:iam::{account}:role/{}\",\
                 \"accountId\":\"{account}\",\"userName\":\"{}\"}},\"attributes\":{{\"creationDate\":\"2026-03-01T00:00:00Z\",\"mfaAuthenticated\":\"false\"}}}}}}",
                who.session,
                who.arn(account),
                principal("ASIA", who.name),
                who.name,
                who.name
            ));
        }
        Kind::AwsService => out.push_str(&format!("{{\"type\":\"AWSService\",\"invokedBy\":\"{}\"}}", who.name)),
    }
}

/// One CloudTrail record (compact JSON). `minute_text` is `record_time` of the
/// event's minute (cached by the caller).
fn record_json(out: &mut String, e: &GenEvent, minute_text: &str) {
    let place = &PLACES[e.place as usize];
    let who = &IDENTITIES[e.who as usize];
    let version = if matches!(
        e.source,
        "s3.amazonaws.com" | "kms.amazonaws.com" | "sts.amazonaws.com"
    ) {
        "1.08"
    } else {
        "1.09"
    };
    let seconds = (e.ms.rem_euclid(60_000)) / 1000;
    out.push_str(&format!(
        "{{\"eventVersion\":\"{version}\",\"userIdentity\":"
    ));
    user_identity(out, who, place.account);
    out.push_str(&format!(
        ",\"eventTime\":\"{}{seconds:02}Z\",\"eventSource\":\"{}\",\"eventName\":\"{}\",\"awsRegion\":\"{}\",\"sourceIPAddress\":\"{}\",\"userAgent\":{}",
        &minute_text[..17],
        e.source,
        e.name,
        place.region,
        who.ip,
        serde_json::to_string(e.agent.text(who)).unwrap_or_default(),
    ));
    if let Some(code) = e.error {
        let msg = error_message(code, e, &who.arn(place.account));
        out.push_str(&format!(
            ",\"errorCode\":\"{code}\",\"errorMessage\":{}",
            serde_json::to_string(&msg).unwrap_or_default()
        ));
    }
    let (category, management) = if e.data {
        ("Data", false)
    } else {
        ("Management", true)
    };
    out.push_str(&format!(
        ",\"requestParameters\":null,\"responseElements\":null,\"requestID\":\"{}\",\"eventID\":\"{}\",\"readOnly\":{},\
         \"eventType\":\"AwsApiCall\",\"managementEvent\":{management},\"recipientAccountId\":\"{}\",\"eventCategory\":\"{category}\"}}",
        Uuid::from_u128(e.request),
        Uuid::from_u128(e.id),
        e.read_only,
        place.account,
    ));
}

fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// 16 random characters from `[A-Za-z0-9]` (the S3 name's unique string).
fn unique_string(rng: &mut ChaCha8Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Delivery files: per place and 5-minute slice, a gzip `{"Records":[…]}` in
/// shuffled order (CloudTrail files are not ordered), named for a delivery
/// 1–5 minutes after the slice.
pub(crate) fn files(events: &[GenEvent], rng: &mut ChaCha8Rng) -> Vec<(String, Vec<u8>)> {
    // Group indexes by (place, slice); events are time-sorted so groups fill in order.
    let mut groups: std::collections::BTreeMap<(i64, u8), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        groups
            .entry((e.ms.div_euclid(60_000 * FILE_MINUTES), e.place))
            .or_default()
            .push(i);
    }
    let mut out = Vec::with_capacity(groups.len());
    let mut cached_minute = i64::MIN;
    let mut minute_text = String::new();
    for ((slice, place), mut idx) in groups {
        idx.shuffle(rng);
        let mut body = String::with_capacity(idx.len() * 1400 + 16);
        body.push_str("{\"Records\":[");
        for (n, &i) in idx.iter().enumerate() {
            if n > 0 {
                body.push(',');
            }
            let minute = events[i].ms.div_euclid(60_000);
            if minute != cached_minute {
                cached_minute = minute;
                minute_text = record_time(minute);
            }
            record_json(&mut body, &events[i], &minute_text);
        }
        body.push_str("]}");
        let delivered = record_time((slice + 1) * FILE_MINUTES + rng.gen_range(1..=5));
        let p = &PLACES[place as usize];
        let (date, hhmm) = (
            &delivered[0..10],
            format!("{}{}", &delivered[11..13], &delivered[14..16]),
        );
        let name = format!(
            "AWSLogs/{acct}/CloudTrail/{region}/{folder}/{acct}_CloudTrail_{region}_{}T{hhmm}Z_{}.json.gz",
            date.replace('-', ""),
            unique_string(rng),
            acct = p.account,
            region = p.region,
            folder = date.replace('-', "/"),
        );
        out.push((name, gzip_fast(body.as_bytes())));
    }
    out
}

/// The dataset ingest would build from [`files`] (same identities, flags and
/// categories), without the JSON round trip. `Origin` is zeroed: there is no file.
pub(crate) fn dataset(events: &[GenEvent]) -> Dataset {
    let mut ds = Dataset::default();
    ds.inputs.push("generated".to_string());
    let s = &mut ds.strings;
    for e in events {
        let place = &PLACES[e.place as usize];
        let who = &IDENTITIES[e.who as usize];
        ds.events.push(Event {
            time_ms: e.ms,
            id: e.id,
            account: s.intern(place.account),
            region: s.intern(place.region),
            source: s.intern(e.source),
            name: s.intern(e.name),
            error_code: e.error.map_or(Interner::EMPTY, |c| s.intern(c)),
            identity: s.intern(&who.attribution(place.account)),
            user_agent: s.intern(e.agent.text(who)),
            source_ip: s.intern(who.ip),
            event_type: s.intern("AwsApiCall"),
            read_only: e.read_only,
            read_only_inferred: false,
            category: if e.data {
                Category::Data
            } else {
                Category::Management
            },
            origin: Origin::default(),
            identity_type: s.intern(who.kind.type_name()),
        });
    }
    ds
}
