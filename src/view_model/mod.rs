//! The dashboard's view models: what its pages show, computed from the data
//! without the browser, so it compiles natively and is unit-tested with plain
//! `cargo test`. The Leptos components in `app/` only wire browser events to it
//! and render what it returns.
//!
//! - [`chart`]: the Insights graph's geometry (ranges, zoom, ticks, samples);
//! - [`chart_view`]: the graph's interactions (zoom, pan, drag, hover, keys) as a plain state value;
//! - [`chart_draw`]: the graph's drawing, generic over the plotters backend (SVG in native tests);
//! - [`brush`]: which minutes a click or drag on the list's activity chart covers;
//! - [`attributions`]: the details page's Attributions tables;
//! - [`explain`]: the details page's "Why unusual" lines;
//! - [`events_query`]: the events view's filters and their URL query.
//!
//! How values read (times, zones, averages, rate change) is [`crate::format`].

pub mod attributions;
pub mod brush;
pub mod chart;
pub mod chart_draw;
pub mod chart_view;
pub mod events_query;
pub mod explain;
