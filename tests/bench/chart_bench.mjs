// Benchmark of a chart at many points, in Chromium: its redraw, a change of what it shows (from
// the choice to the redrawn chart) and the answer to a hover (nearest point, highlight on the
// overlay, tooltip in the page). Two charts: the subject page's metric chart (one line per
// model, a point per fit; the metric changes) and the explorer (AIC against BIC, coloured by
// model; the colour column changes). Prints figures; asserts only that the work happened.
//
//   node tests/bench/chart_bench.mjs [fits] [metric|explorer]   (needs dist/ and .venv)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, startSite, launchBrowser } from '../browser/helpers.mjs';

const FITS = Number(process.argv[2] || 10000);
const MODE = process.argv[3] || 'metric';
const CHARTS = {
  metric: {
    id: 'chart-metric-plot', query: '', select: '[data-testid="chart-metric"]', values: ['aic', 'bic'],
    aims: ['50 ms', '8 ms', ''], what: 'metric change', name: 'metric chart',
  },
  explorer: {
    id: 'chart-explorer', query: '&charts=0&view=explore&ex_x=AIC&ex_y=BIC&ex_color=agent_alias&ex_pair=AIC,BIC,n_trials,log_likelihood',
    select: '[data-testid="ex-color"]', values: ['agent_alias', 'pipeline_source'],
    aims: ['100 ms', '8 ms', '150 ms'], what: 'colour change', name: 'explorer',
  },
};
const C = CHARTS[MODE];
if (!C) throw new Error(`no chart "${MODE}": metric or explorer`);
const REDRAWS = 9;
const HOVERS = 200;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const ms = (x) => `${x.toFixed(1)} ms`;

