//! How Trailsight writes values for people: one home for every text the list,
//! the details page, the events views, the CSV/zip exports and the Insight
//! records share, so the same Insight reads the same everywhere.
//!
//! - [`time`]: instants to the minute and to the second at a zone offset, zone
//!   labels (`UTC`, `UTC+01:00`), CloudTrail's `eventTime` form, axis labels,
//!   `datetime-local` values and durations;
//! - [`number`]: per-minute averages, the rate change (one percentage, one
//!   display form `300% ↑`), shares, counts, bytes and milliseconds, the
//!   console's Insight type labels;
//! - [`json`]: records pretty-printed with their keys in order.
//!
//! Pure: no clock, no environment, no web dependency. The browser's zone offset
//! is looked up in `app::format` and passed in as minutes east of UTC.

pub mod json;
pub mod number;
pub mod time;

pub use json::pretty_json;
pub use number::{
    average, bytes, group_thousands, insight_type_label, millis, rate_change, rate_change_percent,
    share,
};
pub use time::{
    duration, input_minute, minute_at, minute_in_zone, parse_input_minute, record_time, second_at,
    second_in_zone, short_minute, tick_label, zone_label,
};
