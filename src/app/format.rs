//! The browser half of formatting: the time-zone offset of the displayed zone,
//! which only the browser knows (`js_sys::Date`, DST-aware per instant), and
//! the list's and tabs' helpers that take the UTC/local switch instead of an
//! offset. Every text itself comes from [`crate::format`] (pure, tested natively),
//! re-exported here so a component imports one module.

pub use crate::format::{
    average, bytes, duration, group_thousands, insight_type_label, millis, rate_change, zone_label,
};

/// Minutes east of UTC of the browser's time zone at `minute` (DST-aware); 0
/// when the browser cannot say.
pub fn local_offset_minutes(minute: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(minute as f64 * 60_000.0));
    let offset = date.get_timezone_offset();
    if offset.is_finite() {
        -(offset.round() as i64)
    } else {
        0
    }
}

/// Offset east of UTC, in minutes, of the displayed zone at `minute`: 0 in UTC,
/// otherwise the browser's offset at that instant (so DST changes are honoured).
pub fn zone_offset(use_utc: bool, minute: i64) -> i64 {
    if use_utc {
        0
    } else {
        local_offset_minutes(minute)
    }
}

/// `2026-03-09 14:05 UTC` / `2026-03-09 15:05 UTC+01:00`.
pub fn format_minute_in(minute: i64, utc: bool) -> String {
    crate::format::minute_in_zone(minute, zone_offset(utc, minute))
}

/// An event time in milliseconds, to the second, with the zone.
pub fn format_ms_in(ms: i64, utc: bool) -> String {
    crate::format::second_in_zone(ms, zone_offset(utc, ms.div_euclid(60_000)))
}

/// `03-09 14:05` in the displayed zone (an axis label; the zone is in the caption).
pub fn short_minute_in(minute: i64, utc: bool) -> String {
    crate::format::short_minute(minute, zone_offset(utc, minute))
}

/// Parses `YYYY-MM-DDTHH:MM` (a `datetime-local` input's value) as a minute,
/// in UTC or in local time.
pub fn parse_minute_in(value: &str, utc: bool) -> Option<i64> {
    let wall = crate::format::parse_input_minute(value)?;
    if utc {
        Some(wall)
    } else {
        // The offset at the wall-clock reading is the zone's offset at that
        // instant except within a DST change's hour.
        Some(wall - local_offset_minutes(wall))
    }
}

/// `YYYY-MM-DDTHH:MM` for a `datetime-local` input.
pub fn input_value(minute: i64, utc: bool) -> String {
    crate::format::input_minute(minute, zone_offset(utc, minute))
}
