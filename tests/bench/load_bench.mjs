// Benchmark of a full-collection load ("Load everything") against the reference client, on the
// large generated fixture set, with the sample API cutting every find response at 6 MB like the
// gateway, at 0 ms and at 150 ms added latency per request. Prints figures; asserts only that the
// work happened (every row arrived). The app runs in a Chromium driven through a bare DevTools
// pipe (bare_chromium.mjs), as a user's browser runs it; BENCH_DRIVER=playwright drives it with
// Playwright instead, to see what Playwright's instrumentation costs.
//
//   node tests/bench/load_bench.mjs [docs]     (needs dist/, .venv and .venv-ref: ./scripts/test.sh)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT, startSite, launchBrowser } from '../browser/helpers.mjs';
import { launchBare } from './bare_chromium.mjs';

const DOCS = Number(process.argv[2] || 30000);
const CAP = 6 * 1000 * 1000;
const LATENCIES = [0, 150];
// BENCH_RUNS and BENCH_DIST (a build folder other than dist/) compare builds.
const RUNS = Number(process.env.BENCH_RUNS || 3);

function sh(cmd, args) {
  return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function startApi(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, '.venv/bin/python'),
      ['tests/sample_api/server.py', '--port', '0', '--fixtures', dir, '--payload-cap-bytes', String(CAP)], { cwd: ROOT });
    child.on('exit', (c) => reject(new Error(`sample API exited ${c}`)));
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('SAMPLE_API_READY')) resolve({ url: l.split(' ')[1], stop: () => { child.removeAllListeners('exit'); child.kill(); } });
    });
  });
}

