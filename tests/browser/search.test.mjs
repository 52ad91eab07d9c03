// The search page, permalinks and exports, end to end: release build + sample API + Chromium.
// Expected values come from tests/fixtures/expected.json (the generator's record), never from app code.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  EXPECTED, useStack, newPage, screenshot, readTable, waitForTable,
} from './helpers.mjs';

const S = EXPECTED.subjects;
const allRows = (ids) => ids.flatMap((id) => S[id].rows);
const ids = (rows) => rows.map((r) => r._id).sort();

/** RFC 4180: fields separated by commas, quoted when they hold a comma, quote or newline. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function waitForResults(page) {
  await page.waitForSelector('.results-view[data-state="complete"], [data-testid="empty"], [data-testid="error"], [data-testid="no-filter"], [data-testid="search-idle"]', { timeout: 30000 });
}

/** Every row of the table across all pages (clicks through the pager). */
async function readAllPages(page) {
  const out = [...await readTable(page)];
  while (await page.locator('[data-testid="pager"] button:has-text("Next")').isEnabled().catch(() => false)) {
    const first = out.at(-1)._id;
    await page.click('[data-testid="pager"] button:has-text("Next")');
    await page.waitForFunction((id) => !document.querySelector(`table.results tbody tr[data-id="${id}"]`), first);
    out.push(...await readTable(page));
  }
  return out;
}

