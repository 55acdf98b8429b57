//! Times, zones and durations as the dashboard, the exports and the records
//! write them. A zone arrives as an offset in minutes east of UTC: the browser
//! half (`app::format`) asks the browser for it per instant, so daylight-saving
//! changes are honoured; nothing here reads a clock or the environment, so the
//! same instant and offset always give the same text.

use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The instant `ms` (milliseconds since the epoch) seen at `offset_minutes` east
/// of UTC; `None` when either is out of range.
fn at(ms: i64, offset_minutes: i64) -> Option<OffsetDateTime> {
    let offset =
        UtcOffset::from_whole_seconds(i32::try_from(offset_minutes.checked_mul(60)?).ok()?).ok()?;
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    Some(t.to_offset(offset))
}

fn minute_instant(minute: i64, offset_minutes: i64) -> Option<OffsetDateTime> {
    at(minute.checked_mul(60_000)?, offset_minutes)
}

/// `2024-12-11T16:52:00Z`: an absolute minute as CloudTrail writes `eventTime`
/// (the Insight records, the CSV export, generated logs). Out of range gives the
/// epoch, so a record is always well-formed.
pub fn record_time(minute: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(minute.saturating_mul(60))
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// `2026-11-25 14:57`: a minute since the epoch at `offset_minutes`, no zone.
pub fn minute_at(minute: i64, offset_minutes: i64) -> String {
    minute_instant(minute, offset_minutes)
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| format!("minute {minute}"))
}

/// `2026-11-25 14:57:03`: milliseconds since the epoch at `offset_minutes`, to
/// the second (truncated, as a clock shows it), no zone.
pub fn second_at(ms: i64, offset_minutes: i64) -> String {
    at(ms, offset_minutes)
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .ok()
        })
        .unwrap_or_else(|| format!("{ms} ms"))
}

/// `2026-11-25 14:57 UTC` / `2026-11-25 15:57 UTC+01:00`: a minute with its zone.
pub fn minute_in_zone(minute: i64, offset_minutes: i64) -> String {
    format!(
        "{} {}",
        minute_at(minute, offset_minutes),
        zone_label(offset_minutes)
    )
}

/// `2026-11-25 14:57:03 UTC`: an instant in milliseconds, to the second, with its zone.
pub fn second_in_zone(ms: i64, offset_minutes: i64) -> String {
    format!(
        "{} {}",
        second_at(ms, offset_minutes),
        zone_label(offset_minutes)
    )
}

/// `UTC`, or the offset as `UTC+05:30` / `UTC-04:00`.
pub fn zone_label(offset_minutes: i64) -> String {
    if offset_minutes == 0 {
        return "UTC".to_string();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let a = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// An axis label: the date (`Nov 25`) for day steps and at midnight, otherwise
/// the clock time (`14:30`).
pub fn tick_label(minute: i64, offset_minutes: i64, step: i64) -> String {
    let Some(t) = minute_instant(minute, offset_minutes) else {
        return String::new();
    };
    let midnight = t.hour() == 0 && t.minute() == 0;
    let fmt = if step >= 1440 || midnight {
        format_description!("[month repr:short] [day padding:none]")
    } else {
        format_description!("[hour]:[minute]")
    };
    t.format(fmt).unwrap_or_default()
}

/// `03-09 14:05`: short enough for an axis label (the zone is in the caption).
pub fn short_minute(minute: i64, offset_minutes: i64) -> String {
    let full = minute_at(minute, offset_minutes);
    match full.get(5..) {
        Some(rest) if full.as_bytes().get(4) == Some(&b'-') => rest.to_string(),
        _ => full,
    }
}

/// `2026-03-09T14:05`: the value of a `datetime-local` input for `minute` at
/// `offset_minutes`; empty when out of range (the input then shows nothing).
pub fn input_minute(minute: i64, offset_minutes: i64) -> String {
    minute_instant(minute, offset_minutes)
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                .ok()
        })
        .unwrap_or_default()
}

