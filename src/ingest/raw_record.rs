//! The borrowed view of one CloudTrail record: the sixteen fields Trailsight
//! reads ([`RawRecord`], [`RawIdentity`]) and serde's reading of them.
//!
//! A record is deserialised straight from its bytes into [`RawRecord`], whose
//! string fields borrow from the input (escaped strings become owned `Cow`s) and
//! whose unknown fields are skipped by serde without building values. Every field
//! accepts any JSON type through [`Field`], so a wrong type yields a reason that
//! names the field rather than a generic parse error. The fast reader
//! ([`fast_record`](super::fast_record)) fills the same types; serde here is the
//! reference it is held to.

use super::error::Bad;
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
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The string, or `""` when absent or null; an error naming the field for
    /// any other type.
    pub(super) fn text(&self, field: &str) -> Result<&str, Bad> {
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

/// serde's reading of one record's exact bytes (`text`, when given, is the
/// same bytes known to be UTF-8: serde then skips its per-string validation).
pub(super) fn serde_record<'a>(
    bytes: &'a [u8],
    text: Option<&'a str>,
) -> Result<RawRecord<'a>, serde_json::Error> {
    match text {
        Some(t) => serde_json::from_str::<RawRecord>(t),
        None => serde_json::from_slice::<RawRecord>(bytes),
    }
}

/// serde's reading of the record object at the start of `text` (which may
/// run on past it): the record and the length of its text, or `None` when
/// serde refuses it. The reference that the fast reader
/// ([`fast_record`](super::fast_record)) is held to.
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
