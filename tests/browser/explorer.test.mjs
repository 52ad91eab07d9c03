// The explorer tab in Chromium (first slice: any column against any other, colour by a text
// column, log axes, hover with the figure, click to open it, every choice in the URL).
// Expected values come from tests/fixtures/expected.json.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPECTED, useStack, newPage, screenshot } from './helpers.mjs';

const SUBJECT = '730945';
const ROWS = EXPECTED.subjects[SUBJECT].rows;
const CHART = '[data-testid="chart-explorer"]';

function sig4(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const e = Math.floor(Math.log10(a));
  return (v < 0 ? '-' : '') + String(Number(a.toFixed(Math.min(6, Math.max(0, 3 - e)))));
}

async function chartData(page) {
  const details = page.locator(`${CHART} details.chart-data`);
  if (!(await details.evaluate((d) => d.open))) await page.locator(`${CHART} [data-testid="chart-data"]`).click();
  return page.locator(`${CHART} details.chart-data table`).evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

async function openExplorer(page, site, query = '') {
  await page.goto(`${site.url}subject/${SUBJECT}${query}`);
  await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
}

const draws = (page) => page.evaluate(() => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === 'chart-explorer').length);

describe('explorer', () => {
  const stack = useStack();

  test('the Explorer tab plots one column against another for every row the table shows', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0');
    await page.locator('[data-testid="tab-explorer"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'explore');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    assert.equal(await page.locator('[data-testid="tab-explorer"]').getAttribute('aria-selected'), 'true');
    // Keyboard: the arrows move between the tabs (one of them in the tab order).
    await page.locator('[data-testid="tab-explorer"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('view'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-table');
    assert.equal(await page.locator('[data-testid="tab-explorer"]').getAttribute('tabindex'), '-1');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'explore');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    // AIC against BIC: every successful fit is a point with its own values.
    await page.selectOption('[data-testid="ex-x"]', 'AIC');
    await page.selectOption('[data-testid="ex-y"]', 'BIC');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_y') === 'BIC');
    assert.equal(await page.locator('[data-testid="explorer-count"]').textContent(), `${ROWS.length} points`);
    const got = (await chartData(page)).map(([x, , y]) => `${x}|${y}`).sort();
    const want = ROWS.map((r) => `${sig4(r.AIC)}|${sig4(r.BIC)}`).sort();
    assert.deepEqual(got, want);
    // The table's filter applies: only one model's rows remain.
    const model = ROWS[0].agent_alias;
    await page.locator('[data-testid="tab-table"]').click();
    await page.fill('input[type="search"]', model);
    await page.locator('[data-testid="tab-explorer"]').click();
    const n = ROWS.filter((r) => r.agent_alias === model).length;
    await page.waitForFunction(([want]) => document.querySelector('[data-testid="explorer-count"]')?.textContent === want, [`${n} points`]);
    await screenshot(page, 'explorer');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('colour by a column with a legend that hides groups; log axes; a permalink restores it all', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_x=n_trials&ex_y=AIC');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    await page.selectOption('[data-testid="ex-color"]', 'agent_alias');
    const models = [...new Set(ROWS.map((r) => r.agent_alias))].sort();
    const legend = page.locator('[data-testid="explorer-legend"] .legend-item');
    await legend.first().waitFor();
    assert.deepEqual(await legend.allTextContents(), models);
    // The data table's series are the models.
    const series = new Set((await chartData(page)).map((r) => r[1]));
    assert.deepEqual([...series].sort(), models);
    // Hide one group.
    const before = await draws(page);
    await page.locator(`[data-testid="explorer-legend"] .legend-item[data-model="${models[0]}"]`).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('ex_hide') === m, models[0]);
    await page.waitForFunction((d) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === 'chart-explorer').length > d, before);
    assert.ok(!(await chartData(page)).some((r) => r[1] === models[0]));
    // Log y: values drawn as their logarithms, labelled with the numbers.
    await page.locator('[data-testid="ex-logy"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_logy') === '1');
    const rows = await chartData(page);
    const head = await page.locator(`${CHART} details.chart-data thead th`).allTextContents();
    assert.equal(head[2], 'AIC (log)');
    const aics = new Set(ROWS.map((r) => sig4(r.AIC)));
    for (const r of rows) assert.ok(aics.has(r[2]), r[2]);
    // The permalink, opened elsewhere, shows the same choices.
    const url = page.url();
    const other = await newPage(stack.browser);
    await other.page.goto(url);
    await other.page.waitForSelector(`${CHART} canvas.chart-canvas`, { timeout: 30000 });
    assert.equal(await other.page.locator('[data-testid="ex-x"]').inputValue(), 'n_trials');
    assert.equal(await other.page.locator('[data-testid="ex-y"]').inputValue(), 'AIC');
    assert.equal(await other.page.locator('[data-testid="ex-color"]').inputValue(), 'agent_alias');
    assert.ok(await other.page.locator('[data-testid="ex-logy"]').isChecked());
    assert.equal(await other.page.locator(`[data-testid="explorer-legend"] .legend-item[data-model="${models[0]}"]`).getAttribute('aria-pressed'), 'false');
    await other.context.close();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('hover shows the fit with its figure; a double click opens the figure; odd URL values are explained', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_x=AIC&ex_y=nope&ex_color=agent_alias');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    assert.match(await page.locator('[data-testid="explorer-problems"]').textContent(), /ex_y: no column "nope" to draw/);
    await page.locator(CHART).scrollIntoViewIfNeeded();
    const box = await page.locator(`${CHART} .chart-overlay`).boundingBox();
    let tip = null;
    let at = null;
    for (let y = 0.1; y < 0.9 && !tip; y += 0.03) {
      for (let x = 0.08; x < 0.98 && !tip; x += 0.01) {
        at = [box.x + box.width * x, box.y + box.height * y];
        await page.mouse.move(...at);
        if (await page.locator(`${CHART} [data-testid="chart-tip"]`).count()) tip = page.locator(`${CHART} [data-testid="chart-tip"]`);
      }
    }
    assert.ok(tip, 'a point under the pointer');
    // Model, subject, session and the values: enough to name exactly one fit.
    const lines = await tip.locator('div').allTextContents();
    assert.equal(lines[1], `Subject ${SUBJECT}`);
    const [, date, model] = lines[2].match(/^Session (\S+) · (.+)$/);
    assert.equal(lines[0], model);
    const aic = lines[3].replace('AIC: ', '');
    const fits = ROWS.filter((r) => r.session_date === date && r.agent_alias === model && sig4(r.AIC) === aic);
    assert.equal(fits.length, 1, lines.join(' / '));
    if (fits[0].has_figure) {
      assert.ok((await tip.locator('img.tip-thumb').getAttribute('src')).endsWith(`${fits[0].S3_location.replace('s3://', '')}/fitted_session.png`));
    }
    // A double click opens that fit's figure (a click selects it).
    assert.match(await tip.textContent(), /Click: select · Double-click: the figure/);
    await page.mouse.dblclick(...at);
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('fig') === id, fits[0]._id);
    await page.locator('[role="dialog"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a click, a box and a lasso select fits; the table shows them; a table selection is ringed', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_x=AIC&ex_y=BIC');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    await page.locator(CHART).scrollIntoViewIfNeeded();
    // Every point's place on the page, from the tooltip the keyboard walks through (it sits
    // 12 px off its point).
    const walk = async () => {
      const box = await page.locator(`${CHART} .chart-overlay`).boundingBox();
      await page.locator(`${CHART} .chart-area`).focus();
      const points = [];
      for (let i = 0; i < ROWS.length; i++) {
        await page.keyboard.press('ArrowRight');
        const tip = page.locator(`${CHART} [data-testid="chart-tip"]`);
        const [style, lines] = await Promise.all([tip.getAttribute('style'), tip.locator('div').allTextContents()]);
        const left = style.match(/left:([-\d.]+)px/);
        const x = left ? Number(left[1]) - 12 : box.width - Number(style.match(/right:([-\d.]+)px/)[1]) + 12;
        const y = Number(style.match(/top:([-\d.]+)px/)[1]) - 12;
        points.push({ x: box.x + x, y: box.y + y, aic: lines[3].replace('AIC: ', '') });
      }
      await page.keyboard.press('Escape');
      return { box, points };
    };
    const { box, points } = await walk();
    assert.equal(new Set(points.map((p) => `${p.x},${p.y}`)).size, ROWS.length, 'every point visited once');
    const count = () => page.locator('[data-testid="picked-count"]').textContent();
    // A click selects one fit; Shift+click adds another; a click on the only one unselects it.
    const [p0, p1] = points;
    await page.mouse.click(p0.x, p0.y);
    await page.waitForSelector('[data-testid="picked-count"]');
    assert.equal(await count(), '1 fit selected');
    await page.keyboard.down('Shift');
    await page.mouse.click(p1.x, p1.y);
    await page.keyboard.up('Shift');
    assert.equal(await count(), '2 fits selected');
    await page.locator('[data-testid="picked-clear"]').click();
    assert.equal(await page.locator('[data-testid="picked-bar"]').count(), 0);
    // A hand that wobbles a pixel between press and release still clicks.
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    await page.mouse.move(p0.x + 1, p0.y + 1);
    await page.mouse.up();
    assert.equal(await count(), '1 fit selected');
    await page.locator('[data-testid="picked-clear"]').click();
    // A box around the whole plot takes every point.
    const drag = async (path) => {
      await page.mouse.move(...path[0]);
      await page.mouse.down();
      for (const p of path.slice(1)) await page.mouse.move(...p, { steps: 4 });
      await page.mouse.up();
    };
    await drag([[box.x + 2, box.y + 2], [box.x + box.width - 2, box.y + box.height - 2]]);
    assert.equal(await count(), `${ROWS.length} fits selected`);
    // A box dragged on past the chart's edge, and let go out there, still selects.
    await page.locator('[data-testid="picked-clear"]').click();
    await drag([[box.x + 2, box.y + 2], [box.x + box.width + 30, box.y + box.height / 2], [box.x + box.width + 30, box.y + box.height - 2]]);
    assert.equal(await count(), `${ROWS.length} fits selected`);
    // A double click opens a figure and leaves the selection as it was.
    await page.mouse.dblclick(p1.x, p1.y);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('fig'));
    await page.locator('[role="dialog"]').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('fig'));
    assert.equal(await count(), `${ROWS.length} fits selected`);
    // A lasso around the left half of the points (by x on screen) takes exactly them.
    await page.locator('[data-testid="ex-lasso"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_lasso') === '1');
    const xs = points.map((p) => p.x).sort((a, b) => a - b);
    const cut = (xs[Math.floor(xs.length / 2) - 1] + xs[Math.floor(xs.length / 2)]) / 2;
    const inside = points.filter((p) => p.x < cut);
    await drag([[box.x + 2, box.y + 2], [cut, box.y + 2], [cut, box.y + box.height - 2], [box.x + 2, box.y + box.height - 2]]);
    assert.equal(await count(), `${inside.length} fits selected`);
    // The table shows only them, marked.
    await page.locator('[data-testid="picked-show"]').click();
    await page.waitForSelector('table.results');
    const shown = await page.locator('table.results tbody tr.picked td[data-col="AIC"]').allTextContents();
    assert.equal(await page.locator('table.results tbody tr').count(), inside.length);
    assert.deepEqual(shown.map((t) => sig4(Number(t))).sort(), inside.map((p) => p.aic).sort());
    assert.ok(await page.locator('[data-testid="picked-only"]').isChecked());
    await page.locator('[data-testid="picked-only"]').uncheck();
    assert.equal(await page.locator('table.results tbody tr.picked').count(), inside.length);
    // A row selected in the table is ringed in the explorer.
    await page.locator('[data-testid="picked-clear"]').click();
    const row = ROWS[0];
    await page.locator(`table.results tbody tr[data-id="${row._id}"] td[data-col="AIC"]`).click();
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, row._id);
    await page.locator('[data-testid="tab-explorer"]').click();
    await page.waitForSelector(`${CHART} canvas.chart-layer`);
    // (The row's details take room beside the chart: the points moved.)
    const again = await walk();
    const target = again.points.find((p) => p.aic === sig4(row.AIC));
    // Painted pixels of the selection layer around a point (the ring), once the chart is drawn.
    const ringed = (p) => page.waitForFunction(([sel, x, y]) => {
      const c = document.querySelector(sel);
      const r = window.devicePixelRatio || 1;
      if (!c || c.width === 0) return false;
      const d = c.getContext('2d').getImageData(Math.round((x - 8) * r), Math.round((y - 8) * r), 16 * r, 16 * r).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n > 10;
    }, [`${CHART} canvas.chart-layer`, p.x - again.box.x, p.y - again.box.y], { timeout: 10000 });
    await ringed(target);
    await screenshot(page, 'explorer-selection');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('trends: a linear fit per model with slope, R² and n; binned means; the trend of all points', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_x=n_trials&ex_y=AIC&ex_color=agent_alias');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    await page.selectOption('[data-testid="ex-trend"]', 'linear');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_trend') === 'linear');
    const notes = await page.locator('[data-testid="trend-notes"] li').allTextContents();
    const models = [...new Set(ROWS.map((r) => r.agent_alias))].sort();
    assert.equal(notes.length, models.length);
    for (const m of models) {
      const pts = ROWS.filter((r) => r.agent_alias === m).map((r) => [r.n_trials, r.AIC]);
      const n = pts.length;
      const mx = pts.reduce((s, p) => s + p[0], 0) / n;
      const my = pts.reduce((s, p) => s + p[1], 0) / n;
      const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
      const syy = pts.reduce((s, p) => s + (p[1] - my) ** 2, 0);
      const sxy = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
      const note = notes.find((t) => t.startsWith(`${m}:`));
      assert.ok(note, m);
      assert.ok(note.includes(`slope ${sig4(sxy / sxx)}, R² ${sig4((sxy * sxy) / (sxx * syy))}, p `), `${note} vs ${sig4(sxy / sxx)}`);
      assert.ok(note.endsWith(`(n = ${n})`), note);
    }
    // Mean ± SEM in quantile bins: the bin choice appears and goes to the URL.
    const before = await draws(page);
    await page.selectOption('[data-testid="ex-trend"]', 'sem');
    await page.selectOption('[data-testid="ex-bins"]', 'q4');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_bins') === 'q4');
    await page.waitForFunction((d) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === 'chart-explorer').length > d, before);
    assert.equal(await page.locator('[data-testid="trend-notes"]').count(), 0, 'only a line has words to say');
    // The SVG of the chart holds one SEM band per model (each model has four bins).
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator(`${CHART} [data-testid="save-svg"]`).click()]);
    const text = readFileSync(await svg.path(), 'utf8');
    assert.equal((text.match(/<polygon/g) || []).length, models.length);
    // The trend of all points, as a line: one note.
    await page.selectOption('[data-testid="ex-trend"]', 'linear');
    await page.selectOption('[data-testid="ex-of"]', 'all');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_of') === 'all');
    const all = await page.locator('[data-testid="trend-notes"] li').allTextContents();
    assert.equal(all.length, 1);
    assert.ok(all[0].startsWith('All points: slope ') && all[0].endsWith(`(n = ${ROWS.length})`), all[0]);
    await screenshot(page, 'explorer-trends');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('session index, a colour scale, shapes and sizes: values, legends, controls and URL', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_y=AIC');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    // The session index within the subject: each session's rank by date, then NWB name.
    await page.selectOption('[data-testid="ex-x"]', 'session_index');
    const sessions = [...new Set(ROWS.map((r) => `${r.session_date}|${r.nwb_name}`))].sort();
    const index = (r) => sessions.indexOf(`${r.session_date}|${r.nwb_name}`) + 1;
    // Colour on a scale of log-likelihoods, shapes by model, sizes by trials.
    await page.selectOption('[data-testid="ex-color"]', 'log_likelihood');
    await page.selectOption('[data-testid="ex-shape"]', 'agent_alias');
    await page.selectOption('[data-testid="ex-size"]', 'n_trials');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_size') === 'n_trials');
    assert.equal(await page.locator('[data-testid="explorer-legend"]').count(), 0, 'a scale has a colour bar, not a legend');
    const models = [...new Set(ROWS.map((r) => r.agent_alias))].sort();
    const keys = await page.locator('[data-testid="shape-legend"] .shape-key').allTextContents();
    assert.deepEqual(keys.map((k) => k.slice(2)), models);
    assert.deepEqual(keys.map((k) => k[0]), ['●', '■', '▲', '◆', '✚', '▼'].slice(0, models.length));
    const trials = ROWS.map((r) => r.n_trials);
    assert.equal(await page.locator('[data-testid="size-note"]').textContent(),
      `Size: Trials from ${sig4(Math.min(...trials))} (2 px) to ${sig4(Math.max(...trials))} (10 px), gamma 1`);
    // Every point carries its index, AIC, log-likelihood, trials and model.
    const got = (await chartData(page)).map((r) => r.join('|')).sort();
    const want = ROWS.map((r) => [index(r), 'Fits', sig4(r.AIC), sig4(r.log_likelihood), sig4(r.n_trials), r.agent_alias].join('|')).sort();
    assert.deepEqual(got, want);
    // The scale's palette, direction, radii and gamma go to the URL; out-of-order radii are put right.
    await page.selectOption('[data-testid="ex-palette"]', 'cividis');
    await page.locator('[data-testid="ex-rev"]').check();
    await page.fill('[data-testid="ex-size-max"]', '16');
    await page.locator('[data-testid="ex-size-max"]').press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_size_px') === '2-16');
    await page.fill('[data-testid="ex-size-min"]', '20');
    await page.locator('[data-testid="ex-size-min"]').press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_size_px') === '20-20');
    await page.fill('[data-testid="ex-gamma"]', '0.5');
    await page.locator('[data-testid="ex-gamma"]').press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_gamma') === '0.5');
    // A gamma out of range changes nothing, and the field shows the gamma in force again.
    await page.fill('[data-testid="ex-gamma"]', '99');
    await page.locator('[data-testid="ex-gamma"]').press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="ex-gamma"]').value === '0.5');
    const params = new URL(page.url()).searchParams;
    assert.deepEqual(['ex_palette', 'ex_rev', 'ex_size_px', 'ex_gamma'].map((k) => params.get(k)), ['cividis', '1', '20-20', '0.5']);
    assert.ok((await page.locator('[data-testid="size-note"]').textContent()).endsWith('(20 px), gamma 0.5'));
    // The SVG download draws the colour bar with its title.
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator(`${CHART} [data-testid="save-svg"]`).click()]);
    assert.ok(readFileSync(await svg.path(), 'utf8').includes('>\nLog-likelihood\n</text>'));
    await screenshot(page, 'explorer-encodings');
    // A permalink restores every control.
    const link = page.url();
    const again = await newPage(stack.browser);
    await again.page.goto(link);
    await again.page.waitForSelector(`${CHART} canvas.chart-canvas`, { timeout: 30000 });
    for (const [id, v] of [['ex-x', 'session_index'], ['ex-color', 'log_likelihood'], ['ex-shape', 'agent_alias'], ['ex-size', 'n_trials'], ['ex-palette', 'cividis'], ['ex-size-min', '20'], ['ex-size-max', '20'], ['ex-gamma', '0.5']]) {
      assert.equal(await again.page.locator(`[data-testid="${id}"]`).inputValue(), v, id);
    }
    assert.equal(await again.page.locator('[data-testid="ex-rev"]').isChecked(), true);
    // Odd values are explained and fall back.
    await again.page.goto(`${link}&ex_palette=rainbow&ex_gamma=-1&ex_logy=yes&ex_mode=pairs`.replace(/ex_palette=cividis&?/, '').replace(/ex_gamma=0\.5&?/, ''));
    await again.page.waitForSelector('[data-testid="explorer-problems"]', { timeout: 30000 });
    const problems = await again.page.locator('[data-testid="explorer-problems"]').textContent();
    assert.ok(problems.includes('ex_palette: "rainbow" is not a palette') && problems.includes('ex_gamma: "-1" is not a gamma'), problems);
    assert.ok(problems.includes('ex_logy: "yes" is not 1 or 0; off.') && problems.includes('ex_mode: "pairs" is not a view'), problems);
    assert.equal(await again.page.locator(`${CHART} canvas.chart-canvas`).count(), 1, 'the scatter is shown');
    assert.deepEqual(again.errors, []);
    await again.context.close();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('fitted parameters are axes: each fit\'s own value, the others counted as without one', async () => {
    // The records as Python wrote them (NaN and Infinity included, as JSON has them not).
    const text = readFileSync(new URL('../fixtures/analysis/dynamic-foraging-model-fitting.json', import.meta.url), 'utf8');
    const docs = JSON.parse(text.replace(/([:,[]\s*)-?(NaN|Infinity)\b/g, '$1null'));
    const paramsOf = (id) => {
      const d = docs.find((x) => x._id === id);
      return d.analysis_results?.params ?? d.processing.data_processes[0].output_parameters.fitting_results.params;
    };
    const name = Object.keys(paramsOf(ROWS[0]._id))[0];
    const withIt = ROWS.filter((r) => typeof paramsOf(r._id)?.[name] === 'number');
    assert.ok(withIt.length > 0 && withIt.length < ROWS.length, `${name} is fitted by some models only`);
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, `?charts=0&view=explore&ex_x=AIC&ex_y=param.${name}`);
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    assert.equal(await page.locator('[data-testid="ex-y"]').inputValue(), `param.${name}`);
    assert.equal(await page.locator('[data-testid="explorer-count"]').textContent(),
      `${withIt.length} points · ${ROWS.length - withIt.length} without a value on an axis`);
    const got = (await chartData(page)).map(([x, , y]) => `${x}|${y}`).sort();
    const want = withIt.map((r) => `${sig4(r.AIC)}|${sig4(paramsOf(r._id)[name])}`).sort();
    assert.deepEqual(got, want);
    const head = await page.locator(`${CHART} details.chart-data thead th`).allTextContents();
    assert.equal(head[2], `${name} (fitted)`);
    // The pair plot takes them too, with the session index.
    await page.goto(`${page.url()}&ex_mode=pair&ex_pair=AIC,param.${name},session_index`);
    await page.waitForSelector('[data-testid="chart-pair"] canvas.chart-canvas:not(.hidden)', { timeout: 30000 });
    assert.equal(await page.locator('[data-testid="pair-count"]').textContent(),
      `${ROWS.length} rows · ${ROWS.length - withIt.length} without ${name} (fitted)`);
    for (const k of [`param.${name}`, 'session_index']) {
      assert.ok(await page.locator(`[data-testid="pair-columns"] input[data-key="${k}"]`).isChecked(), k);
    }
    assert.equal(await page.locator('[data-testid="pair-problems"]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('marginal histograms count each model\'s points per bin; density and hidden dots change the drawing', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_x=AIC&ex_y=BIC&ex_color=agent_alias');
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    const svg = async () => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`${CHART} [data-testid="save-svg"]`).click()]);
      return readFileSync(await d.path(), 'utf8');
    };
    const count = (text, tag) => (text.match(new RegExp(`<${tag}[ >]`, 'g')) || []).length;
    const plain = await svg();
    // Stacked histograms of 10 bins: one bar per model and bin holding points, on each axis.
    await page.selectOption('[data-testid="ex-marg"]', 'stacked');
    await page.fill('[data-testid="ex-mbins"]', '10');
    await page.locator('[data-testid="ex-mbins"]').press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_mbins') === '10');
    const bars = (key) => {
      const vs = ROWS.map((r) => r[key]);
      const lo = Math.min(...vs); const hi = Math.max(...vs);
      const bin = (v) => Math.min(9, Math.floor(((v - lo) / (hi - lo)) * 10));
      return new Set(ROWS.map((r) => `${r.agent_alias}|${bin(r[key])}`)).size;
    };
    const withBars = await svg();
    assert.equal(count(withBars, 'rect') - count(plain, 'rect'), bars('AIC') + bars('BIC'));
    assert.equal(count(withBars, 'circle'), count(plain, 'circle'), 'the points stay');
    // Fractions and density curves go to the URL; the curve is one line per axis (of all points).
    await page.locator('[data-testid="ex-mnorm"]').check();
    await page.locator('[data-testid="ex-mkde"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_mkde') === '1');
    assert.equal(new URL(page.url()).searchParams.get('ex_mnorm'), '1');
    const curves = await svg();
    assert.equal(count(curves, 'polyline') - count(withBars, 'polyline'), 2);
    assert.ok(curves.includes('>\nfraction\n</text>'));
    // The 2-D density adds its cells under the points; hiding the dots leaves no point.
    await page.locator('[data-testid="ex-density"]').check();
    await page.fill('[data-testid="ex-dopacity"]', '0.4');
    await page.locator('[data-testid="ex-dopacity"]').press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_dopacity') === '0.4');
    const dense = await svg();
    assert.ok(count(dense, 'rect') > count(curves, 'rect') + 10, 'density cells drawn');
    assert.ok(dense.includes('opacity="0.4"') || /fill-opacity="0\.[0-4]/.test(dense), 'cells see-through');
    await page.locator('[data-testid="ex-hidedots"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_hidedots') === '1');
    assert.equal(count(await svg(), 'circle'), 0);
    assert.match(await page.locator('[data-testid="explorer-count"]').textContent(), /dots hidden/);
    await screenshot(page, 'explorer-layers');
    // A permalink restores them.
    const again = await newPage(stack.browser);
    await again.page.goto(page.url());
    await again.page.waitForSelector(`${CHART} canvas.chart-canvas`, { timeout: 30000 });
    assert.equal(await again.page.locator('[data-testid="ex-marg"]').inputValue(), 'stacked');
    assert.equal(await again.page.locator('[data-testid="ex-mbins"]').inputValue(), '10');
    for (const id of ['ex-mnorm', 'ex-mkde', 'ex-density', 'ex-hidedots']) assert.ok(await again.page.locator(`[data-testid="${id}"]`).isChecked(), id);
    await again.context.close();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the pair plot: columns by ticking, every row in every cell, groups shared with the scatter', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await openExplorer(page, stack.site, '?charts=0&view=explore&ex_color=agent_alias');
    await page.locator('[data-testid="ex-mode-pair"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_mode') === 'pair');
    await page.waitForSelector('[data-testid="pair-columns"]');
    assert.match(await page.locator('[data-testid="chart-pair"] [data-testid="chart-empty"]').textContent(), /Choose two to six columns/);
    for (const k of ['AIC', 'BIC', 'n_trials']) await page.locator(`[data-testid="pair-columns"] input[data-key="${k}"]`).check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('ex_pair') === 'AIC,BIC,n_trials');
    await page.waitForSelector('[data-testid="chart-pair"] canvas.chart-canvas:not(.hidden)');
    // The data: a line per row with its model and the three values.
    const details = page.locator('[data-testid="chart-pair"] details.chart-data');
    await page.locator('[data-testid="chart-pair"] [data-testid="chart-data"]').click();
    const rows = await details.locator('table').evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()).join('|')));
    assert.deepEqual(rows.sort(), ROWS.map((r) => [r.agent_alias, sig4(r.AIC), sig4(r.BIC), sig4(r.n_trials)].join('|')).sort());
    // The SVG names the three columns.
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="chart-pair"] [data-testid="save-svg"]').click()]);
    const text = readFileSync(await d.path(), 'utf8');
    for (const label of ['AIC', 'BIC', 'Trials']) assert.ok(text.includes(`>\n${label}\n</text>`), label);
    // The legend hides a model in the pair plot as in the scatter (ex_hide).
    const models = [...new Set(ROWS.map((r) => r.agent_alias))].sort();
    await page.locator(`[data-testid="pair-legend"] .legend-item[data-model="${models[0]}"]`).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('ex_hide') === m, models[0]);
    // ... and the grid then draws every other row, and none of that model's.
    const others = ROWS.filter((r) => r.agent_alias !== models[0]);
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n,
      ['[data-testid="chart-pair"] details.chart-data tbody tr', others.length]);
    const left = await details.locator('table').evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => tr.children[0].textContent.trim()));
    assert.ok(others.length > 0 && others.length < ROWS.length && !left.includes(models[0]), left.join());
    // An unknown column in a link is explained.
    await page.goto(`${page.url()}&ex_pair=AIC,BIC,nope`.replace(/ex_pair=[^&]*&/, ''));
    await page.waitForSelector('[data-testid="pair-problems"]', { timeout: 30000 });
    assert.match(await page.locator('[data-testid="pair-problems"]').textContent(), /nope/);
    await screenshot(page, 'explorer-pair');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a model hidden by the subject charts keeps the other models in the same colours', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const models = [...new Set(ROWS.map((r) => r.agent_alias))].sort();
    await openExplorer(page, stack.site, `?hide=${models[0]}&view=explore&ex_color=agent_alias`);
    await page.locator('[data-testid="explorer-legend"] .legend-item').first().waitFor();
    assert.deepEqual(await page.locator('[data-testid="explorer-legend"] .legend-item').allTextContents(), models.slice(1));
    for (const m of models.slice(1)) {
      const swatch = (sel) => page.locator(`[data-testid="${sel}"] .legend-item[data-model="${m}"] .swatch`).getAttribute('style');
      assert.equal(await swatch('explorer-legend'), await swatch('legend'), m);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the explorer works embedded, from a link with its choices', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await page.goto(`${stack.site.url}embed/subject/${SUBJECT}?view=explore&ex_x=AIC&ex_y=BIC&charts=0`);
    await page.waitForSelector(`${CHART} canvas.chart-canvas`, { timeout: 30000 });
    assert.equal(await page.locator('[data-testid="explorer-count"]').textContent(), `${ROWS.length} points`);
    assert.equal(await page.locator('[data-testid="ex-x"]').inputValue(), 'AIC');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
