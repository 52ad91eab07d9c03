// What a release build weighs, gzipped (level 9): what every page fetches before its first view
// (the main module, its JavaScript and the parts' loader), what each part fetched on first use
// adds (its own module and the shared chunks it needs), and all the files together.
//
//   node tests/support/size_report.mjs [dist] [--json] [--json-out FILE]
// (--json-out also writes the figures as JSON to FILE, beside the text.)
// Exits 1 when the build has no split Wasm (scripts/build-wasm.sh did not run) or its loader
// cannot be read.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const outAt = args.indexOf('--json-out');
const jsonOut = outAt >= 0 ? args[outAt + 1] : undefined;
const dist = args.find((a, i) => !a.startsWith('--') && i !== outAt + 1) || 'dist';
const pkgs = readdirSync(dist).filter((d) => d.startsWith('pkg-'));
if (pkgs.length !== 1) {
  console.error(`${dist}/ should hold one pkg-<hash>/ folder, found ${pkgs.length}`);
  process.exit(1);
}
const pkg = path.join(dist, pkgs[0]);
const gz = (f) => gzipSync(readFileSync(path.join(pkg, f)), { level: 9 }).length;
const files = readdirSync(pkg);
const sizes = Object.fromEntries(files.map((f) => [f, gz(f)]));
const main = files.filter((f) => f.endsWith('.js') || f.endsWith('_bg.wasm'));
const first = main.reduce((s, f) => s + sizes[f], 0);

// The loader names each part's module and the shared chunks it waits for:
//   export const __wasm_split_load_<part> = wrapAsyncCb(makeLoad(() => { ... "./<file>" ... }, [__chunk_4, ...]));
const loader = readFileSync(path.join(pkg, '__wasm_split.js'), 'utf8');
const chunkFile = Object.fromEntries([...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)]
  .map((m) => [m[1], m[2]]));
const parts = [...loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\)\);/g)]
  .map((m) => {
    const deps = m[3].split(',').map((s) => s.trim()).filter(Boolean).map((c) => chunkFile[c]);
    const own = [m[2], ...deps];
    return { part: m[1], files: own, bytes: own.reduce((s, f) => s + sizes[f], 0) };
  });
// A loader of another shape (a new wasm-split-cli) must not pass as a build without parts.
const declared = (loader.match(/export const __wasm_split_load_/g) || []).length;
const unread = parts.flatMap((p) => p.files).filter((f) => !(f in sizes));
if (parts.length === 0 || parts.length !== declared || unread.length) {
  console.error(`${pkg}/__wasm_split.js: read ${parts.length} of ${declared} parts${unread.length ? `, unknown files ${unread.join(', ')}` : ''}`);
  process.exit(1);
}
const total = Object.values(sizes).reduce((a, b) => a + b, 0);

if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ first, parts, total }));
if (json) {
  console.log(JSON.stringify({ first, parts, total }));
} else {
  const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
  console.log(`before the first view (${main.join(', ')}): ${first} bytes (${kb(first)})`);
  for (const p of parts) {
    console.log(`  + ${p.part.padEnd(10)} ${kb(p.bytes).padStart(7)} on first use (${p.files.length} files), ${kb(first + p.bytes)} with the first view's`);
  }
  console.log(`every file: ${total} bytes (${kb(total)})`);
}
