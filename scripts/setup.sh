#!/usr/bin/env bash
# Installs whatever is missing on a fresh machine (idempotent): Chromium + ChromeDriver,
# the wasm32 target, trunk 0.21.14, wasm-bindgen-cli 0.2.130, the npm packages
# (playwright-core, binaryen's wasm-opt), and for the SQL engine tests Java 17+
# (Debian's openjdk-17-jre-headless) and the venv target/sql-venv with the pinned
# tests/sql/requirements.txt (pyspark, duckdb, sqlglot). Nothing is downloaded
# outside the package registries (crates.io, npm, PyPI, Debian).
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
# Spark needs Java 17 or later; the venv needs python3 with ensurepip (python3-venv).
java_major() { java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1; }
if ! $build_only; then
  [ "$(java_major 2>/dev/null || true)" -ge 17 ] 2>/dev/null || need+=(openjdk-17-jre-headless)
  command -v python3 >/dev/null || need+=(python3)
  python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
fi
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
# The SQL engines of tests/sql_engines.rs, reinstalled when the pins change.
venv=target/sql-venv
if ! $build_only && ! cmp -s tests/sql/requirements.txt "$venv/requirements.txt"; then
  log "python venv $venv: pip install -r tests/sql/requirements.txt (pyspark, duckdb, sqlglot)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/sql/requirements.txt
  cp tests/sql/requirements.txt "$venv/requirements.txt"
fi
log "tools ready (${SECONDS}s)"
