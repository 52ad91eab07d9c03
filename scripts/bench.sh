#!/usr/bin/env bash
# Benchmarks that print figures (nothing here passes or fails on time):
#   the full-collection load against the reference client (large generated set, 6 MB response
#   cap, 0 and 150 ms latency, cached revisit), the host table pipeline at 20,000 fits, the
#   release build's size, the search page's table tools with 20,000 fits, the subject charts at
#   10,000 points and the explorer at 25,000 points in Chromium.
#   Run ./scripts/test.sh once first (tools, dist/, .venv, .venv-ref).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
rows=${1:-20000}
echo "== browser: full-collection load vs the reference"
node tests/bench/load_bench.mjs
echo "== host: table pipeline"
cargo run --quiet --release --locked --example bench -- "$rows"
echo "== size: release build (dist/)"
node tests/support/size_report.mjs dist
echo "== browser: table tools at $rows fits"
node tests/bench/table_20k.mjs "$rows"
echo "== browser: subject charts at 10,000 points"
node tests/bench/chart_bench.mjs 10000 metric
echo "== browser: explorer at 25,000 points"
node tests/bench/chart_bench.mjs 25000 explorer
