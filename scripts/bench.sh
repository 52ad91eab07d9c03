#!/usr/bin/env bash
# Benchmarks that print figures (nothing here passes or fails on time):
#   the host table pipeline at 20,000 fits, the release build's size, and the search page with
#   20,000 fits in Chromium. Run ./scripts/test.sh once first (tools, dist/, .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
rows=${1:-20000}
echo "== host: table pipeline"
cargo run --quiet --release --locked --example bench -- "$rows"
echo "== size: release build (dist/)"
for f in dist/*_bg.wasm dist/*.js; do
  printf '%-50s %8d bytes, %7d gzipped\n' "$(basename "$f")" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
done
echo "== browser: search page"
node tests/bench/table_20k.mjs "$rows"
