#!/usr/bin/env bash
# trunk's post_build hook (Trunk.toml): builds the app's Wasm and puts it in trunk's staging dir.
#
# trunk cannot split a Wasm module (trunk-rs/trunk#1022), so this does what its Rust pipeline did,
# with the split in the middle:
#   1. cargo builds the wasm32 binary; `.cargo/config.toml` links it with `--emit-relocs`, which
#      the split needs to move code between modules.
#   2. wasm-split-cli (wasm_split_cli_support) moves each `wasm_split` function of
#      src/components/parts.rs, with the code only it reaches, into a module of its own, and code
#      that several of them share into common chunks. It writes `__wasm_split.js`, which fetches
#      and instantiates a part's modules the first time the app calls it.
#   3. wasm-bindgen binds the main module (`--keep-lld-exports`: the parts call back into it).
#   4. wasm-opt shrinks every module (flags below).
#   5. The files go to `pkg-<hash>/`, a folder named after their content (a new build never
#      mixes with cached files of an older one), and index.html gets the loader and preloads.
#   6. index.html is copied to 404.html: GitHub Pages answers unknown paths with it, so deep
#      links boot the app.
#
# AIND_WASM_OPT=0 skips step 4 and AIND_KEEP_DEBUG=1 keeps the function names (profiling builds).
set -euo pipefail

stage=${TRUNK_STAGING_DIR:?"run by trunk (a post_build hook), not by hand"}
public_url=${TRUNK_PUBLIC_URL:-/}
profile=${TRUNK_PROFILE:-debug}
name=aind-results-browser

# wasm-bindgen must be the version the crate links (scripts/ensure-tools.sh installs it).
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version | cut -d' ' -f2)
[ "$want" = "$have" ] || { echo "wasm-bindgen $have on PATH, Cargo.lock wants $want: run scripts/ensure-tools.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo_args=(build --locked --target wasm32-unknown-unknown --bin "$name")
out_dir=debug
if [ "$profile" = release ]; then
  cargo_args+=(--release)
  out_dir=release
fi
cargo "${cargo_args[@]}"
# Where cargo put it (CARGO_TARGET_DIR or build.target-dir may move `target/`).
target_dir=$(cargo metadata --format-version 1 --no-deps --locked | node -e 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => console.log(JSON.parse(s).target_directory))')

mkdir -p "$work/split" "$work/pkg"
wasm-split-cli "$target_dir/wasm32-unknown-unknown/$out_dir/$name.wasm" "$work/split" --out-name "$name"

bindgen_args=(--target web --keep-lld-exports --no-demangle --no-typescript --out-dir "$work/pkg"
  --out-name "$name")
[ "${AIND_KEEP_DEBUG:-0}" = 1 ] && bindgen_args+=(--keep-debug --debug)
wasm-bindgen "${bindgen_args[@]}" "$work/split/$name.wasm"
rm "$work/split/$name.wasm"
mv "$work/split/"* "$work/pkg/"

# Why each flag: README, "Size".
opt_args=(-Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --low-memory-unused
  --one-caller-inline-max-function-size=30 --reorder-functions-by-name)
[ "${AIND_KEEP_DEBUG:-0}" = 1 ] && opt_args+=(-g)
if [ "$profile" = release ] && [ "${AIND_WASM_OPT:-1}" != 0 ]; then
  pids=()
  for f in "$work/pkg/"*.wasm; do
    wasm-opt "${opt_args[@]}" "$f" -o "$f" 2> >(grep -v "unknown name subsection" >&2) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
fi

hash=$(cat "$work/pkg/"* | sha256sum | cut -c1-16)
pkg="pkg-$hash"
rm -rf "${stage:?}/pkg-"*
cp -r "$work/pkg" "$stage/$pkg"

base="$public_url$pkg"
loader="<link rel=\"modulepreload\" href=\"$base/$name.js\" crossorigin=\"anonymous\">"
loader+="<link rel=\"modulepreload\" href=\"$base/__wasm_split.js\" crossorigin=\"anonymous\">"
loader+="<link rel=\"preload\" href=\"$base/${name}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">"
loader+="<script type=\"module\">import init from \"$base/$name.js\"; init({ module_or_path: \"$base/${name}_bg.wasm\" });</script>"
html="$stage/index.html"
grep -q '<!-- app -->' "$html" || { echo "index.html has no <!-- app --> marker" >&2; exit 1; }
# The loader goes where the marker is; trunk leaves the skipped rust link in: it goes.
case "$loader" in *[\|\&\\]*) echo "public URL $public_url: | & and \\ are not supported" >&2; exit 1 ;; esac
sed -i -e "s|<!-- app -->|$loader|" -e "s|<link[^>]*data-trunk-skip[^>]*>||" "$html"
cp "$html" "$stage/404.html"
echo "wasm: $pkg ($(ls "$stage/$pkg" | wc -l) files)"
