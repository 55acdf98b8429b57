//! Time labels for the details page: minutes and milliseconds since the epoch shown
//! in UTC or in the browser's zone. The zone arrives as an offset in minutes east of
//! UTC (the caller asks the browser per instant, so daylight-saving changes are
//! honoured); nothing here reads a clock or the environment.

use time::{macros::format_description, OffsetDateTime, UtcOffset};

fn at(ms: i64, offset_minutes: i64) -> Option<OffsetDateTime> {
    let offset =
        UtcOffset::from_whole_seconds(i32::try_from(offset_minutes.checked_mul(60)?).ok()?).ok()?;
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    Some(t.to_offset(offset))
}

/// `2026-11-25 14:57` (minute since the epoch, at `offset_minutes`).
pub fn format_minute(minute: i64, offset_minutes: i64) -> String {
    minute
        .checked_mul(60_000)
        .and_then(|ms| at(ms, offset_minutes))
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| format!("minute {minute}"))
}

/// `2026-11-25 14:57:03` (milliseconds since the epoch, at `offset_minutes`).
pub fn format_time_ms(ms: i64, offset_minutes: i64) -> String {
    at(ms, offset_minutes)
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .ok()
        })
        .unwrap_or_else(|| format!("{ms} ms"))
}

/// An axis label: the date (`Nov 25`) for day steps and at local midnight,
/// otherwise the clock time (`14:30`).
pub fn tick_label(minute: i64, offset_minutes: i64, step: i64) -> String {
    let Some(t) = minute
        .checked_mul(60_000)
        .and_then(|ms| at(ms, offset_minutes))
    else {
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

/// `UTC`, or the local offset as `UTC+05:30` / `UTC-04:00`.
pub fn zone_label(offset_minutes: i64) -> String {
    if offset_minutes == 0 {
        return "UTC".to_string();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let a = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// A duration in minutes as `45 min`, `3 h 20 min`, `2 d 4 h`.
pub fn format_duration(minutes: i64) -> String {
    let m = minutes.max(0);
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
    fn formats_in_utc_and_with_offsets() {
        assert_eq!(format_minute(MINUTE, 0), "2019-11-14 00:51");
        assert_eq!(format_minute(MINUTE, -60), "2019-11-13 23:51");
        assert_eq!(format_minute(MINUTE, 330), "2019-11-14 06:21");
        assert_eq!(
            format_time_ms(MINUTE * 60_000 + 3_500, 0),
            "2019-11-14 00:51:03"
        );
        // Out of range never panics.
        assert_eq!(format_minute(i64::MAX, 0), format!("minute {}", i64::MAX));
        assert_eq!(format_minute(MINUTE, 100_000), format!("minute {MINUTE}"));
    }

    #[test]
    fn tick_labels_switch_to_dates() {
        assert_eq!(tick_label(MINUTE, 0, 30), "00:51");
        assert_eq!(tick_label(MINUTE - 51, 0, 30), "Nov 14");
        assert_eq!(tick_label(MINUTE, 0, 1440), "Nov 14");
    }

    #[test]
    fn zones_and_durations() {
        assert_eq!(zone_label(0), "UTC");
        assert_eq!(zone_label(330), "UTC+05:30");
        assert_eq!(zone_label(-240), "UTC-04:00");
        assert_eq!(format_duration(45), "45 min");
        assert_eq!(format_duration(120), "2 h");
        assert_eq!(format_duration(200), "3 h 20 min");
        assert_eq!(format_duration(3000), "2 d 2 h");
        assert_eq!(format_duration(-5), "0 min");
    }
}
