//! Pure logic behind the dashboard's Insight details page: the graph's geometry
//! ([`chart`]), the Attributions tables ([`attributions`]), time labels
//! ([`timefmt`]) and record pretty-printing ([`json`]).
//!
//! It has no web dependency so it compiles natively and is unit-tested with plain
//! `cargo test`; the Leptos components in `app::details` and `app::chart` only wire
//! browser events to it and render what it returns.

pub mod attributions;
pub mod chart;
pub mod json;
pub mod timefmt;
