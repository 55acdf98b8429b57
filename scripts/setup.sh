#!/usr/bin/env bash
# Installs whatever is missing on a fresh machine (idempotent): Chromium + ChromeDriver,
# the wasm32 target, trunk 0.21.14, wasm-bindgen-cli 0.2.130, and the npm packages
# (playwright-core, binaryen's wasm-opt). Nothing is downloaded outside the package
# registries (crates.io, npm, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

# `--build`: only what building the dashboard needs (serve.sh); tests need Chromium too.
build_only=false
[ "${1:-}" = "--build" ] && build_only=true

need=()
$build_only || command -v chromium >/dev/null || need+=(chromium)
$build_only || command -v chromedriver >/dev/null || need+=(chromium-driver)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  log "cargo install trunk 0.21.14 (about 6 minutes on 2 cores)"
  cargo install --locked trunk@0.21.14
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q '^wasm-bindgen 0.2.130'; then
  log "cargo install wasm-bindgen-cli 0.2.130 (about 2 minutes)"
  # No --locked: its lockfile pins a webpki-roots this registry cannot resolve.
  cargo install --force wasm-bindgen-cli@0.2.130
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  log "npm ci (playwright-core, binaryen)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
log "tools ready (${SECONDS}s)"
