//! Trailsight: CloudTrail Insights computed on logs you already have.
//!
//! The crate is one pure core and two faces:
//! - [`model`], [`ingest`], [`engine`], [`counts`], [`generate`], [`export`],
//!   [`load_plan`]: no web and no thread dependencies; compiled natively (CLI,
//!   tests, benchmarks) and to wasm32 (web worker, page).
//! - the `trailsight` CLI (`src/bin/trailsight.rs`, [`cli`]), native only;
//! - the dashboard ([`app`], Leptos) and its web workers ([`worker_api`]), wasm32 only.

pub mod counts;
pub mod engine;
pub mod event_store;
pub mod export;
pub mod generate;
pub mod ingest;
pub mod load_plan;
pub mod model;
pub mod sql;
pub mod viewmath;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker_api;
