//! The web worker entry point (wasm32 only): a thin shim over the pure core.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    trailsight::worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
