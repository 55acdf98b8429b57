#!/usr/bin/env bash
# Runs every test: formatting, clippy (native and wasm32), native tests (including the
# SQL engines: DuckDB, Spark and sqlglot-checked Athena SQL), wasm-bindgen tests in
# headless Chromium, and the Playwright end-to-end tests on the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# tests/sql_engines.rs then fails (never skips) when the SQL engines are missing.
export TRAILSIGHT_SQL_TESTS=1
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Each step prints the seconds the previous one took, so slow steps are visible in CI logs.
last=$SECONDS
step() {
  printf '\n\033[1m==> %s\033[0m  (previous step %ds, total %ds)\n' "$*" $((SECONDS - last)) "$SECONDS"
  last=$SECONDS
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (wasm32)"
# Browser test files are named tests/*web*.rs; the other integration tests are native only.
web_tests=()
for f in tests/*web*.rs; do web_tests+=(--test "$(basename "$f" .rs)"); done
cargo clippy --target wasm32-unknown-unknown --lib --bins "${web_tests[@]}" -- -D warnings

step "cargo test (native)"
cargo test

step "wasm-bindgen-test (headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown "${web_tests[@]}"

step "trunk build --release"
trunk build --release

step "Playwright end-to-end"
cargo build --release --bin trailsight
node tests/e2e/run.mjs

step "all tests passed"
