//! Temporary aliases: the old `viewmath` paths used by `app/chart/` (being split
//! into `app/insights_graph/` in parallel). `viewmath` is now [`crate::view_model`];
//! its time labels and average formatter are in [`crate::format`]. Delete this
//! file once nothing imports `crate::viewmath`.

pub use crate::view_model::chart;

/// Old home of the time labels: [`crate::format::time`].
pub mod timefmt {
    pub use crate::format::{
        duration as format_duration, minute_at as format_minute, second_at as format_time_ms,
        tick_label, zone_label,
    };
}

/// Old home of the average formatter: [`crate::format::average`].
pub mod attributions {
    pub use crate::format::average as format_average;
    pub use crate::view_model::attributions::*;
}
