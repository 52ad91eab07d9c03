#!/usr/bin/env bash
# Builds the site and serves it on http://127.0.0.1:8080 (change with --port N).
#   ./scripts/serve.sh          against the public AIND API (config from public/config.json)
#   ./scripts/serve.sh --demo   also starts the sample API with the bundled sample data and points
#                               the app at it: a working app with no network at all
set -euo pipefail
cd "$(dirname "$0")/.."

demo=0
port=8080
api_port=8765
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) demo=1 ;;
    --port) port=$2; shift ;;
    --api-port) api_port=$2; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

./scripts/ensure-tools.sh build
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release --offline

config=()
if [ $demo = 1 ]; then
  .venv/bin/python tests/sample_api/server.py --port "$api_port" --fixtures tests/fixtures &
  api_pid=$!
  trap 'kill $api_pid 2>/dev/null' EXIT
  config=(--config-json "{\"api_base\": \"http://127.0.0.1:$api_port\", \"s3_base\": \"http://127.0.0.1:$api_port/s3\"}")
  echo "Demo data: try http://127.0.0.1:$port/subject/730945"
fi
echo "Serving dist/ on http://127.0.0.1:$port/ (Ctrl-C stops)"
.venv/bin/python tests/support/static_server.py --dir dist --port "$port" "${config[@]}"
