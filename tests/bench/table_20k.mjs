// Browser benchmark: the search page with 20,000 fits in real Chromium against the sample API.
// Prints figures (load, sort, filter, page change, download); asserts only that the work happened.
//
//   node tests/bench/table_20k.mjs [rows]      (needs dist/ and .venv: ./scripts/test.sh sets both up)
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT, startSite, launchBrowser } from '../browser/helpers.mjs';

const N = Number(process.argv[2] || 20000);
const MODELS = ['QLearning_L2F1_softmax', 'QLearning_L2F1_CK1_softmax', 'QLearning_L1F1_CK1_softmax', 'ForagingCompareThreshold', 'WSLS'];

function fixtures() {
  const dir = mkdtempSync(path.join(tmpdir(), 'aind-bench-'));
  mkdirSync(path.join(dir, 'analysis'));
  const docs = [];
  for (let i = 0; i < N; i += 1) {
    const subject = String(700000 + Math.floor(i / 400));
    const session = Math.floor(i / MODELS.length);
    const date = `2025-${String(1 + (session % 12)).padStart(2, '0')}-${String(1 + (session % 28)).padStart(2, '0')}`;
    const x = (i * 0.6180339887) % 1;
    docs.push({
      _id: `bench-${String(i).padStart(6, '0')}`, nwb_name: `${subject}_${date}_s${session}.nwb`, subject_id: subject,
      session_date: date, status: i % 50 === 0 ? 'failed' : 'success', analysis_datetime: `2025-06-01T10:00:00.${String(i).padStart(6, '0')}`,
      analysis_spec: { analysis_name: 'MLE fitting', analysis_ver: 'first version @ 0.10.0' },
      analysis_results: {
        fit_settings: { agent_alias: MODELS[i % MODELS.length] }, n_trials: 300 + (i % 400), log_likelihood: -200 - 300 * x,
        AIC: 400 + 600 * x, BIC: 420 + 600 * x, LPT_AIC: 0.5 + 0.1 * x, prediction_accuracy: 0.6 + 0.3 * x, k_model: 4,
        params: { learn_rate: x }, cross_validation: { prediction_accuracy_test: Array.from({ length: 10 }, (_, k) => 0.6 + 0.01 * k) },
      },
    });
  }
  writeFileSync(path.join(dir, 'analysis', 'dynamic-foraging-model-fitting.json'), JSON.stringify(docs));
  return dir;
}

function startApi(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, '.venv/bin/python'), ['tests/sample_api/server.py', '--port', '0', '--fixtures', dir], { cwd: ROOT });
    child.on('exit', (c) => reject(new Error(`sample API exited ${c}`)));
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('SAMPLE_API_READY')) resolve({ url: l.split(' ')[1], stop: () => { child.removeAllListeners('exit'); child.kill(); } });
    });
  });
}

const ms = (t0) => `${(performance.now() - t0).toFixed(0)} ms`;
const dir = fixtures();
const api = await startApi(dir);
const site = await startSite({ api_base: api.url, s3_base: `${api.url}/s3` });
const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true })).newPage();
try {
  console.log(`search page, ${N} fits (Chromium, release build, sample API on loopback)`);
  let t0 = performance.now();
  await page.goto(`${site.url}search?all=1`);
  await page.waitForSelector('.results-view[data-state="complete"] table.results', { timeout: 600000 });
  console.log(`load everything (counts, ranges, merge)              ${ms(t0)}`);
  console.log(`  ${await page.textContent('[data-testid="row-count"]')}`);
  t0 = performance.now();
  await page.click('th[data-col="AIC"] button');
  await page.waitForFunction(() => document.querySelector('th[data-col="AIC"]').getAttribute('aria-sort') !== 'none');
  console.log(`sort by AIC, click to rendered              ${ms(t0)}`);
  t0 = performance.now();
  await page.fill('[data-testid="row-filter"]', 'CK1');
  await page.waitForFunction(() => /of|rows/.test(document.querySelector('[data-testid="row-count"]').textContent)
    && [...document.querySelectorAll('td[data-col="agent_alias"]')].every((td) => td.textContent.includes('CK1')));
  console.log(`text filter "CK1", typed to rendered        ${ms(t0)}`);
  t0 = performance.now();
  const first = await page.getAttribute('table.results tbody tr', 'data-id');
  await page.click('[data-testid="pager"] button:has-text("Next")');
  await page.waitForFunction((id) => document.querySelector('table.results tbody tr').dataset.id !== id, first);
  console.log(`next page, click to rendered                ${ms(t0)}`);
  t0 = performance.now();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-csv"]')]);
  await dl.path();
  console.log(`CSV download of the filtered rows           ${ms(t0)}`);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize);
  if (heap) console.log(`JS heap after the session                    ${(heap / 1048576).toFixed(1)} MB`);
} finally {
  await browser.close(); site.stop(); api.stop(); rmSync(dir, { recursive: true, force: true });
}
