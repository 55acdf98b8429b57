//! The dashboard entry point (wasm32 only).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(trailsight::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
