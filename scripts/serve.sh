#!/usr/bin/env bash
# Builds the release dashboard and serves it at http://127.0.0.1:8080 (static files only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
echo "Trailsight is at http://127.0.0.1:8080  (Ctrl-C to stop)"
exec python3 -m http.server 8080 --bind 127.0.0.1 --directory dist
