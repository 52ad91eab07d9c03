// The subject page's charts in Chromium: drawn from the sample data, following the metric, the
// legend, the table's filter and the URL; hover, keyboard, click, downloads, colour schemes.
// Expected values come from tests/fixtures/expected.json, never from app code.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPECTED, useStack, newPage, screenshot } from './helpers.mjs';

const SUBJECT = '730945';
const ROWS = EXPECTED.subjects[SUBJECT].rows;
const MODELS = [...new Set(ROWS.map((r) => r.agent_alias))].sort();

/** How the charts print a number: 4 significant digits, no trailing zeros. */
function sig4(v) {
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  let e = Math.floor(Math.log10(a));
  if (e >= -3 && e < 6) {
    const text = String(Number(a.toFixed(Math.min(6, Math.max(0, 3 - e)))));
    return text === '0' ? '0' : sign + text;
  }
  let m = Math.round((a / 10 ** e) * 1000);
  if (m >= 10000) { m = Math.round(m / 10); e += 1; }
  return `${sign}${String(m / 1000)}e${e}`;
}

const METRIC = '[data-testid="chart-metric-plot"]';

async function open(page, site, query = '', { drawn = true } = {}) {
  await page.goto(`${site.url}subject/${SUBJECT}${query}`);
  await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
  await page.waitForSelector(`${METRIC} canvas.chart-canvas`, { state: 'attached' });
  if (drawn) await page.waitForFunction(() => performance.getEntriesByName('aind:chart-draw').length > 0);
}

