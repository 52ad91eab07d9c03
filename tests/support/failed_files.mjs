// Prints the test files (one per line) of the failed tests in a `node --test` TAP log, for a
// retry of those files only.
//
//   node tests/support/failed_files.mjs LOG
import { readFileSync } from 'node:fs';
import path from 'node:path';

const lines = readFileSync(process.argv[2], 'utf8').split('\n');
const files = new Set();
for (let i = 0; i < lines.length; i += 1) {
  if (!/^\s*not ok \d+ - /.test(lines[i])) continue;
  // The failure's YAML block follows it, with the test's location.
  for (let j = i + 1; j < Math.min(lines.length, i + 400); j += 1) {
    const m = lines[j].match(/^\s*location: '(.+\.test\.mjs):\d+:\d+'/);
    if (m) { files.add(path.relative(process.cwd(), m[1])); break; }
    if (/^\s*(not )?ok \d+ - /.test(lines[j])) break;
  }
}
for (const f of files) console.log(f);
