//! One CloudTrail record → one compact [`Event`]: [`read`] gets the record's
//! fields (the fast reader, serde for whatever it leaves), [`to_event`]
//! applies the field rules (time formats, identity, read-only and category
//! inference, event-ID keys) and names the specific reason when a record is
//! bad. Its callers (the document walker) cut the records and count them.

use super::error::{Bad, BadKind};
use super::fast_record;
use super::raw_record::{serde_record, Field, Identity, RawRecord};
use super::rules::{
    event_key, hash128, infer_category, infer_read_only, parse_time, strip_session,
};
use crate::model::{Category, Event, Interner, Origin, Sym};
use std::borrow::Cow;

/// What one record turned out to be.
pub(crate) enum Parsed {
    Event(Event),
    /// An `AwsCloudTrailInsight` record: AWS's own Insight, kept apart.
    AwsInsight,
    /// An `AwsAggregatedEvent` record (a 5-minute summary of data events):
    /// counted, never an event.
    Aggregated,
}

/// A small direct-mapped cache per event field in front of the interner:
/// each field has a few dozen distinct values per file (and consecutive
/// events often repeat one), and checking one candidate slot (picked by the
/// text's length and two of its bytes, no hash) against the interned text is
/// several times cheaper than an interner lookup. It halved the lookups of
/// the earlier last-value-per-field cache on generated logs. Must be used
/// with one interner only (the sink's batch strings): slots hold its syms.
#[derive(Default)]
pub(crate) struct SymCache {
    slots: [[u32; SymCache::WAYS]; 10],
}

impl SymCache {
    const WAYS: usize = 16;

    // Always inlined into its ten call sites: the call itself cost as much
    // as the cache check.
    #[inline(always)]
    fn get(&mut self, field: usize, s: &str, strings: &mut Interner) -> Sym {
        let b = s.as_bytes();
        let pick = match b {
            [] => 0,
            [.., last] => b.len() ^ (*last as usize) ^ ((b[b.len() / 2] as usize) << 2),
        };
        let slot = &mut self.slots[field][pick % Self::WAYS];
        if strings.resolve(Sym(*slot)) != s {
            *slot = strings.intern(s).0;
        }
        Sym(*slot)
    }
}

/// Per-file context a record needs besides its own bytes.
pub(crate) struct Context<'c> {
    pub strings: &'c mut Interner,
    pub cache: &'c mut SymCache,
    /// Account from the `AWSLogs/<acct>/` path, used when the record names none.
    pub path_account: Option<&'c str>,
}

/// Nesting the fast reader reads in a record handed to [`read`] (whose
/// callers have not always measured it); serde_json's own limit.
const SERDE_DEPTH: usize = 128;

/// Reads one record (the exact bytes of one JSON object): the fast reader
/// first, serde for whatever it leaves (same answers, or serde's reason).
/// `text` is the same bytes when the caller already knows them to be UTF-8:
/// only then can the fast reader run, and serde skips its per-string
/// validation (about a tenth of ingest time otherwise).
pub(crate) fn read<'a>(bytes: &'a [u8], text: Option<&'a str>) -> Result<RawRecord<'a>, Bad> {
    if bytes.iter().find(|c| !c.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Bad::new(
            BadKind::NotCloudTrail,
            "element is not a JSON object",
        ));
    }
    if let Some((raw, len)) = text.and_then(|t| fast_record::read_record(t, SERDE_DEPTH)) {
        if bytes
            .get(len..)
            .is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace))
        {
            return Ok(raw);
        }
    }
    serde_record(bytes, text).map_err(|e| Bad::from_json(&e, bytes))
}

fn is_insight(raw: &RawRecord) -> bool {
    raw.event_type.as_str() == Some("AwsCloudTrailInsight")
        || raw.event_category.as_str() == Some("Insight")
}

/// CloudTrail's aggregated events (`eventCategory: "Aggregated"`,
/// `eventType: "AwsAggregatedEvent"`): summaries with a `timeWindow` and no
/// `eventTime` or `eventName`, not API calls.
fn is_aggregated(raw: &RawRecord) -> bool {
    raw.event_type.as_str() == Some("AwsAggregatedEvent")
        || raw.event_category.as_str() == Some("Aggregated")
}

