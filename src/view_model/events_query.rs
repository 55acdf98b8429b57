//! The standalone events view's URL query (`#/events?identity=...&from=...`):
//! its filters, minute range and page, so a deep link reopens exactly the
//! same view. Pure, so it is unit-tested natively; `app::routing` uses it.
//!
//! Keys: `source`, `name` (the API), `identity`, `type` (identity type),
//! `agent`, `ip`, `error` (empty = succeeded), `region`, `account`, `from`
//! and `to` (a half-open minute range, `2026-03-09T14:05Z`; either alone
//! means "from then on" / "until then"), `page` (0-based). Unknown keys and
//! unreadable times or pages are ignored.

use crate::engine::overview::EventFilter;
use crate::model::MinuteRange;
use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime};

/// What the events view shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventsQuery {
    pub filter: EventFilter,
    /// 0-based page.
    pub page: u32,
}

/// The string fields of a filter with their URL keys and chip labels.
pub fn text_fields(f: &EventFilter) -> [(&'static str, &'static str, &Option<String>); 9] {
    [
        ("source", "Event source", &f.source),
        ("name", "Event name", &f.name),
        ("identity", "User", &f.identity),
        ("type", "Identity type", &f.identity_type),
        ("agent", "User agent", &f.user_agent),
        ("ip", "Source IP", &f.source_ip),
        ("error", "Error code", &f.error_code),
        ("region", "Region", &f.region),
        ("account", "Account", &f.account),
    ]
}

fn slot<'f>(f: &'f mut EventFilter, key: &str) -> Option<&'f mut Option<String>> {
    Some(match key {
        "source" => &mut f.source,
        "name" => &mut f.name,
        "identity" => &mut f.identity,
        "type" => &mut f.identity_type,
        "agent" => &mut f.user_agent,
        "ip" => &mut f.source_ip,
        "error" => &mut f.error_code,
        "region" => &mut f.region,
        "account" => &mut f.account,
        _ => return None,
    })
}

/// The filter without the value of `key` (`"range"` drops the minute range):
/// what removing a filter chip leaves.
pub fn without(f: &EventFilter, key: &str) -> EventFilter {
    let mut f = f.clone();
    if key == "range" {
        f.range = None;
    } else if let Some(v) = slot(&mut f, key) {
        *v = None;
    }
    f
}

/// `2026-03-09T14:05Z` for minute `m` since the epoch (UTC).
pub fn format_minute_param(m: i64) -> String {
    m.checked_mul(60)
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]Z"))
                .ok()
        })
        .unwrap_or_else(|| m.to_string())
}

/// Reads [`format_minute_param`]'s text, or a plain minute number.
pub fn parse_minute_param(s: &str) -> Option<i64> {
    if let Ok(m) = s.parse::<i64>() {
        return Some(m);
    }
    let t = s.strip_suffix('Z').unwrap_or(s);
    let t = PrimitiveDateTime::parse(
        t,
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .ok()?;
    Some(t.assume_utc().unix_timestamp().div_euclid(60))
}

impl EventsQuery {
    /// Parses the part after `?` (an empty string is no filter).
    pub fn parse(query: &str) -> EventsQuery {
        let mut q = EventsQuery::default();
        let (mut from, mut to) = (None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "from" => from = parse_minute_param(&value),
                "to" => to = parse_minute_param(&value),
                "page" => q.page = value.parse().unwrap_or(0),
                k => {
                    if let Some(v) = slot(&mut q.filter, k) {
                        *v = Some(value.into_owned());
                    }
                }
            }
        }
        if from.is_some() || to.is_some() {
            q.filter.range = Some(MinuteRange::new(
                from.unwrap_or(i64::MIN),
                to.unwrap_or(i64::MAX),
            ));
        }
        q
    }

    /// The query text (without `?`; empty for no filter on page 0), in a fixed key order.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (key, _, value) in text_fields(&self.filter) {
            if let Some(v) = value {
                out.append_pair(key, v);
            }
        }
        if let Some(r) = self.filter.range {
            if r.start != i64::MIN {
                out.append_pair("from", &format_minute_param(r.start));
            }
            if r.end != i64::MAX {
                out.append_pair("to", &format_minute_param(r.end));
            }
        }
        if self.page > 0 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_round_trips_through_the_url() {
        let q = EventsQuery {
            filter: EventFilter {
                source: Some("ec2.amazonaws.com".into()),
                name: Some("RunInstances".into()),
                identity: Some("arn:aws:sts::1:assumed-role/A&B=C/x y".into()),
                identity_type: Some("AssumedRole".into()),
                user_agent: Some("aws-cli/2.15 Python/3.11 (é)".into()),
                source_ip: Some("203.0.113.9".into()),
                error_code: Some(String::new()),
                region: Some("us-east-1".into()),
                account: Some("111122223333".into()),
                range: Some(MinuteRange::new(29_000_000, 29_000_015)),
            },
            page: 3,
        };
        let text = q.to_query();
        assert!(text.contains("from=") && text.contains("page=3"), "{text}");
        assert!(!text.contains(' ') && !text.contains('#'), "{text}");
        assert_eq!(EventsQuery::parse(&text), q);
        assert_eq!(EventsQuery::parse(""), EventsQuery::default());
        assert_eq!(EventsQuery::default().to_query(), "");
    }

    #[test]
    fn times_are_readable_and_open_ended_ranges_work() {
        assert_eq!(format_minute_param(0), "1970-01-01T00:00Z");
        assert_eq!(parse_minute_param("2026-03-09T14:05Z"), Some(29_551_085));
        assert_eq!(format_minute_param(29_551_085), "2026-03-09T14:05Z");
        assert_eq!(parse_minute_param("-5"), Some(-5));
        assert_eq!(parse_minute_param("yesterday"), None);
        let q = EventsQuery::parse("from=1970-01-01T00:10Z");
        assert_eq!(q.filter.range, Some(MinuteRange::new(10, i64::MAX)));
        assert_eq!(EventsQuery::parse(&q.to_query()), q);
        let q = EventsQuery::parse("to=20");
        assert_eq!(q.filter.range, Some(MinuteRange::new(i64::MIN, 20)));
    }

    #[test]
    fn junk_is_ignored_and_chips_remove_one_filter() {
        let q = EventsQuery::parse("bogus=1&page=x&from=never&region=eu-west-1&&=&ip");
        assert_eq!(q.page, 0);
        assert_eq!(q.filter.range, None);
        assert_eq!(q.filter.region.as_deref(), Some("eu-west-1"));
        assert_eq!(q.filter.source_ip.as_deref(), Some(""));
        let f = without(&q.filter, "region");
        assert_eq!(f.region, None);
        assert_eq!(f.source_ip.as_deref(), Some(""));
        let ranged = EventFilter {
            range: Some(MinuteRange::new(1, 2)),
            ..Default::default()
        };
        assert!(without(&ranged, "range").is_empty());
        assert_eq!(without(&ranged, "nonsense"), ranged);
    }
}
