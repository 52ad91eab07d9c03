// The session page's latent variables in Chromium: read from the fixtures' result files in S3
// (through the sample API's S3 mirror), drawn, zoomed and panned, hovered and downloaded; the
// bucket refusing cross-origin reads; result files that are missing, cut off or of the wrong
// shape. Expected values come from the fixture files and tests/fixtures/expected.json.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { EXPECTED, FIXTURES, useStack, newPage, screenshot } from './helpers.mjs';

const { sessions: SESSIONS, folders: FOLDERS } = EXPECTED.latents;
const RESULT_FILES = ['original_results_mle_fitting.json', 'docDB_mle_fitting.json', 'docDB_record.json'];
const CHART = '[data-testid="chart-latents"]';

/** The visible fits of a session (expected rows), with their folder's expectations. */
function fitsOf(s) {
  return EXPECTED.subjects[s.subject_id].rows
    .filter((r) => r.nwb_name === s.nwb_name)
    .map((r) => ({ row: r, exp: FOLDERS[r.S3_location] }));
}

/** The latent variables of a fixture folder, read as the reference reads them. */
function fileLatents(folder, name) {
  const file = path.join(FIXTURES, 's3', folder.replace('s3://', ''), name);
  let json = JSON.parse(readFileSync(file, 'utf8').replace(/\bNaN\b/g, 'null'));
  if (json.analysis_results) json = json.analysis_results;
  const lv = json.fitted_latent_variables;
  const choice = json.fit_settings.fit_choice_history;
  const reward = json.fit_settings.fit_reward_history;
  const q = lv.q_value;
  const pRight = lv.choice_prob ? (Array.isArray(lv.choice_prob[0]) ? lv.choice_prob[1] : lv.choice_prob) : null;
  const rpe = q ? choice.map((c, t) => reward[t] - q[c][t]) : null;
  return { choice, reward, q, pRight, rpe };
}

function sig4(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const e = Math.floor(Math.log10(a));
  return (v < 0 ? '-' : '') + String(Number(a.toFixed(Math.min(6, Math.max(0, 3 - e)))));
}

const sessionUrl = (site, s, extra = '') => `${site.url}subject/${s.subject_id}/session/${s.session_date}?nwb=${encodeURIComponent(s.nwb_name)}${extra}`;

async function openSession(page, site, s, extra = '') {
  await page.goto(sessionUrl(site, s, extra));
  await page.waitForSelector('[data-testid="session-metrics"]', { timeout: 30000 });
  await page.waitForSelector('[data-testid="latents"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="latents-progress"]'), null, { timeout: 30000 });
}

