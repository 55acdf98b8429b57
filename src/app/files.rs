//! Turning what the user gave (picked files, a picked folder, dropped files
//! and folders) into a flat list of [`InputFile`]s with their relative paths.
//! Archives stay whole: the parse workers open them.

use super::loader::InputFile;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The files of an `<input type=file>` (with or without `webkitdirectory`).
pub fn from_file_list(list: Option<web_sys::FileList>) -> Vec<InputFile> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            // Folder pickers give `AWSLogs/123/CloudTrail/…`; plain pickers an empty string.
            let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let name = if relative.is_empty() {
                file.name()
            } else {
                relative
            };
            InputFile::new(name, file)
        })
        .collect()
}

/// What a drop held, captured synchronously: `DataTransfer` items are only
/// readable during the `drop` event, so entries are taken now and walked later.
pub enum Dropped {
    Entries(Vec<web_sys::FileSystemEntry>),
    Files(Vec<InputFile>),
}

pub fn capture_drop(transfer: &web_sys::DataTransfer) -> Dropped {
    let items = transfer.items();
    let entries: Vec<web_sys::FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    if entries.is_empty() {
        Dropped::Files(from_file_list(transfer.files()))
    } else {
        Dropped::Entries(entries)
    }
}

/// Walks dropped entries recursively (folders in any depth), in a stable order.
pub async fn resolve_drop(dropped: Dropped) -> Result<Vec<InputFile>, String> {
    let entries = match dropped {
        Dropped::Files(files) => return Ok(files),
        Dropped::Entries(entries) => entries,
    };
    let mut out = Vec::new();
    // An explicit stack rather than recursion: async recursion needs boxing.
    let mut stack: Vec<(String, web_sys::FileSystemEntry)> =
        entries.into_iter().rev().map(|e| (e.name(), e)).collect();
    while let Some((path, entry)) = stack.pop() {
        if entry.is_directory() {
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let mut children = read_all_entries(&dir).await?;
            children.sort_by_key(|c| c.name());
            for child in children.into_iter().rev() {
                stack.push((format!("{path}/{}", child.name()), child));
            }
        } else if entry.is_file() {
            let file_entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            out.push(InputFile::new(path, file_of(&file_entry).await?));
        }
    }
    Ok(out)
}

/// `readEntries` returns at most ~100 entries per call: call until empty.
async fn read_all_entries(
    dir: &web_sys::FileSystemDirectoryEntry,
) -> Result<Vec<web_sys::FileSystemEntry>, String> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                reject.call1(&JsValue::NULL, &e).ok();
            }
        });
        let batch: js_sys::Array = JsFuture::from(promise)
            .await
            .map_err(|e| format!("cannot read a folder: {e:?}"))?
            .unchecked_into();
        if batch.length() == 0 {
            return Ok(all);
        }
        all.extend(
            batch
                .iter()
                .map(|v| v.unchecked_into::<web_sys::FileSystemEntry>()),
        );
    }
}

async fn file_of(entry: &web_sys::FileSystemFileEntry) -> Result<web_sys::File, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map_err(|e| format!("cannot open {}: {e:?}", entry.name()))
        .map(|v| v.unchecked_into())
}