/// The event (or AWS Insight, or aggregated record) of one record `raw` read
/// from `bytes` (which name it when it has no `eventID`).
pub(crate) fn to_event(
    raw: &RawRecord,
    bytes: &[u8],
    origin: Origin,
    ctx: &mut Context,
) -> Result<Parsed, Bad> {
    if is_insight(raw) {
        return Ok(Parsed::AwsInsight);
    }
    if is_aggregated(raw) {
        return Ok(Parsed::Aggregated);
    }
    if no_cloudtrail_field(raw) {
        return Err(Bad::new(
            BadKind::NotCloudTrail,
            "no eventVersion, eventTime, eventName, eventSource or eventID",
        ));
    }
    let time_ms = time_ms(raw)?;
    let name = raw.event_name.text("eventName")?;
    if name.is_empty() {
        return Err(Bad::new(BadKind::MissingEventName, "no eventName"));
    }
    let source = raw.event_source.text("eventSource")?;
    let region = raw.aws_region.text("awsRegion")?;
    let error_code = raw.error_code.text("errorCode")?;
    let user_agent = raw.user_agent.text("userAgent")?;
    let source_ip = raw.source_ip.text("sourceIPAddress")?;
    let event_type = raw.event_type.text("eventType")?;
    let id = match &raw.event_id {
        Field::Str(s) if !s.is_empty() => event_key(s),
        Field::Absent | Field::Null | Field::Str(_) => hash128(b"record:", bytes),
        Field::Bool(_) => return Err(Bad::wrong_type("eventID", "boolean")),
        Field::Other(kind) => return Err(Bad::wrong_type("eventID", kind)),
    };
    let (identity, identity_account) = identity(&raw.user_identity)?;
    let mut account = raw.recipient_account_id.text("recipientAccountId")?;
    if account.is_empty() {
        account = identity_account.unwrap_or("");
    }
    if account.is_empty() {
        account = ctx.path_account.unwrap_or("");
    }
    let (read_only, read_only_inferred) = match &raw.read_only {
        Field::Bool(b) => (*b, false),
        Field::Str(s) if s.eq_ignore_ascii_case("true") => (true, false),
        Field::Str(s) if s.eq_ignore_ascii_case("false") => (false, false),
        _ => (infer_read_only(name), true),
    };
    let category = category(raw, source, name, event_type);
    let (s, c) = (&mut *ctx.strings, &mut *ctx.cache);
    Ok(Parsed::Event(Event {
        time_ms,
        id,
        account: c.get(0, account, s),
        region: c.get(1, region, s),
        source: c.get(2, source, s),
        name: c.get(3, name, s),
        error_code: c.get(4, error_code, s),
        identity: c.get(5, &identity, s),
        user_agent: c.get(6, user_agent, s),
        source_ip: c.get(7, source_ip, s),
        event_type: c.get(8, event_type, s),
        read_only,
        read_only_inferred,
        category,
        origin,
        identity_type: c.get(9, identity_type(&raw.user_identity), s),
    }))
}

/// True when none of the fields every CloudTrail record has is there.
fn no_cloudtrail_field(raw: &RawRecord) -> bool {
    let absent = |f: &Field| matches!(f, Field::Absent);
    absent(&raw.event_version)
        && absent(&raw.event_time)
        && absent(&raw.event_name)
        && absent(&raw.event_source)
        && absent(&raw.event_id)
}

/// The event's time: `eventTime`, or a Logstash `@timestamp` in its place.
fn time_ms(raw: &RawRecord) -> Result<i64, Bad> {
    let text = match (&raw.event_time, &raw.at_timestamp) {
        (Field::Absent | Field::Null, Field::Str(s)) => s.as_ref(),
        (Field::Absent | Field::Null, _) => {
            return Err(Bad::new(BadKind::MissingEventTime, "no eventTime"))
        }
        (f, _) => f.text("eventTime")?,
    };
    parse_time(text).ok_or_else(|| {
        Bad::new(
            BadKind::BadEventTime,
            format!("eventTime {:?} is not a timestamp", clip(text)),
        )
    })
}

/// `userIdentity.type`, or "" when there is no identity object (its type
/// was already checked by [`identity`]).
fn identity_type<'r>(ui: &'r Identity) -> &'r str {
    match ui {
        Identity::Object(o) => o.kind.as_str().unwrap_or(""),
        Identity::Absent | Identity::Other(_) => "",
    }
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The attribution identity as AWS shows it, and the identity's account.
///
/// Rule: an assumed role's ARN without its session name
/// (`arn:aws:sts::<acct>:assumed-role/<Role>`); else `arn`; else `invokedBy`
/// (a service); else `type/principalId` (or whichever of the two exists).
fn identity<'r>(ui: &'r Identity) -> Result<(Cow<'r, str>, Option<&'r str>), Bad> {
    let ui = match ui {
        Identity::Absent => return Ok((Cow::Borrowed(""), None)),
        Identity::Other(kind) => {
            return Err(Bad::new(
                BadKind::WrongFieldType,
                format!("userIdentity is {kind}, expected an object"),
            ))
        }
        Identity::Object(o) => o,
    };
    let arn = ui.arn.text("userIdentity.arn")?;
    let kind = ui.kind.text("userIdentity.type")?;
    let principal = ui.principal_id.text("userIdentity.principalId")?;
    let invoked_by = ui.invoked_by.text("userIdentity.invokedBy")?;
    let account = ui.account_id.text("userIdentity.accountId")?;
    let account = (!account.is_empty()).then_some(account);
    let id: Cow<str> = if !arn.is_empty() {
        Cow::Borrowed(strip_session(arn))
    } else if !invoked_by.is_empty() {
        Cow::Borrowed(invoked_by)
    } else if !kind.is_empty() && !principal.is_empty() {
        Cow::Owned(format!("{kind}/{principal}"))
    } else if !kind.is_empty() {
        Cow::Borrowed(kind)
    } else {
        Cow::Borrowed(principal)
    };
    Ok((id, account))
}

fn category(raw: &RawRecord, source: &str, name: &str, event_type: &str) -> Category {
    match raw.event_category.as_str() {
        Some("Management") => return Category::Management,
        Some("Data") => return Category::Data,
        Some(_) => return Category::Other,
        None => {}
    }
    match raw.management_event {
        Field::Bool(true) => return Category::Management,
        Field::Bool(false) => return Category::Data,
        _ => {}
    }
    infer_category(source, name, event_type)
}
