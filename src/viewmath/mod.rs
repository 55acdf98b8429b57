//! Pure logic behind the dashboard's Insight details page: the graph's geometry
//! ([`chart`]), view state ([`chart_view`]) and drawing on any plotters backend
//! ([`chart_draw`]), the Attributions tables ([`attributions`]), time labels
//! ([`timefmt`]), record pretty-printing ([`json`]) and why an Insight fired
//! ([`explain`]).
//!
//! It has no web dependency so it compiles natively and is unit-tested with plain
//! `cargo test`; the Leptos components in `app::details` and `app::insights_graph` only wire
//! browser events to it and render what it returns.

pub mod attributions;
pub mod brush;
pub mod chart;
pub mod chart_draw;
pub mod chart_view;
pub mod events_query;
pub mod explain;
pub mod json;
pub mod timefmt;
