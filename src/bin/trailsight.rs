//! The `trailsight` command-line tool (native only).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    trailsight::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
