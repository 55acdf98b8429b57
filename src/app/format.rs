//! Display formatting shared by the list and details pages: times in UTC or
//! local time, averages, rate change. Pure except for the time-zone lookup.

use crate::engine::format_minute;

/// Minutes east of UTC of the browser's time zone at `minute` (DST-aware).
pub fn local_offset_minutes(minute: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(minute as f64 * 60_000.0));
    -(date.get_timezone_offset() as i64)
}

/// `2026-03-09 14:05` plus the zone: `UTC`, or the local offset as `UTC+01:00`.
pub fn format_minute_in(minute: i64, utc: bool) -> String {
    if utc {
        return format!("{} UTC", plain_minute(minute));
    }
    let offset = local_offset_minutes(minute);
    format!("{} {}", plain_minute(minute + offset), zone_label(offset))
}

/// `2026-03-09 14:05` (no zone) for a minute since the epoch.
pub fn plain_minute(minute: i64) -> String {
    // format_minute gives `YYYY-MM-DDTHH:MM:00Z`.
    let s = format_minute(minute);
    match (s.get(0..10), s.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => s,
    }
}

/// `UTC`, `UTC+01:00`, `UTC-05:30`.
pub fn zone_label(offset_minutes: i64) -> String {
    if offset_minutes == 0 {
        return "UTC".into();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let a = offset_minutes.abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// An event time in milliseconds, to the second.
pub fn format_ms_in(ms: i64, utc: bool) -> String {
    let minute = ms.div_euclid(60_000);
    let second = ms.rem_euclid(60_000) / 1000;
    let shown = format_minute_in(minute, utc);
    // Insert the seconds after `HH:MM`.
    match shown
        .split_once(' ')
        .and_then(|(d, rest)| rest.split_once(' ').map(|(t, z)| (d, t, z)))
    {
        Some((date, time, zone)) => format!("{date} {time}:{second:02} {zone}"),
        None => shown,
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (a `datetime-local` input's value) as a minute,
/// in UTC or in local time.
pub fn parse_minute_in(value: &str, utc: bool) -> Option<i64> {
    let v = value.trim();
    let year: i64 = v.get(0..4)?.parse().ok()?;
    let month: i64 = v.get(5..7)?.parse().ok()?;
    let day: i64 = v.get(8..10)?.parse().ok()?;
    let hour: i64 = v.get(11..13)?.parse().ok()?;
    let min: i64 = v.get(14..16)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 {
        return None;
    }
    let wall = days_from_civil(year, month, day) * 1440 + hour * 60 + min;
    if utc {
        Some(wall)
    } else {
        Some(wall - local_offset_minutes(wall))
    }
}

/// `YYYY-MM-DDTHH:MM` for a `datetime-local` input.
pub fn input_value(minute: i64, utc: bool) -> String {
    let shown = if utc {
        minute
    } else {
        minute + local_offset_minutes(minute)
    };
    plain_minute(shown).replacen(' ', "T", 1)
}

pub use crate::ingest::days_from_civil;

/// A per-minute average the way the console shows it: up to 4 significant decimals.
pub fn average(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = if x >= 100.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "0" {
        format!("{x:.1e}")
    } else {
        s
    }
}

/// AWS's "Rate change": insight average / baseline average as a percentage
/// with an arrow (their example: baseline 1.0, insight 3.0 → `300% ↑`).
pub fn rate_change(baseline: f64, insight: f64) -> String {
    let arrow = if insight >= baseline { '↑' } else { '↓' };
    if baseline <= 0.0 {
        return format!("new {arrow}");
    }
    let pct = insight / baseline * 100.0;
    format!("{}% {arrow}", group_thousands(pct.round() as i64))
}

/// `12345` → `12,345`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Bytes as `12.3 MB`.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.0} kB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// A duration in minutes as `1 h 05 min` / `12 min`.
pub fn minutes(n: u32) -> String {
    if n >= 60 {
        format!("{} h {:02} min", n / 60, n % 60)
    } else {
        format!("{n} min")
    }
}

/// Milliseconds as `1.2 s` / `340 ms`.
pub fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// `Api call rate` / `Api error rate`, as the console labels insight types.
pub fn insight_type_label(t: crate::model::InsightType) -> &'static str {
    match t {
        crate::model::InsightType::ApiCallRateInsight => "API call rate",
        crate::model::InsightType::ApiErrorRateInsight => "API error rate",
    }
}
