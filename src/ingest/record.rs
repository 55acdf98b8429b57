//! One CloudTrail record → one compact [`Event`]: the borrowed serde view of a
//! record, the field rules (time formats, identity, read-only and category
//! inference, event-ID keys) and the specific reason when a record is bad.
//!
//! A record is deserialised straight from its bytes into [`RawRecord`], whose
//! string fields borrow from the input (escaped strings become owned `Cow`s) and
//! whose unknown fields are skipped by serde without building values. Every field
//! accepts any JSON type through [`Field`], so a wrong type yields a reason that
//! names the field rather than a generic parse error.

use super::rules::{
    event_key, hash128, infer_category, infer_read_only, parse_time, strip_session,
};
use crate::model::{Category, Event, Interner, Origin, Sym};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A JSON value seen where a string (or flag) is expected, kept lazily.
#[derive(Debug, Default)]
pub(crate) enum Field<'a> {
    #[default]
    Absent,
    Null,
    Str(Cow<'a, str>),
    Bool(bool),
    /// Any other JSON type; the name of that type, for the reason text.
    Other(&'static str),
}

impl<'a> Field<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The string, or `""` when absent or null; an error naming the field for
    /// any other type.
    fn text(&self, field: &str) -> Result<&str, Bad> {
        match self {
            Field::Str(s) => Ok(s),
            Field::Absent | Field::Null => Ok(""),
            Field::Bool(_) => Err(Bad::wrong_type(field, "boolean")),
            Field::Other(kind) => Err(Bad::wrong_type(field, kind)),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Field<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Field<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Field::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Field::Other("number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Field::Other("number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Field::Other("number"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Field::Other("object"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Field::Other("array"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `userIdentity`, or a wrong type in its place.
#[derive(Debug, Default)]
pub(crate) enum Identity<'a> {
    #[default]
    Absent,
    Object(RawIdentity<'a>),
    Other(&'static str),
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawIdentity<'a> {
    #[serde(borrow, default, rename = "type")]
    pub(super) kind: Field<'a>,
    #[serde(borrow, default, rename = "principalId")]
    pub(super) principal_id: Field<'a>,
    #[serde(borrow, default)]
    pub(super) arn: Field<'a>,
    #[serde(borrow, default, rename = "accountId")]
    pub(super) account_id: Field<'a>,
    #[serde(borrow, default, rename = "invokedBy")]
    pub(super) invoked_by: Field<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Identity<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Identity<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a userIdentity object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawIdentity::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Identity::Object)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Identity::Absent)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Identity::Absent)
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Identity::Other("string"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Identity::Other("boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Identity::Other("number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Identity::Other("number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Identity::Other("number"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Identity::Other("array"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The fields of a CloudTrail record that Trailsight reads; everything else is
/// skipped by serde without being stored.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawRecord<'a> {
    #[serde(borrow, default, rename = "eventVersion")]
    pub(super) event_version: Field<'a>,
    #[serde(borrow, default, rename = "eventTime")]
    pub(super) event_time: Field<'a>,
    /// Logstash-flattened exports carry the time here instead of `eventTime`.
    #[serde(borrow, default, rename = "@timestamp")]
    pub(super) at_timestamp: Field<'a>,
    #[serde(borrow, default, rename = "eventID")]
    pub(super) event_id: Field<'a>,
    #[serde(borrow, default, rename = "eventSource")]
    pub(super) event_source: Field<'a>,
    #[serde(borrow, default, rename = "eventName")]
    pub(super) event_name: Field<'a>,
    #[serde(borrow, default, rename = "awsRegion")]
    pub(super) aws_region: Field<'a>,
    #[serde(borrow, default, rename = "recipientAccountId")]
    pub(super) recipient_account_id: Field<'a>,
    #[serde(borrow, default, rename = "errorCode")]
    pub(super) error_code: Field<'a>,
    #[serde(borrow, default, rename = "userAgent")]
    pub(super) user_agent: Field<'a>,
    #[serde(borrow, default, rename = "sourceIPAddress")]
    pub(super) source_ip: Field<'a>,
    #[serde(borrow, default, rename = "eventType")]
    pub(super) event_type: Field<'a>,
    #[serde(borrow, default, rename = "eventCategory")]
    pub(super) event_category: Field<'a>,
    #[serde(borrow, default, rename = "readOnly")]
    pub(super) read_only: Field<'a>,
    #[serde(borrow, default, rename = "managementEvent")]
    pub(super) management_event: Field<'a>,
    #[serde(borrow, default, rename = "userIdentity")]
    pub(super) user_identity: Identity<'a>,
}

/// Why a record was not loaded: a short kind (for the per-reason counts) and a
/// detail naming the field or value (for the samples).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bad {
    pub kind: &'static str,
    pub detail: String,
}

impl Bad {
    pub fn new(kind: &'static str, detail: impl Into<String>) -> Self {
        Bad {
            kind,
            detail: detail.into(),
        }
    }
    fn wrong_type(field: &str, got: &str) -> Self {
        Bad::new(
            "wrong field type",
            format!("{field} is {got}, expected a string"),
        )
    }
}

/// [`Bad::kind`] of an element with no CloudTrail field at all.
pub(crate) const NOT_CLOUDTRAIL: &str = "not a CloudTrail record";

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

    // Always inlined into its nine call sites: the call itself cost as much
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

/// Nesting the fast reader reads in a record handed to [`parse_record`]
/// (whose callers have not always measured it); serde_json's own limit.
const SERDE_DEPTH: usize = 128;

/// Parses one record (the exact bytes of one JSON object). `text` is the same
/// bytes when the caller already knows them to be UTF-8: serde then skips its
/// per-string validation (about a tenth of ingest time otherwise); the result
/// is the same either way.
pub(crate) fn parse_record(
    bytes: &[u8],
    text: Option<&str>,
    origin: Origin,
    ctx: &mut Context,
) -> Result<Parsed, Bad> {
    if bytes.iter().find(|c| !c.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Bad::new(NOT_CLOUDTRAIL, "element is not a JSON object"));
    }
    // The fast reader first; serde for whatever it leaves (same answers).
    if let Some((raw, len)) = text.and_then(|t| super::reader::read_record(t, SERDE_DEPTH)) {
        if bytes
            .get(len..)
            .is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace))
        {
            return to_event(&raw, bytes, origin, ctx);
        }
    }
    let parsed = match text {
        Some(t) => serde_json::from_str::<RawRecord>(t),
        None => serde_json::from_slice::<RawRecord>(bytes),
    };
    let raw = match parsed {
        Ok(r) => r,
        Err(e) => return Err(json_error(&e)),
    };
    to_event(&raw, bytes, origin, ctx)
}

/// serde's reading of the record object at the start of `text` (which may
/// run on past it): the record and the length of its text, or `None` when
/// serde refuses it. The reference that the fast [`reader`](super::reader)
/// is held to.
pub(crate) fn serde_leading(text: &str) -> Option<(RawRecord<'_>, usize)> {
    if !text.starts_with('{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<RawRecord>();
    match stream.next() {
        // An object delimits itself: the offset is just past its `}`.
        Some(Ok(raw)) => Some((raw, stream.byte_offset())),
        _ => None,
    }
}

/// [`parse_record`]'s second half, for a record the fast
/// [`reader`](super::reader) already read.
pub(crate) fn record_to_event(
    raw: &RawRecord,
    bytes: &[u8],
    origin: Origin,
    ctx: &mut Context,
) -> Result<Parsed, Bad> {
    to_event(raw, bytes, origin, ctx)
}

/// Maps a serde_json error to a reason.
pub(crate) fn json_error(e: &serde_json::Error) -> Bad {
    let msg = e.to_string();
    if msg.contains("recursion limit") {
        Bad::new("nesting too deep", msg)
    } else if msg.contains("unicode") || msg.contains("UTF-8") {
        Bad::new("invalid UTF-8 or escape", msg)
    } else if e.is_eof() {
        Bad::new("truncated record", msg)
    } else if e.is_data() {
        Bad::new("wrong field type", msg)
    } else {
        Bad::new("invalid JSON", msg)
    }
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

fn to_event(
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
    let absent = |f: &Field| matches!(f, Field::Absent);
    if absent(&raw.event_version)
        && absent(&raw.event_time)
        && absent(&raw.event_name)
        && absent(&raw.event_source)
        && absent(&raw.event_id)
    {
        return Err(Bad::new(
            NOT_CLOUDTRAIL,
            "no eventVersion, eventTime, eventName, eventSource or eventID",
        ));
    }
    let time_text = match (&raw.event_time, &raw.at_timestamp) {
        (Field::Absent | Field::Null, Field::Str(s)) => s.as_ref(),
        (Field::Absent | Field::Null, _) => {
            return Err(Bad::new("missing eventTime", "no eventTime"))
        }
        (f, _) => f.text("eventTime")?,
    };
    let time_ms = parse_time(time_text).ok_or_else(|| {
        Bad::new(
            "bad eventTime",
            format!("eventTime {:?} is not a timestamp", clip(time_text)),
        )
    })?;
    let name = raw.event_name.text("eventName")?;
    if name.is_empty() {
        return Err(Bad::new("missing eventName", "no eventName"));
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
    let identity_type = identity_type(&raw.user_identity)?;
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
        identity_type: c.get(9, identity_type, s),
        read_only,
        read_only_inferred,
        category,
        origin,
    }))
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
                "wrong field type",
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

/// `userIdentity.type` ("AssumedRole", "IAMUser", "Root", "AWSService", ...),
/// or "" when there is no identity or no type.
fn identity_type<'r>(ui: &'r Identity) -> Result<&'r str, Bad> {
    match ui {
        Identity::Object(o) => o.kind.text("userIdentity.type"),
        Identity::Absent | Identity::Other(_) => Ok(""),
    }
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