const dir = mkdtempSync(path.join(tmpdir(), 'aind-charts-'));
let api; let site; let browser;
try {
  // One subject with enough records that its successful, latest fits number about FITS.
  console.log(execFileSync(path.join(ROOT, '.venv/bin/python'), ['tests/sample_api/generate_large.py', '--out', dir,
    '--docs', String(Math.ceil(FITS * 1.36)), '--subjects', '1'], { cwd: ROOT, encoding: 'utf8' }).trim());
  const collection = path.join(dir, 'analysis');
  const file = readdirSync(collection).find((f) => f.startsWith('dynamic-foraging-model-fitting'));
  const text = readFileSync(path.join(collection, file), 'utf8');
  const subject = text.match(/"subject_id":\s*"(\d+)"/)[1];
  // startSampleApi serves tests/fixtures; this set lives in `dir`.
  api = await (async () => {
    const { spawn } = await import('node:child_process');
    const { createInterface } = await import('node:readline');
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(ROOT, '.venv/bin/python'), ['tests/sample_api/server.py', '--port', '0', '--fixtures', dir], { cwd: ROOT });
      child.on('exit', (c) => reject(new Error(`sample API exited ${c}`)));
      createInterface({ input: child.stdout }).on('line', (l) => {
        if (l.startsWith('SAMPLE_API_READY')) resolve({ url: l.split(' ')[1], stop: () => { child.removeAllListeners('exit'); child.kill(); } });
      });
    });
  })();
  site = await startSite({ api_base: api.url });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${site.url}subject/${subject}?failed=0${C.query}`);
  await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 300000 });
  const draws = (id) => page.evaluate((id) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === id).map((e) => e.duration), id);
  await page.waitForFunction((id) => performance.getEntriesByName('aind:chart-draw').some((e) => e.detail === id), C.id, { timeout: 300000 });
  const fits = Number(await page.textContent('[data-testid="count-fits"]'));
  const models = await page.locator('[data-testid="legend"] .legend-item, [data-testid="explorer-legend"] .legend-item').count();
  if (fits < FITS * 0.9) throw new Error(`only ${fits} fits on the page`);
  console.log(`\nsubject ${subject}: ${fits} fits of ${models} models, one point each on the ${C.name} (1360 px window, 1x pixels)`);

  // Redraws: switching the colour scheme redraws every chart with the same data.
  const before = (await draws(C.id)).length;
  for (let i = 0; i < REDRAWS; i += 1) {
    await page.selectOption('[data-testid="scheme"]', i % 2 ? 'light' : 'dark');
    await page.waitForFunction(([id, n]) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === id).length > n, [C.id, before + i]);
  }
  const redraw = (await draws(C.id)).slice(before);

  // A change of what the chart shows: from the choice to the redrawn chart (rebuilt from the rows).
  const change = [];
  for (let i = 0; i < 6; i += 1) {
    const n = (await draws(C.id)).length;
    const t0 = await page.evaluate(() => performance.now());
    await page.selectOption(C.select, C.values[(i + 1) % 2]);
    await page.waitForFunction(([id, k]) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === id).length > k, [C.id, n]);
    change.push(await page.evaluate(([id, t]) => {
      const e = performance.getEntriesByName('aind:chart-draw').filter((x) => x.detail === id).at(-1);
      return e.startTime + e.duration - t;
    }, [C.id, t0]));
  }

  // Hovers: pointer moves across the chart; time from the event to the tooltip in the page.
  const hover = await page.evaluate(async ([id, n]) => {
    const overlay = document.querySelector(`[data-testid="${id}"] .chart-overlay`);
    const area = overlay.parentElement;
    const r = overlay.getBoundingClientRect();
    const out = [];
    for (let i = 0; i < n * 4 && out.length < n; i += 1) {
      const x = r.left + 70 + ((i * 37) % (r.width - 90));
      const y = r.top + 30 + ((i * 53) % (r.height - 80));
      const changed = new Promise((resolve) => {
        const mo = new MutationObserver(() => { mo.disconnect(); resolve(true); });
        mo.observe(area, { childList: true, subtree: true, characterData: true, attributes: true });
        setTimeout(() => { mo.disconnect(); resolve(false); }, 200);
      });
      const t0 = performance.now();
      overlay.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
      if (await changed) out.push(performance.now() - t0);
    }
    return out;
  }, [C.id, HOVERS]);
  const inWasm = await page.evaluate((id) => performance.getEntriesByName('aind:chart-hover').filter((e) => e.detail === id).map((e) => e.duration), C.id);
  const aim = (a) => (a ? `   (aim: under ${a})` : '');
  console.log(`${C.name} redraw (${redraw.length} runs)        median ${ms(median(redraw))}, max ${ms(Math.max(...redraw))}${aim(C.aims[0])}`);
  console.log(`${C.what}, choice to redrawn chart (6) median ${ms(median(change))}${aim(C.aims[2])}`);
  console.log(`hover, event to tooltip (${hover.length} hovers)   median ${ms(median(hover))}, p95 ${ms(p95(hover))}${aim(C.aims[1])}`);
  console.log(`hover, inside the app (nearest point, overlay) median ${ms(median(inWasm))}, p95 ${ms(p95(inWasm))}`);
  const others = await page.evaluate(() => {
    const by = {};
    for (const e of performance.getEntriesByName('aind:chart-draw')) (by[e.detail] ??= []).push(e.duration);
    return Object.entries(by).map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]]);
  });
  if (MODE === 'explorer') {
    // What else the explorer does at this size: from the choice to the redrawn chart.
    const timed = async (what, act, id = C.id) => {
      const n = (await draws(id)).length;
      const t0 = await page.evaluate(() => performance.now());
      await act();
      await page.waitForFunction(([i, k]) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === i).length > k, [id, n], { timeout: 120000 });
      const [total, draw] = await page.evaluate(([i, t]) => {
        const e = performance.getEntriesByName('aind:chart-draw').filter((x) => x.detail === i).at(-1);
        return [e.startTime + e.duration - t, e.duration];
      }, [id, t0]);
      console.log(`${what.padEnd(46)} ${ms(total)} (drawing ${ms(draw)})`);
      return total;
    };
    console.log('\nexplorer choices at this size, choice to redrawn chart:');
    await timed('colour on a scale (log-likelihood)', () => page.selectOption('[data-testid="ex-color"]', 'log_likelihood'));
    await timed('shape by model', () => page.selectOption('[data-testid="ex-shape"]', 'agent_alias'));
    await timed('size by trials', () => page.selectOption('[data-testid="ex-size"]', 'n_trials'));
    await timed('marginal histograms, stacked', () => page.selectOption('[data-testid="ex-marg"]', 'stacked'));
    await timed('density curves on them', () => page.locator('[data-testid="ex-mkde"]').check());
    await timed('2-D density under the points', () => page.locator('[data-testid="ex-density"]').check());
    await page.locator('[data-testid="ex-density"]').uncheck();
    await page.selectOption('[data-testid="ex-marg"]', '');
    await page.selectOption('[data-testid="ex-shape"]', '');
    await page.selectOption('[data-testid="ex-size"]', '');
    await timed('back to groups by model', () => page.selectOption('[data-testid="ex-color"]', 'agent_alias'));
    await timed('linear fit per model', () => page.selectOption('[data-testid="ex-trend"]', 'linear'));
    await timed('mean ± SEM in 8 quantile bins per model', () => page.selectOption('[data-testid="ex-trend"]', 'sem'));
    await timed('LOWESS per model (at most 5,000 points each)', () => page.selectOption('[data-testid="ex-trend"]', 'lowess'));
    await page.selectOption('[data-testid="ex-trend"]', '');
    await timed('filter expression (n_trials > 300)', async () => {
      await page.fill('[data-testid="expr-input"]', 'n_trials > 300');
      await page.press('[data-testid="expr-input"]', 'Enter');
    });
    await page.locator('[data-testid="expr-clear"]').click();
    await timed('pair plot of 4 columns', () => page.locator('[data-testid="ex-mode-pair"]').check(), 'chart-pair');
  }
  console.log(`other charts, median draw: ${others.filter(([k]) => k !== C.id).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
  await context.close();
} finally {
  await browser?.close(); site?.stop(); api?.stop();
  rmSync(dir, { recursive: true, force: true });
}
