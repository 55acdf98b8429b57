//! The async clipboard API, for every Copy button (records, queries).

/// Writes `text` to the clipboard; `Err` with a reason when the browser refuses.
pub async fn copy_text(text: String) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let promise = navigator.clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}