describe('search', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('several subjects and a date range: the merged, deduplicated fits, in the URL', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}search`);
    await page.waitForSelector('[data-testid="search-idle"]');
    await page.fill('#search-subjects', '730945, 752014 ');
    await page.fill('#search-from', '2024-10-05');
    await page.fill('#search-to', '2024-12-05');
    await page.click('[data-testid="search-submit"]');
    await waitForTable(page);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('subject'), '730945,752014');
    assert.equal(url.searchParams.get('from'), '2024-10-05');
    assert.equal(url.searchParams.get('to'), '2024-12-05');
    const want = allRows(['730945', '752014']).filter((r) => r.session_date >= '2024-10-05' && r.session_date <= '2024-12-05');
    assert.ok(want.length > 10);
    const rows = await readTable(page);
    assert.deepEqual(ids(rows), ids(want));
    assert.equal(await page.textContent('[data-testid="count-fits"]'), String(want.length));
    assert.equal(await page.textContent('[data-testid="count-subjects"]'), '2');
    // The subject column is shown by default on the search page.
    assert.ok(rows.every((r) => r.subject_id === '730945' || r.subject_id === '752014'));
    await screenshot(page, 'search-results');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('models are picked from the values present, pipeline narrows the queries', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}search?subject=781162`);
    await waitForTable(page);
    const present = [...new Set(S['781162'].rows.map((r) => r.agent_alias))].sort();
    const offered = await page.$$eval('[data-testid="model-options"] input', (xs) => xs.map((x) => x.value));
    assert.deepEqual(offered.sort(), present);
    const pick = present.slice(0, 2);
    for (const m of pick) await page.check(`[data-testid="model-options"] input[value="${m}"]`);
    await page.click('[data-testid="search-submit"]');
    await page.waitForURL(/model=/);
    await page.waitForFunction((n) => document.querySelectorAll('table.results tbody tr').length === n,
      S['781162'].rows.filter((r) => pick.includes(r.agent_alias)).length);
    const rows = await readTable(page);
    assert.deepEqual(ids(rows), ids(S['781162'].rows.filter((r) => pick.includes(r.agent_alias))));

    await api.reset();
    await page.goto(`${site.url}search?subject=778869&pipeline=framework`);
    await waitForTable(page);
    assert.deepEqual(ids(await readTable(page)), ids(S['778869'].rows));
    const filters = (await api.requests()).filter((r) => r.path.endsWith('/find')).map((r) => r.query.filter);
    assert.ok(filters.length > 0 && filters.every((f) => f.includes('processing.data_processes')), 'only the framework format is queried');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('no filter is refused; "load everything" counts first and shows every fit with a pager', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}search?pipeline=han`);
    await page.waitForSelector('[data-testid="no-filter"]');
    assert.match(await page.textContent('[data-testid="no-filter"]'), /no filter/i);
    await screenshot(page, 'search-no-filter');
    await api.reset();
    await api.control({ latency_ms: 250, page_cap: 20 });
    await page.goto(`${site.url}search`);
    await page.check('[data-testid="search-all"]');
    await page.click('[data-testid="search-submit"]');
    await page.waitForSelector('[data-testid="load-progress"]');
    const everything = Object.values(S).flatMap((s) => s.rows);
    const expectedRecords = Object.values(S).reduce((n, s) => n + s.records, 0);
    // The expected total shows while the first pages arrive, and beside the first rows after.
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="loading"], [data-testid="loading-more"]')]
      .some((e) => e.textContent.includes(`of ${n} expected`)), expectedRecords);
    await screenshot(page, 'search-load-everything');
    await waitForTable(page, 60000);
    await api.control({ latency_ms: 0, page_cap: 0 });
    const counts = (await api.requests()).filter((r) => r.path.endsWith('/count_documents'));
    assert.equal(counts.length, 2, 'one count per format');
    assert.equal(await page.textContent('[data-testid="count-fits"]'), String(everything.length));
    assert.ok(everything.length > 100, 'enough rows for two pages');
    assert.match(await page.textContent('[data-testid="row-count"]'), new RegExp(`Rows 1–100 of ${everything.length}`));
    const rows = await readAllPages(page);
    assert.deepEqual(ids(rows), ids(everything));
    assert.match(page.url(), /page=2/);
    await page.goBack();
    await page.waitForFunction(() => /Rows 1–100/.test(document.querySelector('[data-testid="row-count"]').textContent));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a new search cancels the running load; the failed-fit switch does not reload', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await api.control({ latency_ms: 400, page_cap: 5 });
    await page.goto(`${site.url}search?all=1`);
    await page.waitForSelector('[data-testid="load-progress"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="loading"], [data-testid="loading-more"]')]
      .some((e) => /[1-9][0-9]* records received/.test(e.textContent)));
    await page.uncheck('[data-testid="search-all"]');
    await page.fill('#search-subjects', '752014');
    await page.click('[data-testid="search-submit"]');
    await waitForTable(page, 30000);
    assert.deepEqual(ids(await readTable(page)), ids(S['752014'].rows));
    const unfiltered = async () => (await api.requests())
      .filter((r) => r.path.endsWith('/find') && !r.query.filter.includes('752014')).length;
    const atSwitch = await unfiltered();
    await page.waitForTimeout(2500);
    const later = await unfiltered();
    // Requests already on the wire may still be logged; no new page of the old load is asked for.
    assert.ok(later - atSwitch <= 2, `the old load went on: ${atSwitch} -> ${later}`);
    const everyPage = Math.ceil(Object.values(S).reduce((n, x) => n + x.records, 0) / 5);
    assert.ok(later < everyPage, `the old load was cut short (${later} of ${everyPage} pages)`);
    await api.control({ latency_ms: 0, page_cap: 0 });

    const finds = (await api.requests()).filter((r) => r.path.endsWith('/find')).length;
    await page.click('[data-testid="toggle-failed"]');
    await page.waitForSelector('tr.failed');
    assert.equal(await page.isChecked('[data-testid="search-failed"]'), true, 'the form follows the switch');
    assert.equal((await api.requests()).filter((r) => r.path.endsWith('/find')).length, finds, 'no reload');
    assert.equal((await readTable(page)).length, S['752014'].rows.length + S['752014'].failed.length);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('custom filter: errors point at the position, the filter is merged and shown from a link', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}search`);
    await page.click('.advanced summary');
    await page.fill('[data-testid="search-custom"]', '{\n  "subject_id": "752014",\n  oops\n}');
    await page.waitForSelector('[data-testid="custom-error"]');
    assert.match(await page.textContent('[data-testid="custom-error"]'), /line 3, column 3/);
    await page.click('[data-testid="search-submit"]');
    assert.match(await page.textContent('[data-testid="form-error"]'), /line 3/);
    await page.fill('[data-testid="search-custom"]', '{"$where": "sleep(1000)"}');
    await page.waitForSelector('[data-testid="custom-error"]');
    assert.match(await page.textContent('[data-testid="custom-error"]'), /\$where/);
    await page.fill('[data-testid="search-custom"]', '{"subject_id": "752014"}');
    await page.click('[data-testid="search-submit"]');
    await page.waitForURL(/custom=/);
    await waitForTable(page);
    // Han's flat key matches Han records only, exactly as from_custom_query does.
    assert.deepEqual(ids(await readTable(page)), ids(S['752014'].rows));
    const link = page.url();
    await context.close();

    const fresh = await newPage(browser);
    await fresh.page.goto(link);
    await fresh.page.waitForSelector('[data-testid="custom-shown"]');
    assert.match(await fresh.page.textContent('[data-testid="custom-shown"] pre'), /"subject_id": "752014"/);
    await waitForResults(fresh.page);
    await screenshot(fresh.page, 'search-custom-from-link');
    assert.deepEqual([...errors, ...fresh.errors], []);
    await fresh.context.close();
  });

  test('URL values are data: operators in a subject stay strings, broken parameters are reported', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await page.goto(`${site.url}search?subject=${encodeURIComponent('{"$ne":null}')}&from=2025-13-01&cols=bogus,AIC&page=abc&sort=nope&custom=${encodeURIComponent('{broken')}`);
    await waitForResults(page);
    const problems = await page.textContent('[data-testid="query-problems"]');
    assert.match(problems, /from/);
    assert.match(problems, /custom/);
    // The subject is searched as the literal text: nothing matches, nothing leaks.
    await page.waitForSelector('[data-testid="empty"]');
    const filters = (await api.requests()).filter((r) => r.path.endsWith('/find')).map((r) => JSON.parse(r.query.filter));
    assert.ok(filters.length >= 2);
    for (const f of filters) {
      const subject = f.subject_id ?? f['processing.data_processes.output_parameters.subject_id'];
      assert.equal(subject, '{"$ne":null}');
    }
    await screenshot(page, 'search-bad-params');

    await page.goto(`${site.url}subject/730945?cols=bogus,AIC&page=abc&sort=nope&sel=missing`);
    await waitForTable(page);
    const viewProblems = await page.textContent('[data-testid="param-problems"]');
    for (const word of ['cols', 'page', 'sort', 'sel']) assert.match(viewProblems, new RegExp(word));
    assert.deepEqual(await page.$$eval('table.results thead th[data-col]', (ths) => ths.map((t) => t.dataset.col)), ['AIC']);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('permalinks and table tools', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('a copied link restores the identical view in a fresh browser; back and forward walk it', async () => {
    const { context, page, errors } = await newPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    await page.goto(`${site.url}subject/730945`);
    await waitForTable(page);
    // Columns: hide BIC, move AIC to the front.
    await page.click('[data-testid="columns-menu"] summary');
    await page.click('[data-testid="columns-menu"] li[data-col="BIC"] input');
    await page.waitForURL(/cols=/);
    assert.equal(await page.isChecked('[data-testid="columns-menu"] li[data-col="BIC"] input'), false);
    const aicIndex = () => page.$$eval('table.results thead th[data-col]', (ths) => ths.findIndex((t) => t.dataset.col === 'AIC'));
    for (let i = await aicIndex(); i > 0; i -= 1) {
      await page.click('[data-testid="columns-menu"] li[data-col="AIC"] button[title="Move left"]');
      await page.waitForFunction((want) => [...document.querySelectorAll('table.results thead th[data-col]')]
        .findIndex((t) => t.dataset.col === 'AIC') === want, i - 1);
    }
    assert.ok(await page.isDisabled('[data-testid="columns-menu"] li[data-col="AIC"] button[title="Move left"]'));
    await page.click('[data-testid="columns-menu"] summary');
    const headers = await page.$$eval('table.results thead th[data-col]', (ths) => ths.map((t) => t.dataset.col));
    assert.equal(headers[0], 'AIC');
    assert.ok(!headers.includes('BIC'));
    await page.click('th[data-col="LPT_AIC"] button');
    await page.waitForURL(/sort=LPT_AIC/);
    await page.click('[data-testid="toggle-failed"]');
    await page.waitForURL(/failed=1/);
    await page.fill('[data-testid="row-filter"]', 'softmax');
    await page.waitForURL(/q=softmax/);
    const target = S['730945'].rows.find((r) => r.has_figure && r.agent_alias.includes('softmax'));
    await page.click(`tr[data-id="${target._id}"] td[data-col="AIC"]`);
    await page.waitForSelector('[data-testid="details"]');
    await page.click('[data-testid="copy-link"]');
    await page.waitForSelector('[data-testid="share-status"]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
    await page.click(`tr[data-id="${target._id}"] .thumb`);
    await page.waitForSelector('.viewer img');
    const copied = page.url();
    assert.match(copied, /fig=/);
    const view = async (p) => ({
      headers: await p.$$eval('table.results thead th[data-col]', (ths) => ths.map((t) => t.dataset.col)),
      rows: (await readTable(p)).map((r) => r._id),
      selected: await p.getAttribute('tr.selected', 'data-id'),
      details: await p.textContent('[data-testid="details"] h2'),
      figure: await p.getAttribute('.viewer img', 'src'),
      filter: await p.inputValue('[data-testid="row-filter"]'),
      failedShown: await p.isChecked('[data-testid="toggle-failed"]'),
      sort: await p.getAttribute('th[data-col="LPT_AIC"]', 'aria-sort'),
    });
    const original = await view(page);
    await screenshot(page, 'permalink-original');

    const fresh = await newPage(browser);
    await fresh.page.goto(copied);
    await fresh.page.waitForSelector('.viewer img');
    assert.deepEqual(await view(fresh.page), original);
    assert.equal(original.selected, target._id);
    assert.ok(original.rows.every((id) => S['730945'].rows.concat(S['730945'].failed).find((r) => r._id === id).agent_alias.includes('softmax')));
    await fresh.context.close();

    // Back walks the changes: figure closed, then the selection, then the filter...
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector('.viewer'));
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector('[data-testid="details"]'));
    await page.goForward();
    await page.waitForSelector('[data-testid="details"]');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('CSV and JSON downloads carry the reference column names and the visible rows', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}subject/781162?q=WSLS`);
    await waitForTable(page);
    const want = S['781162'].rows.filter((r) => r.agent_alias === 'WSLS');
    assert.equal((await readTable(page)).length, want.length);
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-csv"]')]);
    assert.match(csvDl.suggestedFilename(), /\.csv$/);
    const [header, ...csvRows] = parseCsv(readFileSync(await csvDl.path(), 'utf8'));
    for (const col of ['_id', 'nwb_name', 'analysis_time', 'subject_id', 'session_date', 'status', 'agent_alias',
      'n_trials', 'S3_location', 'CO_asset_id', 'analysis_tag', 'pipeline_source', 'log_likelihood', 'AIC', 'BIC',
      'LPT_AIC', 'params', 'prediction_accuracy_test', 'prediction_accuracy_10-CV_test']) {
      assert.ok(header.includes(col), `CSV column ${col}`);
    }
    assert.equal(csvRows.length, want.length);
    const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-json"]')]);
    const records = JSON.parse(readFileSync(await jsonDl.path(), 'utf8'));
    assert.deepEqual(ids(records), ids(want));
    for (const r of records) {
      const e = want.find((x) => x._id === r._id);
      assert.equal(r.AIC, e.AIC);
      assert.equal(r.S3_location, e.S3_location);
      assert.equal(typeof r.params, 'object');
    }
    // Every CSV row says what the JSON record says; arrays and params are JSON text in their cell.
    const col = (name) => header.indexOf(name);
    for (const row of csvRows) {
      assert.equal(row.length, header.length, 'every row has every column');
      const r = records.find((x) => x._id === row[col('_id')]);
      assert.ok(r, `CSV row ${row[col('_id')]} is in the JSON download`);
      assert.equal(Number(row[col('AIC')]), r.AIC);
      assert.deepEqual(JSON.parse(row[col('params')]), r.params);
      assert.deepEqual(JSON.parse(row[col('prediction_accuracy_test')]), r.prediction_accuracy_test);
      assert.equal(row[col('analysis_tag')], r.analysis_tag ?? '');
    }
    await page.click('[data-testid="python-button"]');
    const py = await page.inputValue('[data-testid="python-snippet"]');
    assert.match(py, /get_mle_model_fitting\(/);
    assert.match(py, /subject_id="781162"/);
    await page.click('[data-testid="embed-button"]');
    const snippet = await page.inputValue('[data-testid="embed-snippet"]');
    assert.match(snippet, new RegExp(`<iframe src="${site.url}embed/subject/781162\\?q=WSLS"`));
    await screenshot(page, 'subject-share-tools');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
