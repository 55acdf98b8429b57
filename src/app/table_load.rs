//! Loads of per-minute counts and attributions files ("Beyond one machine"):
//! every way in (drop, pickers) comes here first. The first bytes of each
//! candidate file tell a counts or attributions table from a log (Parquet by
//! its magic, CSV and gzip CSV by their header: [`looks_like_table`]), so a
//! file is recognised whatever its name. With no table among them the files
//! go to the log [`Loader`]; otherwise the tables go to the analysis worker
//! ([`Request::LoadTables`]), which reads them and detects with
//! `engine::detect_counts`.

use super::client::{loaded, DataClient};
use super::loader::{now_ms, InputFile, Loader};
use super::state::{AppState, LoadStatus};
use crate::counts::dashboard::{looks_like_table, HEAD_BYTES};
use crate::session::protocol::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Loads with at most this many files have every file's head read; bigger
/// loads (thousands of delivery files) only those whose name is not a log's.
const SNIFF_ALL_MAX: usize = 64;

/// Whether `name` is a log's (checked only in big loads, where reading every
/// head would cost a browser round trip per file).
fn log_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        ".json",
        ".json.gz",
        ".jsonl",
        ".jsonl.gz",
        ".zip",
        ".tar.gz",
        ".tgz",
        ".tar",
    ]
    .iter()
    .any(|s| n.ends_with(s))
}

/// The first [`HEAD_BYTES`] of a file.
async fn head(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let end = (file.size() as i32).clamp(0, HEAD_BYTES as i32);
    let blob = file
        .slice_with_i32_and_i32(0, end)
        .map_err(|e| format!("{e:?}"))?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| format!("cannot read {}: {e:?}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Starts loading `files`: as counts and attributions when there are tables among them, else as logs.
pub fn start(files: Vec<InputFile>, state: AppState, client: DataClient, loader: Loader) {
    spawn_local(async move {
        let sniff_all = files.len() <= SNIFF_ALL_MAX;
        let mut tables = Vec::new();
        let mut others = Vec::new();
        for f in &files {
            let is_table = if sniff_all || !log_name(&f.name) {
                head(&f.file).await.is_ok_and(|h| looks_like_table(&h))
            } else {
                false
            };
            if is_table {
                tables.push(f.clone());
            } else {
                others.push(f.name.clone());
            }
        }
        if tables.is_empty() {
            loader.start(files, state, client);
            return;
        }
        load_tables(tables, others, state, client).await;
    });
}

async fn load_tables(
    tables: Vec<InputFile>,
    others: Vec<String>,
    state: AppState,
    client: DataClient,
) {
    let started = now_ms();
    state.load.set(LoadStatus::Analysing {
        files: tables.len() as u32,
        events: 0,
    });
    let names = tables.iter().map(|f| f.name.clone()).collect();
    let attachments: Vec<JsValue> = tables.iter().map(|f| JsValue::from(&f.file)).collect();
    let request = Request::LoadTables {
        names,
        others,
        settings: state.settings.get_untracked(),
    };
    let result = match client.call(request, &attachments).await {
        Ok(reply) => loaded(reply.body),
        Err(e) => Err(e),
    };
    match result {
        Ok((summary, insights)) => {
            state.summary.set(Some(summary));
            state.insights.set(insights);
            state.load.set(LoadStatus::Done {
                ms: now_ms() - started,
            });
        }
        Err(e) => state.load.set(LoadStatus::Failed(e)),
    }
}
