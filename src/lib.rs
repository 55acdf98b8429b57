//! Trailsight: CloudTrail Insights computed on logs you already have.
//!
//! The crate is one pure core and two faces:
//! - [`model`], [`ingest`], [`engine`], [`counts`], [`generate`], [`export`], [`format`],
//!   [`view_model`], [`session`], [`load_plan`]: no web and no thread dependencies; compiled natively (CLI,
//!   tests, benchmarks) and to wasm32 (web worker, dashboard). [`session`] answers the
//!   dashboard's requests and holds its data.
//! - the `trailsight` CLI (`src/bin/trailsight.rs`, [`cli`]), native only;
//! - the dashboard ([`app`], Leptos) and its web workers ([`worker`]: `File` and `postMessage`
//!   adapters over [`session`]), wasm32 only.

pub mod counts;
pub mod engine;
pub mod export;
pub mod format;
pub mod generate;
pub mod ingest;
pub mod load_plan;
pub mod model;
pub mod session;
pub mod sql;
pub mod view_model;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker;
