//! The Insights list's filtering and sorting, kept free of the DOM so it is
//! tested directly (tests/web.rs).

use crate::model::{Insight, InsightType};
use std::cmp::Ordering;

/// The table's columns, in on-screen order (AWS's seven, then ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    EventName,
    InsightType,
    EventSource,
    StartTime,
    BaselineAverage,
    InsightAverage,
    RateChange,
    Region,
    Account,
    Duration,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::EventName,
        Column::InsightType,
        Column::EventSource,
        Column::StartTime,
        Column::BaselineAverage,
        Column::InsightAverage,
        Column::RateChange,
        Column::Region,
        Column::Account,
        Column::Duration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Column::EventName => "Event name",
            Column::InsightType => "Insight type",
            Column::EventSource => "Event source",
            Column::StartTime => "Event start time",
            Column::BaselineAverage => "Baseline average",
            Column::InsightAverage => "Insight average",
            Column::RateChange => "Rate change",
            Column::Region => "Region",
            Column::Account => "Account",
            Column::Duration => "Duration",
        }
    }

    /// Numeric columns are right-aligned and sort descending first.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Column::BaselineAverage
                | Column::InsightAverage
                | Column::RateChange
                | Column::Duration
        )
    }

    fn compare(self, a: &Insight, b: &Insight) -> Ordering {
        match self {
            Column::EventName => a.key.name.cmp(&b.key.name),
            Column::InsightType => a.key.insight_type.cmp(&b.key.insight_type),
            Column::EventSource => a.key.source.cmp(&b.key.source),
            Column::StartTime => a.start_minute.cmp(&b.start_minute),
            Column::BaselineAverage => a.baseline_average.total_cmp(&b.baseline_average),
            Column::InsightAverage => a.insight_average.total_cmp(&b.insight_average),
            Column::RateChange => rate_ratio(a).total_cmp(&rate_ratio(b)),
            Column::Region => a.key.region.cmp(&b.key.region),
            Column::Account => a.key.account.cmp(&b.key.account),
            Column::Duration => a.insight_duration.cmp(&b.insight_duration),
        }
    }
}

/// The rate change, for sorting: an Insight with no baseline sorts as infinite.
fn rate_ratio(i: &Insight) -> f64 {
    crate::format::rate_change_percent(i.baseline_average, i.insight_average)
        .unwrap_or(f64::INFINITY)
}

/// The sort order of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Default for Sort {
    /// Newest first, as the console lists Insights.
    fn default() -> Self {
        Sort {
            column: Column::StartTime,
            ascending: false,
        }
    }
}

impl Sort {
    /// The order after clicking `column`'s header.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                column,
                ascending: !column.is_numeric() && column != Column::StartTime,
            }
        }
    }
}

impl Sort {
    /// `aria-sort` of `column`'s header.
    pub fn aria_sort(self, column: Column) -> &'static str {
        match (self.column == column, self.ascending) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) => "descending",
        }
    }

    /// The arrow after `column`'s label: ▲ ascending, ▼ descending, none when
    /// the table is sorted by another column.
    pub fn arrow(self, column: Column) -> &'static str {
        match (self.column == column, self.ascending) {
            (false, _) => "",
            (true, true) => " ▲",
            (true, false) => " ▼",
        }
    }
}

/// The table's caption: `Insights (12)`, or `Insights (3 of 12)` when
/// filters hide some.
pub fn caption(shown: usize, total: usize) -> String {
    if shown == total {
        format!("Insights ({total})")
    } else {
        format!("Insights ({shown} of {total})")
    }
}

/// The list's filters. Text filters match case-insensitive substrings;
/// empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub event_name: String,
    pub event_source: String,
    /// Matches the shared, start or end event ID.
    pub event_id: String,
    pub insight_type: Option<InsightType>,
    pub region: String,
    pub account: String,
    /// Insights overlapping `[from_minute, to_minute]`.
    pub from_minute: Option<i64>,
    pub to_minute: Option<i64>,
    /// Who found the Insight (AWS, Trailsight, both); applied by the table
    /// with the pairing ([`crate::engine::pairing`]), not by [`Filters::matches`].
    pub found_by: Option<crate::engine::pairing::FoundBy>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    pub fn matches(&self, i: &Insight) -> bool {
        let has = |hay: &str, needle: &str| {
            let needle = needle.trim();
            needle.is_empty() || hay.to_lowercase().contains(&needle.to_lowercase())
        };
        has(&i.key.name, &self.event_name)
            && has(&i.key.source, &self.event_source)
            && (has(&i.shared_event_id, &self.event_id)
                || has(&i.start_event_id, &self.event_id)
                || has(&i.end_event_id, &self.event_id))
            && self.insight_type.is_none_or(|t| t == i.key.insight_type)
            && has(&i.key.region, &self.region)
            && has(&i.key.account, &self.account)
            && self.from_minute.is_none_or(|from| i.end_minute >= from)
            && self.to_minute.is_none_or(|to| i.start_minute <= to)
    }
}

/// Indexes of the Insights that pass `filters`, in `sort` order (ties broken
/// by start time then `sharedEventID`, so the order is deterministic).
pub fn visible(insights: &[Insight], filters: &Filters, sort: Sort) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..insights.len())
        .filter(|&n| filters.matches(&insights[n]))
        .collect();
    rows.sort_by(|&x, &y| {
        let (a, b) = (&insights[x], &insights[y]);
        let primary = sort.column.compare(a, b);
        let primary = if sort.ascending {
            primary
        } else {
            primary.reverse()
        };
        primary
            .then_with(|| a.start_minute.cmp(&b.start_minute))
            .then_with(|| a.shared_event_id.cmp(&b.shared_event_id))
    });
    rows
}