async function csv(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${CHART} [data-testid="save-csv"]`).click()]);
  const text = readFileSync(await download.path(), 'utf8').trim();
  return text.split(/\r?\n/).map((l) => l.split(','));
}

const s3Reads = async (api) => (await api.requests()).filter((r) => r.path.startsWith('/s3/') && r.path.endsWith('.json'));

describe('latent variables on the session page', () => {
  const stack = useStack();

  test('every fit of a session is read from its first result file and drawn; values as in the files', async () => {
    await stack.api.reset();
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.good;
    await openSession(page, stack.site, s);
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    const fits = fitsOf(s);
    assert.ok(fits.length >= 3 && fits.every((f) => f.exp && f.exp.problem === null), 'the fixture session is all readable');

    // Per fit: the file the reference would read (the decoy docDB_record.json is not), its
    // trial count and the q-value spread.
    const rows = await page.locator('[data-testid="latents-sources"] tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      model: tr.dataset.model,
      status: tr.querySelector('[data-testid="latents-status"]').textContent,
      href: tr.querySelector('a')?.getAttribute('href') ?? null,
      spread: tr.querySelector('[data-testid="latents-spread"]').textContent,
    })));
    assert.equal(rows.length, fits.length);
    for (const { row, exp } of fits) {
      const got = rows.find((r) => r.model === row.agent_alias);
      assert.ok(got, row.agent_alias);
      assert.equal(got.status, `${exp.n_trials} trials from ${exp.file}${exp.has_q ? '' : ' (no q-values, so no RPE)'}`);
      assert.ok(got.href.endsWith(`${row.S3_location.replace('s3://', '')}/${exp.file}`), got.href);
      assert.equal(got.spread, exp.qvalue_spread === null ? '–' : sig4(exp.qvalue_spread), row.agent_alias);
    }
    const decoy = fits.find((f) => f.row.S3_location === s.decoy_folder);
    assert.ok(decoy && existsSync(path.join(FIXTURES, 's3', s.decoy_folder.replace('s3://', ''), 'docDB_record.json')));
    assert.equal(decoy.exp.file, RESULT_FILES[0]);

    // The legend has every model read; the chart drew.
    const legend = await page.locator('[data-testid="latents-legend"] .legend-item').allTextContents();
    assert.deepEqual([...legend].sort(), fits.map((f) => f.row.agent_alias).sort());
    assert.ok(await page.evaluate(() => performance.getEntriesByName('aind:chart-draw').some((e) => e.detail === 'chart-latents')));
    assert.equal(await page.locator(`${CHART} [data-testid="span-label"]`).textContent(), `All ${fits[0].exp.n_trials} trials`);

    // The CSV holds what was plotted: the file's values, RPE = reward - q[chosen] before the choice.
    const table = await csv(page);
    const head = table[0];
    assert.deepEqual(head.slice(0, 3), ['Trial', 'Choice (1 = right)', 'Reward']);
    assert.equal(table.length - 1, fits[0].exp.n_trials);
    for (const { row, exp } of fits) {
      const f = fileLatents(row.S3_location, exp.file);
      const col = (what) => head.indexOf(`${row.agent_alias} ${what}`);
      for (const t of [0, 1, 57, exp.n_trials - 1]) {
        const line = table[t + 1];
        assert.equal(Number(line[0]), t + 1);
        assert.equal(Number(line[1]), f.choice[t]);
        assert.equal(Number(line[2]), f.reward[t]);
        assert.ok(Math.abs(Number(line[col('P(right)')]) - f.pRight[t]) < 1e-12, `${row.agent_alias} P(right) ${t}`);
        if (exp.has_q) {
          assert.ok(Math.abs(Number(line[col('Q left')]) - f.q[0][t]) < 1e-12);
          assert.ok(Math.abs(Number(line[col('Q right')]) - f.q[1][t]) < 1e-12);
          assert.ok(Math.abs(Number(line[col('RPE')]) - f.rpe[t]) < 1e-9, `${row.agent_alias} RPE ${t}`);
        } else {
          assert.equal(col('RPE'), -1, 'no RPE without q-values');
        }
      }
    }

    // PNG and SVG of the same drawing, with a legend of the models.
    for (const kind of ['svg', 'png']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`${CHART} [data-testid="save-${kind}"]`).click()]);
      assert.equal(d.suggestedFilename(), `latents_${s.nwb_name.replace(/\.nwb$/, '')}.${kind}`);
      const bytes = readFileSync(await d.path());
      if (kind === 'png') assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      else for (const label of ['Latent variables over trials', 'P(right)', 'RPE', ...fits.map((x) => x.row.agent_alias)]) assert.ok(bytes.toString().includes(label), label);
    }

    // Hover: the trial under the pointer, with each model's values.
    await page.locator(CHART).scrollIntoViewIfNeeded();
    const box = await page.locator(`${CHART} .chart-overlay`).boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
    const tip = await page.locator(`${CHART} [data-testid="chart-tip"] div`).allTextContents();
    const t = Number(tip[0].replace('Trial ', '')) - 1;
    const ref = fits.find((f) => f.exp.has_q);
    const f = fileLatents(ref.row.S3_location, ref.exp.file);
    assert.equal(tip[1], `Choice: ${f.choice[t] === 1 ? 'right' : 'left'}, ${f.reward[t] > 0 ? 'rewarded' : 'not rewarded'}`);
    const line = tip.find((l) => l.startsWith(`${ref.row.agent_alias}:`));
    assert.ok(line.includes(`P(right) ${sig4(f.pRight[t])}`) && line.includes(`RPE ${sig4(f.rpe[t])}`), line);
    await screenshot(page, 'session-latents');

    // Each result file was asked for at most once.
    const reads = (await s3Reads(stack.api)).map((r) => r.path);
    assert.equal(new Set(reads).size, reads.length, reads.join('\n'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('zoom and pan over trials by wheel, drag, keys and buttons; the window is in the URL', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.good;
    await openSession(page, stack.site, s);
    const n = fitsOf(s)[0].exp.n_trials;
    const label = () => page.locator(`${CHART} [data-testid="span-label"]`).textContent();
    const window = async () => {
      const m = (await label()).match(/Trials (\d+)–(\d+) of (\d+)/);
      return m ? [Number(m[1]), Number(m[2])] : [1, n];
    };
    await page.locator(CHART).scrollIntoViewIfNeeded();
    const box = await page.locator(`${CHART} .chart-overlay`).boundingBox();
    /** Waits for the window to change (the URL, then the chart, follow asynchronously). */
    const after = async (action) => {
      const before = await label();
      await action();
      await page.waitForFunction(([sel, was]) => document.querySelector(`${sel} [data-testid="span-label"]`).textContent !== was, [CHART, before]);
    };

    // The wheel zooms in around the pointer and keeps the page where it was.
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -120);
    await page.waitForFunction((sel) => /Trials/.test(document.querySelector(`${sel} [data-testid="span-label"]`).textContent), CHART);
    let [a, b] = await window();
    assert.ok(b - a + 1 < n * 0.6 && a > 1 && b < n, `${a}-${b}`);
    assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the wheel zoomed instead of scrolling');
    await page.waitForFunction((want) => new URL(location.href).searchParams.get('trials') === want, `${a}-${b}`);

    // The CSV holds the trials shown.
    const rows = (await csv(page)).slice(1);
    assert.equal(rows.length, b - a + 1);
    assert.equal(Number(rows[0][0]), a);

    // A drag to the left shows later trials, as wide as before.
    await after(async () => {
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5, { steps: 6 });
      await page.mouse.up();
    });
    const [a2, b2] = await window();
    assert.ok(a2 > a && b2 - a2 === b - a, `${a}-${b} -> ${a2}-${b2}`);

    // Keys on the focused chart: + zooms in, Page Down moves on, 0 shows every trial; the
    // session arrows do not walk away from the page meanwhile.
    await page.locator(`${CHART} .chart-area`).focus();
    await after(() => page.keyboard.press('+'));
    const [a3, b3] = await window();
    assert.ok(b3 - a3 < b2 - a2, 'zoomed in');
    await after(() => page.keyboard.press('PageDown'));
    const [a4] = await window();
    assert.ok(a4 > a3, 'moved to later trials');
    const path = new URL(page.url()).pathname;
    const tipTrial = async () => Number((await page.locator(`${CHART} [data-testid="chart-tip"] .tip-head`).textContent()).replace('Trial ', ''));
    await page.keyboard.press('ArrowRight');
    await page.locator(`${CHART} [data-testid="chart-tip"]`).waitFor();
    const first = await tipTrial();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(([sel, t]) => document.querySelector(`${sel} [data-testid="chart-tip"] .tip-head`)?.textContent === `Trial ${t}`, [CHART, first + 1]);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(([sel, t]) => document.querySelector(`${sel} [data-testid="chart-tip"] .tip-head`)?.textContent === `Trial ${t}`, [CHART, first]);
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).pathname, path, 'arrow keys on the chart step through trials, not sessions');
    // Ctrl with + is the browser's page zoom: the chart leaves it alone.
    const before = await label();
    await page.keyboard.press('Control+Equal');
    await page.waitForTimeout(200);
    assert.equal(await label(), before);
    await after(() => page.keyboard.press('0'));
    assert.equal(await label(), `All ${n} trials`);
    // The URL follows once the zooming pauses.
    await page.waitForFunction(() => new URL(location.href).searchParams.get('trials') === null);

    // Buttons, then a permalink restores the window.
    await after(() => page.locator(`${CHART} [data-testid="zoom-in"]`).click());
    await after(() => page.locator(`${CHART} [data-testid="zoom-in"]`).click());
    const shown = await label();
    assert.match(shown, /^Trials \d+–\d+ of \d+$/);
    const [a5, b5] = await window();
    await page.waitForFunction((want) => new URL(location.href).searchParams.get('trials') === want, `${a5}-${b5}`);
    const permalink = page.url();
    const other = await newPage(stack.browser);
    await other.page.goto(permalink);
    await other.page.waitForSelector(`${CHART} [data-testid="span-label"]`, { timeout: 30000 });
    await other.page.waitForFunction(([sel, want]) => document.querySelector(`${sel} [data-testid="span-label"]`)?.textContent === want, [CHART, shown]);
    await other.context.close();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the legend hides a model in the chart and its CSV; a revisit reads no file again', async () => {
    await stack.api.reset();
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.good;
    await openSession(page, stack.site, s);
    const model = fitsOf(s)[0].row.agent_alias;
    const draws = await page.evaluate(() => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === 'chart-latents').length);
    await page.locator(`[data-testid="latents-legend"] .legend-item[data-model="${model}"]`).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('lhide') === m, model);
    await page.waitForFunction((d) => performance.getEntriesByName('aind:chart-draw').filter((e) => e.detail === 'chart-latents').length > d, draws);
    const head = (await csv(page))[0];
    assert.ok(!head.some((h) => h.startsWith(`${model} `)), head.join());
    const before = (await s3Reads(stack.api)).length;
    assert.ok(before >= fitsOf(s).length);
    // To the previous session and back: the files of this one are not asked for again.
    await page.locator('[data-testid="prev"]').click();
    await page.waitForSelector('[data-testid="latents"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="latents-progress"]'), null, { timeout: 30000 });
    const afterNext = (await s3Reads(stack.api)).length;
    await page.goBack();
    await page.waitForSelector(`${CHART} canvas.chart-canvas`);
    await page.waitForFunction(() => !document.querySelector('[data-testid="latents-progress"]'));
    assert.equal((await s3Reads(stack.api)).length, afterNext, 'no file fetched twice in one visit');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('while files arrive a progress bar counts the fits read', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.good;
    await page.goto(sessionUrl(stack.site, s));
    await page.waitForSelector('[data-testid="session-metrics"]', { timeout: 30000 });
    // Slow answers from here on: the subject's fits are already loaded.
    await stack.api.control({ latency_ms: 3000 });
    await page.locator('[data-testid="prev"]').click();
    const bar = page.locator('[data-testid="latents-progress"]');
    await bar.waitFor({ timeout: 20000 });
    assert.equal(await bar.getAttribute('max'), String(await page.locator('[data-testid="session-metrics"] tbody tr').count()));
    await bar.waitFor({ state: 'detached', timeout: 30000 });
    await stack.api.reset();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('missing, cut-off and odd result files are explained per fit; the rest still draws', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.hostile;
    await openSession(page, stack.site, s);
    const fits = fitsOf(s);
    const status = async (model) => page.locator(`[data-testid="latents-sources"] tr[data-model="${model}"] [data-testid="latents-status"]`).textContent();
    assert.ok(await page.locator('[data-testid="latents-sources"]').evaluate((d) => d.open), 'the list opens when something went wrong');
    const seen = new Set();
    for (const { row, exp } of fits) {
      const text = await status(row.agent_alias);
      seen.add(exp.problem);
      if (exp.problem === 'missing') assert.equal(text, 'no result file in its S3 folder');
      else if (exp.problem === 'truncated') assert.match(text, new RegExp(`^${exp.file}: it is not valid JSON`));
      else if (exp.problem === 'shape') assert.match(text, new RegExp(`^${exp.file}: .*(not|no) `));
      else assert.equal(text, `${exp.n_trials} trials from ${exp.file}${exp.has_q ? '' : ' (no q-values, so no RPE)'}`);
    }
    assert.deepEqual([...seen].sort(), [null, 'missing', 'shape', 'truncated'].sort());
    // The readable fit is drawn; the figures and the metrics are untouched.
    const readable = fits.filter((f) => f.exp.problem === null).map((f) => f.row.agent_alias);
    assert.deepEqual(await page.locator('[data-testid="latents-legend"] .legend-item').allTextContents(), readable);
    assert.equal(await page.locator('[data-testid="session-metrics"] tbody tr').count(), fits.length);
    await screenshot(page, 'session-latents-problems');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a bucket without CORS: said plainly, files linked, Python shown, everything else works', async () => {
    await stack.api.reset();
    await stack.api.control({ s3_cors: false });
    const { page, context, errors } = await newPage(stack.browser);
    const s = SESSIONS.good;
    await openSession(page, stack.site, s);
    const banner = page.locator('[data-testid="latents-cors"]');
    await banner.waitFor();
    assert.match(await banner.textContent(), /does not allow reads from other websites \(it sends no CORS headers\)/);
    const fits = fitsOf(s);
    const hrefs = await banner.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const { row } of fits) {
      for (const name of RESULT_FILES) {
        assert.ok(hrefs.some((h) => h.endsWith(`${row.S3_location.replace('s3://', '')}/${name}`)), `${row.agent_alias} ${name}`);
      }
    }
    const snippet = await page.locator('[data-testid="latents-snippet"]').textContent();
    assert.ok(snippet.includes(`subject_id="${s.subject_id}", session_date="${s.session_date}", if_include_latent_variables=True`), snippet);
    assert.ok(snippet.includes(`== "${s.nwb_name}"`));
    assert.equal(await page.locator(CHART).count(), 0, 'no empty chart');
    // Figures (no CORS needed for <img>) and metrics still work.
    assert.equal(await page.locator('[data-testid="session-metrics"] tbody tr').count(), fits.length);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="session-figures"] img')].some((i) => i.complete && i.naturalWidth > 0));
    // Each file asked for at most once (the check that the server is there asks for its root).
    const reads = (await s3Reads(stack.api)).map((r) => r.path);
    assert.equal(new Set(reads).size, reads.length);
    await screenshot(page, 'session-latents-no-cors');
    // The bucket (or a mirror in front of it) changes its mind: "Try again" reads and draws.
    await stack.api.control({ s3_cors: true });
    await page.locator('[data-testid="latents-retry"]').click();
    await page.locator(`${CHART} canvas.chart-canvas`).waitFor({ timeout: 30000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="latents-cors"]'));
    assert.equal(await page.locator('[data-testid="latents-legend"] .legend-item').count(), fits.length);
    await stack.api.reset();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