const control = (api, body) => fetch(`${api.url}/_control`, { method: 'POST', body: JSON.stringify(body) });
// A clean request log with the run's latency (reset would also set the latency back to 0).
const reset = async (api) => {
  await fetch(`${api.url}/_control/reset`, { method: 'POST' });
  await control(api, { latency_ms: api.latency ?? 0 });
};
const requests = async (api) => (await (await fetch(`${api.url}/_control`)).json()).requests.filter((r) => r.path.startsWith('/v1/'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function referenceLoad(api) {
  await reset(api);
  const out = JSON.parse(sh(path.join(ROOT, '.venv-ref/bin/python'), ['tests/bench/reference_load.py', api.url]).trim().split('\n').at(-1));
  return { ...out, requests: (await requests(api)).length };
}

/** One load of everything in a fresh browser context (no cache): times from navigation. */
async function appLoad(browser, site, api, rowsWanted) {
  await reset(api);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}search?all=1`);
  await page.waitFor(`document.querySelector('.results-view[data-state="complete"]') !== null`);
  const shown = Number(await page.evaluate(`document.querySelector('[data-testid="count-fits"]').textContent`));
  if (shown !== rowsWanted) throw new Error(`the app shows ${shown} fits, expected ${rowsWanted}`);
  const t = await page.evaluate(`(() => {
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime;
    const phases = {};
    for (const m of performance.getEntriesByType('measure')) {
      if (m.name.startsWith('aind:')) phases[m.name.slice(5)] = (phases[m.name.slice(5)] ?? 0) + m.duration;
    }
    return { first: mark('aind:first-rows'), all: mark('aind:all-rows'), phases, heap: performance.memory?.usedJSHeapSize };
  })()`);
  t.requests = (await requests(api)).length;
  // A revisit in the same browser: the rows come from the cache (once they are in it).
  await page.waitFor(`document.querySelector('.results-view[data-saved]') !== null`, 60000);
  await reset(api);
  const again = await context.newPage();
  await again.goto(`${site.url}search?all=1`);
  await again.waitFor(`document.querySelector('[data-testid="cache-age"]') !== null`, 60000);
  t.cached = await again.evaluate(`performance.getEntriesByName('aind:rows-from-cache')[0]?.startTime`);
  t.cachedRows = Number(await again.evaluate(`document.querySelector('[data-testid="count-fits"]').textContent`));
  await again.waitFor(`document.querySelector('.results-view[data-state="complete"]') !== null`);
  await context.close();
  return t;
}

/** Playwright behind the same small interface, to show what its instrumentation costs. */
async function launchPlaywright() {
  const browser = await launchBrowser();
  return {
    async newContext() {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      return {
        async newPage() {
          const page = await context.newPage();
          return {
            goto: (url) => page.goto(url),
            evaluate: (expression) => page.evaluate(expression),
            waitFor: (expression, timeout = 600000) => page.waitForFunction(expression, null, { timeout, polling: 50 }),
          };
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'aind-large-'));
let api; let site; let browser;
try {
  console.log(sh(path.join(ROOT, '.venv/bin/python'), ['tests/sample_api/generate_large.py', '--out', dir, '--docs', String(DOCS)]).trim());
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected-large.json'), 'utf8'));
  const rowsWanted = expected.rows;
  api = await startApi(dir);
  site = await startSite({ api_base: api.url }, '/', { dir: process.env.BENCH_DIST || 'dist' });
  // Not Playwright unless asked: its DevTools network instrumentation costs the browser seconds
  // of CPU per load (see bare_chromium.mjs), which a user's browser does not spend.
  const playwright = process.env.BENCH_DRIVER === 'playwright';
  browser = await (playwright ? launchPlaywright() : launchBare());
  // Warm the sample API's filter memo and serialization cache for both clients (a database's
  // caches would be warm too); neither warm-up is timed.
  await referenceLoad(api);
  await appLoad(browser, site, api, rowsWanted);
  console.log(`\nfull-collection load, ${rowsWanted} fits shown (+${expected.failed} failed), find responses capped at 6 MB, ${RUNS} runs each (median); Chromium driven by ${playwright ? 'Playwright' : 'a bare DevTools pipe'}`);
  const summary = [];
  for (const latency of LATENCIES) {
    api.latency = latency;
    const refs = []; const apps = [];
    for (let i = 0; i < RUNS; i += 1) {
      refs.push(await referenceLoad(api));
      apps.push(await appLoad(browser, site, api, rowsWanted));
    }
    const ref = median(refs.map((r) => r.seconds * 1000));
    const all = median(apps.map((a) => a.all));
    const first = median(apps.map((a) => a.first));
    const cached = median(apps.map((a) => a.cached));
    const phase = (name) => median(apps.map((a) => a.phases[name] ?? 0));
    console.log(`\n-- ${latency} ms added latency per request`);
    console.log(`reference get_mle_model_fitting          ${fmt(ref).padStart(9)}  (${refs[0].rows} rows, ${refs[0].requests} requests, sequential)`);
    console.log(`app, navigation to every row in the table ${fmt(all).padStart(9)}  (${apps[0].requests} requests, at most 6 in flight)`);
    console.log(`app, navigation to the first rows         ${fmt(first).padStart(9)}`);
    console.log(`app / reference                           ${(all / ref).toFixed(2).padStart(7)} x`);
    console.log(`app, cached revisit: navigation to rows   ${fmt(cached).padStart(9)}  (${apps[0].cachedRows} rows)`);
    console.log(`app phases (sums; network overlaps)       network ${fmt(phase('network'))}, parse ${fmt(phase('parse'))}, normalize ${fmt(phase('normalize'))}, render ${fmt(phase('render'))}, cache ${fmt(phase('cache'))}`);
    if (apps[0].heap) console.log(`app JS heap after the load                ${(apps[0].heap / 1048576).toFixed(1)} MB`);
    summary.push({ latency, ref, all, first, cached, ratio: all / ref });
  }
  console.log('\nsummary (targets: app/reference <= 0.6, first rows <= 1 s, cached revisit <= 0.5 s)');
  for (const s of summary) {
    console.log(`  ${String(s.latency).padStart(3)} ms: ratio ${s.ratio.toFixed(2)}, first rows ${fmt(s.first)}, cached revisit ${fmt(s.cached)}`);
  }
} finally {
  await browser?.close(); site?.stop(); api?.stop();
  rmSync(dir, { recursive: true, force: true });
}