/** The data table of a chart, opened, as arrays of cell texts (header first). */
async function chartData(page, chart) {
  const details = page.locator(`${chart} details.chart-data`);
  if (!(await details.evaluate((d) => d.open))) await page.locator(`${chart} [data-testid="chart-data"]`).click();
  return page.locator(`${chart} details.chart-data table`).evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

const pixels = (page, chart) => page.locator(`${chart} canvas.chart-canvas`).evaluate((c) => c.toDataURL());
/** How many colours a chart's canvas holds (a blank or failed drawing has one or two). */
const colours = (page, chart) => page.locator(`${chart} canvas.chart-canvas`).evaluate((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
});

/** Sweeps the pointer over a chart until a tooltip shows; returns its lines. */
async function hoverSomePoint(page, chart) {
  const box = await page.locator(`${chart} .chart-overlay`).boundingBox();
  for (let y = box.height * 0.1; y < box.height * 0.9; y += 6) {
    for (let x = box.width * 0.05; x < box.width * 0.98; x += 6) {
      await page.mouse.move(box.x + x, box.y + y);
      const tip = page.locator(`${chart} [data-testid="chart-tip"]`);
      if (await tip.count()) return tip.locator('div').allTextContents();
    }
  }
  throw new Error('no point found under the pointer');
}

describe('subject charts', () => {
  const stack = useStack();

  test('the charts draw every successful fit, one series per model', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await open(page, stack.site);
    const legend = await page.locator('[data-testid="legend"] .legend-item').allTextContents();
    assert.deepEqual(legend.map((s) => s.trim()), MODELS);
    const [head, ...rows] = await chartData(page, METRIC);
    assert.deepEqual(head, ['Session date', 'Series', 'AIC']);
    const want = ROWS.map((r) => [r.session_date, r.agent_alias, sig4(r.AIC)].join('|')).sort();
    assert.deepEqual(rows.map((r) => r.join('|')).sort(), want);
    // Every other chart is drawn, none is empty.
    for (const id of ['chart-compare-plot', 'chart-best', 'chart-trials']) {
      assert.equal(await page.locator(`[data-testid="${id}"] canvas.chart-canvas:not(.hidden)`).count(), 1, id);
    }
    assert.ok(await page.locator('[data-testid="chart-param"]').count() >= 1);
    for (const id of ['chart-metric-plot', 'chart-compare-plot', 'chart-best', 'chart-trials']) {
      assert.ok(await colours(page, `[data-testid="${id}"]`) > 5, `${id} has a drawing`);
    }
    assert.equal(await page.locator('[data-testid="charts"] [role="alert"]').count(), 0, 'no drawing error');
    // The canvas is drawn at the screen's density and is not blank.
    const size = await page.locator(`${METRIC} canvas.chart-canvas`).evaluate((c) => [c.width, c.clientWidth]);
    assert.equal(size[0], size[1]);
    await screenshot(page, 'charts-subject');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('charts whose code cannot be fetched say so over a working table, and Retry brings them', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    // The charts' own module and the chunks it shares with other parts: as if the network
    // dropped after the main module arrived.
    let offline = true;
    const fetched = [];
    await page.route(/\/pkg-[0-9a-f]+\/(split_charts|chunk_\d+)\.wasm$/, (route) => {
      fetched.push(route.request().url());
      return offline ? route.abort('internetdisconnected') : route.continue();
    });
    await page.goto(`${stack.site.url}subject/${SUBJECT}`);
    await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
    const problem = page.locator('[data-testid="part-error"]');
    await problem.waitFor();
    assert.match(await problem.innerText(), /The charts could not be loaded/);
    assert.equal(await page.locator('table.results tbody tr').count(), ROWS.filter((r) => r.status === 'success').length);
    assert.equal(await page.locator(`${METRIC}`).count(), 0);
    assert.ok(fetched.some((u) => /split_charts/.test(u)), 'the charts module was asked for');
    await screenshot(page, 'charts-part-failed');
    offline = false;
    await problem.getByRole('button', { name: 'Retry' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('aind:chart-draw').length > 0);
    assert.equal(await problem.count(), 0);
    assert.ok(await colours(page, METRIC) > 5, 'the metric chart has a drawing');
    // The refused modules were logged as such; nothing else went wrong.
    assert.ok(errors.some((e) => e.startsWith('part not loaded:')), errors.join('\n'));
    assert.deepEqual(errors.filter((e) => !e.startsWith('part not loaded:')), []);
    await context.close();
  });

  test('the model comparison matches hand-computed Akaike weights and best counts', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    // Per session: ΔAIC to the best, weight exp(-Δ/2) / Σ exp(-Δ/2).
    const bySession = new Map();
    for (const r of ROWS) bySession.set(r.nwb_name, [...(bySession.get(r.nwb_name) ?? []), r]);
    const best = new Map(MODELS.map((m) => [m, 0]));
    const want = [];
    for (const fits of bySession.values()) {
      const min = Math.min(...fits.map((f) => f.AIC));
      const total = fits.reduce((s, f) => s + Math.exp(-(f.AIC - min) / 2), 0);
      const winner = fits.filter((f) => f.AIC === min).map((f) => f.agent_alias).sort()[0];
      best.set(winner, best.get(winner) + 1);
      for (const f of fits) want.push([f.session_date, f.agent_alias, sig4(Math.exp(-(f.AIC - min) / 2) / total)].join('|'));
    }
    const [, ...cells] = await chartData(page, '[data-testid="chart-compare-plot"]');
    assert.deepEqual(cells.map((c) => c.slice(0, 3).join('|')).sort(), want.sort());
    const summary = await page.locator('[data-testid="model-summary"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, Number(tr.children[2].textContent)]));
    assert.deepEqual(new Map(summary), best);
    const counts = summary.map(([, n]) => n);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'ranked by how often best');
    await context.close();
  });

  test('changing the metric redraws the chart and goes into the URL', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    const before = await pixels(page, METRIC);
    await page.selectOption('[data-testid="chart-metric"]', 'bic');
    await page.waitForURL(/metric=bic/);
    const [head, ...rows] = await chartData(page, METRIC);
    assert.equal(head[2], 'BIC');
    assert.deepEqual(rows.map((r) => r[2]).sort(), ROWS.map((r) => sig4(r.BIC)).sort());
    assert.notEqual(await pixels(page, METRIC), before, 'the canvas changed');
    await page.selectOption('[data-testid="chart-x"]', 'index');
    await page.waitForURL(/x=index/);
    const [, ...byIndex] = await chartData(page, METRIC);
    const sessions = new Set(ROWS.map((r) => r.nwb_name)).size;
    assert.deepEqual([...new Set(byIndex.map((r) => r[0]))].map(Number).sort((a, b) => a - b), Array.from({ length: sessions }, (_, i) => i + 1));
    await context.close();
  });

  test('a legend click hides a model in the charts and the table, and Show all brings it back', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    const model = MODELS[MODELS.length - 1];
    const before = await pixels(page, METRIC);
    await page.locator(`[data-testid="legend"] .legend-item[data-model="${model}"]`).click();
    await page.waitForURL(new RegExp(`hide=${model}`));
    assert.equal(await page.locator(`.legend-item[data-model="${model}"]`).getAttribute('aria-pressed'), 'false');
    const [, ...rows] = await chartData(page, METRIC);
    assert.ok(rows.length > 0 && rows.every((r) => r[1] !== model), 'no point of the hidden model');
    assert.notEqual(await pixels(page, METRIC), before, 'the canvas was redrawn without it');
    const tableModels = await page.locator('table.results tbody td[data-col="agent_alias"]').allTextContents();
    assert.ok(tableModels.length > 0 && tableModels.every((m) => !m.includes(model)), 'nor a row of it');
    assert.equal(tableModels.length, ROWS.filter((r) => r.agent_alias !== model).length);
    await page.locator('[data-testid="legend-all"]').click();
    await page.waitForURL((u) => !u.search.includes('hide='));
    assert.equal(await page.locator('table.results tbody tr').count(), ROWS.length);
    await context.close();
  });

  test('the table filter applies to the charts', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    const date = ROWS[0].session_date;
    const before = await pixels(page, METRIC);
    await page.fill('.row-filter', date);
    await page.waitForURL(/q=/);
    const [, ...rows] = await chartData(page, METRIC);
    assert.deepEqual(rows.map((r) => r[0]).filter((d, i, a) => a.indexOf(d) === i), [date]);
    assert.equal(rows.length, ROWS.filter((r) => r.session_date === date).length);
    assert.notEqual(await pixels(page, METRIC), before, 'the canvas was redrawn for the filter');
    await context.close();
  });

  test('hover shows the point with its figure, a click opens the figure, keys step through points', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    const [model, when, value] = await hoverSomePoint(page, METRIC);
    const fit = ROWS.find((r) => r.agent_alias === model && `Session date: ${r.session_date}` === when);
    assert.ok(fit, `the tooltip names a real fit: ${model} ${when}`);
    assert.equal(value, `AIC: ${sig4(fit.AIC)}`);
    const thumb = await page.locator(`${METRIC} .tip-thumb`).getAttribute('src');
    assert.ok(thumb.endsWith(fit.figure_key.split('/').slice(1).join('/')), thumb);
    const draws = await page.evaluate(() => performance.getEntriesByName('aind:chart-draw').length);
    await page.mouse.down(); await page.mouse.up();
    await page.waitForURL(/fig=/);
    assert.equal(new URL(page.url()).searchParams.get('fig'), fit._id);
    await page.waitForSelector('.viewer');
    assert.equal(await page.evaluate(() => performance.getEntriesByName('aind:chart-draw').length), draws, 'hover and click did not redraw');
    await page.keyboard.press('Escape');
    await page.goto(`${stack.site.url}subject/${SUBJECT}`);
    await page.waitForSelector(`${METRIC} canvas.chart-canvas`);
    await page.locator(`${METRIC} .chart-area`).focus();
    await page.keyboard.press('ArrowRight');
    const tip = await page.locator(`${METRIC} [data-testid="chart-tip"] div`).allTextContents();
    assert.ok(MODELS.includes(tip[0]), tip.join(' / '));
    await page.keyboard.press('Enter');
    await page.waitForURL(/fig=/);
    await context.close();
  });

  test('Shift+click or Shift+Enter on a point opens its session page', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    await page.locator(`${METRIC} .chart-area`).focus();
    await page.keyboard.press('ArrowRight');
    const [model, when] = await page.locator(`${METRIC} [data-testid="chart-tip"] div`).allTextContents();
    assert.match(await page.locator(`${METRIC} .tip-hint`).textContent(), /Shift\+click: the session page/);
    const date = when.replace('Session date: ', '');
    await page.keyboard.press('Shift+Enter');
    await page.waitForURL(new RegExp(`/subject/${SUBJECT}/session/${date}\\?nwb=`));
    await page.waitForSelector('[data-testid="session-metrics"]');
    const models = await page.locator('[data-testid="session-metrics"] td[data-col="agent_alias"]').allTextContents();
    assert.ok(models.some((m) => m.startsWith(model)), `${model} in ${models}`);
    await context.close();
  });

  test('PNG, SVG and CSV downloads of a chart', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site);
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${METRIC} [data-testid="${button}"]`).click()]);
      return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
    };
    const png = await save('save-png');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.bytes.length > 5000, 'a real picture');
    const svg = await save('save-svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg/);
    for (const m of MODELS) assert.ok(text.includes(m), `the legend names ${m}`);
    const csv = (await save('save-csv')).bytes.toString('utf8').trim().split('\n');
    assert.equal(csv[0], 'Session date,Series,AIC');
    assert.equal(csv.length - 1, ROWS.length);
    await context.close();
  });

  test('a permalink restores every chart choice; unknown values are named', async () => {
    const { page, context } = await newPage(stack.browser);
    const hidden = MODELS[0];
    await open(page, stack.site, `?metric=ll&x=index&cmp=d_bic&pmodel=${MODELS[1]}&hide=${hidden}`);
    assert.equal(await page.locator('[data-testid="chart-metric"]').inputValue(), 'll');
    assert.equal(await page.locator('[data-testid="chart-x"]').inputValue(), 'index');
    assert.equal(await page.locator('[data-testid="chart-compare"]').inputValue(), 'd_bic');
    assert.equal(await page.locator('[data-testid="chart-pmodel"]').inputValue(), MODELS[1]);
    assert.equal(await page.locator(`.legend-item[data-model="${hidden}"]`).getAttribute('aria-pressed'), 'false');
    const [head] = await chartData(page, '[data-testid="chart-compare-plot"]');
    assert.equal(head[2], "ΔBIC to the session's best");
    const [mhead, ...rows] = await chartData(page, METRIC);
    assert.equal(mhead[2], 'Log-likelihood per trial');
    const fit = ROWS.find((r) => r.agent_alias !== hidden && r.log_likelihood !== null);
    assert.ok(rows.some((r) => r[1] === fit.agent_alias && r[2] === sig4(fit.log_likelihood / fit.n_trials)));
    await page.goto(`${stack.site.url}subject/${SUBJECT}?metric=%24where&charts=0`);
    await page.waitForSelector('.results-view[data-state="complete"]');
    assert.match(await page.locator('[data-testid="chart-problems"]').textContent(), /metric: "\$where" is not a choice/);
    assert.equal(await page.locator('[data-testid="charts"]').evaluate((d) => d.open), false, 'charts=0 folds them');
    await context.close();
  });

  test('folded charts (charts=0) fetch no chart code until they are opened', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const wasm = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()); });
    await page.goto(`${stack.site.url}subject/${SUBJECT}?charts=0`);
    await page.waitForSelector('.results-view[data-state="complete"]');
    // The session page's code is fetched once the rows are in: by then the charts' would have been.
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('/split_session.wasm')));
    assert.ok(!wasm.includes('split_charts.wasm'), wasm.join(' '));
    assert.equal(await page.locator(METRIC).count(), 0);
    await page.locator('[data-testid="charts"] summary').click();
    await page.waitForURL((u) => !u.search.includes('charts=0'));
    await page.waitForFunction(() => performance.getEntriesByName('aind:chart-draw').length > 0);
    assert.ok(wasm.includes('split_charts.wasm'), wasm.join(' '));
    assert.ok(await colours(page, METRIC) > 5, 'the metric chart has a drawing');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('too little data: when no fit passes the filter the charts say so', async () => {
    const { page, context } = await newPage(stack.browser);
    await open(page, stack.site, `?q=${encodeURIComponent('no such text anywhere')}`, { drawn: false });
    assert.ok(await page.locator(`${METRIC} [data-testid="chart-empty"]`).isVisible());
    assert.equal(await page.locator(`${METRIC} [data-testid="save-png"]`).isDisabled(), true);
    await screenshot(page, 'charts-empty');
    await context.close();
  });
});

describe('on a phone', () => {
  const stack = useStack();

  test('390 px wide: crisp charts, whole model names, no page that scrolls sideways', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await open(page, stack.site);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll <= client, `the page is ${scroll} px wide in a ${client} px screen`);
    const [px, css] = await page.locator(`${METRIC} canvas.chart-canvas`).evaluate((c) => [c.width, c.clientWidth]);
    assert.ok(css > 250 && css <= 390, `chart ${css} px wide`);
    assert.equal(px, css * 3, 'drawn at the screen density');
    const cells = await page.locator('table.results tbody td[data-col="agent_alias"]').evaluateAll((tds) => tds.map((td) => [td.textContent.trim(), td.scrollWidth <= td.clientWidth + 1]));
    assert.ok(cells.length > 0);
    for (const [name, whole] of cells) {
      assert.ok(MODELS.includes(name), name);
      assert.ok(whole, `${name} is cut off`);
    }
    const head = await page.locator('table.results thead th').allTextContents();
    assert.ok(head.slice(0, 3).some((h) => /Model/.test(h)) && head.slice(0, 3).some((h) => /Session/.test(h)), head.join(' | '));
    await screenshot(page, 'charts-phone');
    await context.close();
  });
});

describe('colour schemes', () => {
  const stack = useStack();

  test('the site follows the system scheme and remembers a chosen one', async () => {
    const context = await stack.browser.newContext({ colorScheme: 'dark', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await open(page, stack.site);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(246, 248, 250)', 'a dark background');
    const dark = await pixels(page, METRIC);
    await screenshot(page, 'charts-dark');
    await page.selectOption('[data-testid="scheme"]', 'light');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await page.waitForFunction((before) => document.querySelector('[data-testid="chart-metric-plot"] canvas.chart-canvas').toDataURL() !== before, dark);
    await page.reload();
    await page.waitForSelector('.results-view[data-state="complete"]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'remembered');
    await context.close();
  });
});