/// Reads a `datetime-local` value (`2026-03-09T14:05`, seconds ignored) as a
/// wall-clock minute: the minute since the epoch it would be in UTC. The caller
/// subtracts the zone's offset. `None` for impossible dates (Feb 30) and junk.
pub fn parse_input_minute(value: &str) -> Option<i64> {
    let v = value.trim();
    let (head, rest) = (v.get(..16)?, v.get(16..)?);
    if !(rest.is_empty() || rest.starts_with(':')) {
        return None;
    }
    let t = PrimitiveDateTime::parse(
        head,
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .ok()?;
    Some(t.assume_utc().unix_timestamp().div_euclid(60))
}

/// A duration in minutes as `45 min`, `3 h`, `3 h 20 min`, `2 d`, `2 d 4 h`
/// (days drop the minutes: past a day they are noise). Negative reads `0 min`.
pub fn duration(minutes: impl Into<i64>) -> String {
    let m = minutes.into().max(0);
    match (m / 1440, (m % 1440) / 60, m % 60) {
        (0, 0, min) => format!("{min} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, min) => format!("{h} h {min} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2019-11-14 00:51 UTC, the eventTime of the spec's 2019 example.
    const MINUTE: i64 = 1_573_692_660 / 60;

    #[test]
    fn record_times_are_utc_with_seconds_and_z() {
        assert_eq!(record_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(record_time(1_733_935_920 / 60), "2024-12-11T16:52:00Z");
        assert_eq!(record_time(-1), "1969-12-31T23:59:00Z");
        assert_eq!(record_time(i64::MAX), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn minutes_at_positive_negative_and_half_hour_offsets() {
        assert_eq!(minute_at(MINUTE, 0), "2019-11-14 00:51");
        assert_eq!(minute_at(MINUTE, -60), "2019-11-13 23:51");
        assert_eq!(minute_at(MINUTE, 330), "2019-11-14 06:21");
        assert_eq!(minute_at(MINUTE, -570), "2019-11-13 15:21");
        // Out of range never panics.
        assert_eq!(minute_at(i64::MAX, 0), format!("minute {}", i64::MAX));
        assert_eq!(minute_at(MINUTE, 100_000), format!("minute {MINUTE}"));
        assert_eq!(minute_at(MINUTE, i64::MIN), format!("minute {MINUTE}"));
    }

    #[test]
    fn seconds_truncate_and_carry_the_zone() {
        let ms = MINUTE * 60_000 + 3_999;
        assert_eq!(second_at(ms, 0), "2019-11-14 00:51:03");
        assert_eq!(second_in_zone(ms, 0), "2019-11-14 00:51:03 UTC");
        assert_eq!(second_in_zone(ms, 60), "2019-11-14 01:51:03 UTC+01:00");
        // Before the epoch the second still counts down from the minute.
        assert_eq!(second_at(-1, 0), "1969-12-31 23:59:59");
        assert_eq!(minute_in_zone(MINUTE, -240), "2019-11-13 20:51 UTC-04:00");
        assert_eq!(minute_in_zone(MINUTE, 0), "2019-11-14 00:51 UTC");
    }

    #[test]
    fn zone_labels() {
        assert_eq!(zone_label(0), "UTC");
        assert_eq!(zone_label(60), "UTC+01:00");
        assert_eq!(zone_label(330), "UTC+05:30");
        assert_eq!(zone_label(-240), "UTC-04:00");
        assert_eq!(zone_label(-570), "UTC-09:30");
        // No overflow on the extreme.
        assert!(zone_label(i64::MIN).starts_with("UTC-"));
    }

    #[test]
    fn tick_labels_switch_to_dates() {
        assert_eq!(tick_label(MINUTE, 0, 30), "00:51");
        assert_eq!(tick_label(MINUTE - 51, 0, 30), "Nov 14");
        assert_eq!(tick_label(MINUTE, 0, 1440), "Nov 14");
        // Local midnight, not UTC midnight, makes a date.
        assert_eq!(tick_label(MINUTE - 51 - 60, 60, 30), "Nov 14");
        assert_eq!(tick_label(i64::MAX, 0, 30), "");
    }

    #[test]
    fn short_minutes_drop_the_year() {
        assert_eq!(short_minute(MINUTE, 0), "11-14 00:51");
        assert_eq!(short_minute(MINUTE, -60), "11-13 23:51");
        assert_eq!(short_minute(i64::MAX, 0), format!("minute {}", i64::MAX));
    }

    #[test]
    fn input_values_round_trip() {
        assert_eq!(input_minute(29_550_590, 0), "2026-03-09T05:50");
        assert_eq!(parse_input_minute("2026-03-09T05:50"), Some(29_550_590));
        assert_eq!(
            parse_input_minute(" 2026-03-09T05:50:00 "),
            Some(29_550_590)
        );
        assert_eq!(input_minute(29_550_590, 60), "2026-03-09T06:50");
        assert_eq!(parse_input_minute("2026-02-30T05:50"), None);
        assert_eq!(parse_input_minute("2026-03-09T24:00"), None);
        assert_eq!(parse_input_minute("2026-03-09T05:50junk"), None);
        assert_eq!(parse_input_minute("junk"), None);
        assert_eq!(parse_input_minute(""), None);
        assert_eq!(input_minute(i64::MAX, 0), "");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0 min");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(120), "2 h");
        assert_eq!(duration(65), "1 h 5 min");
        assert_eq!(duration(200u32), "3 h 20 min");
        assert_eq!(duration(2880), "2 d");
        assert_eq!(duration(3000), "2 d 2 h");
        assert_eq!(duration(-5), "0 min");
        assert_eq!(duration(u32::MAX), "2982616 d 4 h");
    }
}
