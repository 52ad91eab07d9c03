#!/usr/bin/env bash
# Installs what building (`build`) or testing (`test`) needs, skipping whatever is already there.
# Safe to run again and again; scripts/serve.sh and scripts/test.sh call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! have cargo; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$mode" = test ]; then
  for comp in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$comp"; then
      step "adding rustup component $comp"
      rustup component add "$comp"
    fi
  done
fi

# Everything but the two cargo installs (npm, the virtualenvs, Chromium) mostly waits on the
# network and the disk: on a new machine it runs beside the cargo builds, its output kept apart.
others() {
  if ! have node || ! have npm; then
    step "installing node and npm"
    apt_install nodejs npm
  fi

  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
    step "installing npm packages (binaryen's wasm-opt, playwright-core, axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi

  if ! have python3; then
    step "installing python3"
    apt_install python3 python3-venv
  fi

  ensure_venv() { # dir requirements-file import-check
    local dir=$1 req=$2 check=$3
    if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$check" 2>/dev/null; then
      return
    fi
    step "creating $dir from $req"
    rm -rf "$dir"
    if ! python3 -m venv "$dir" 2>/dev/null; then
      apt_install python3-venv
      python3 -m venv "$dir"
    fi
    "$dir/bin/pip" install -q --disable-pip-version-check -r "$req"
  }

  # The sample API (used by --demo and by every test).
  ensure_venv .venv tests/sample_api/requirements.txt "import mongomock, bson, pytest"

  if [ "$mode" = test ]; then
    ensure_venv .venv-ref tests/python/requirements-reference.txt \
      "import aind_analysis_arch_result_access, aind_data_access_api"
    if ! have chromium || ! have chromedriver; then
      step "installing Debian's chromium and chromium-driver"
      apt_install chromium chromium-driver fonts-dejavu-core
    fi
  fi
}
others_log=$(mktemp)
others >"$others_log" 2>&1 &
others_pid=$!
others_done() {
  local rc=0
  wait "$others_pid" || rc=$?
  cat "$others_log"; rm -f "$others_log"
  return $rc
}
trap 'kill "$others_pid" 2>/dev/null || true' EXIT

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  step "installing trunk $TRUNK_VERSION (takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the wasm-bindgen crate)"
  # Not --locked: a locked dependency of the CLI is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! cargo install --list | grep "^wasm_split_cli_support v$WASM_SPLIT_VERSION:" >/dev/null; then
  step "installing wasm-split-cli $WASM_SPLIT_VERSION (splits the lazily loaded parts off the Wasm)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
fi

others_done || { echo "installing npm packages, Python or Chromium failed" >&2; exit 1; }
trap - EXIT
