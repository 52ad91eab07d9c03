// The data layer in a real browser: complete loads through a gateway that cuts every page,
// records the gateway cannot return or the parser cannot read, rows with the same _id, the
// results cache (revisits, refresh, changed records, blocked storage, stale or corrupted
// entries), and the table of any collection's documents.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EXPECTED, ROOT, useStack, startSampleApi, startSite, launchBrowser, newPage, screenshot, readTable, waitForTable, waitForSaved,
} from './helpers.mjs';

const ids = (rows) => rows.map((r) => r._id).sort();
const HAN_BASE = { analysis_spec: { analysis_name: 'MLE fitting', analysis_ver: 'first version @ 0.10.0' } };

/** A Han-format record of subject 752014 (what the sample API stores), fields overridable. */
function hanRecord(id, nwb, model, extra = {}) {
  return {
    _id: id,
    nwb_name: nwb,
    subject_id: '752014',
    session_date: '2024-12-20',
    status: 'success',
    analysis_datetime: '2025-01-05T10:00:00.000001',
    ...HAN_BASE,
    analysis_results: {
      fit_settings: { agent_alias: model }, n_trials: 400, log_likelihood: -250.5, AIC: 505.0, BIC: 520.0,
      prediction_accuracy: 0.7, k_model: 2, params: { a: 0.5 }, ...extra,
    },
  };
}

async function changeDocs(api, bodyText) {
  const r = await fetch(`${api.url}/_control/docs`, { method: 'POST', body: bodyText });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}
const insertDocs = (api, bodyText) => changeDocs(api, bodyText);
const updateDocs = (api, filter, set) => changeDocs(api, JSON.stringify({ update: { filter, set } }));

/** Every row of the table across all pages. */
async function readAllPages(page) {
  const out = [...await readTable(page)];
  while (await page.locator('[data-testid="pager"] button:has-text("Next")').isEnabled().catch(() => false)) {
    const last = out.at(-1)._id;
    await page.click('[data-testid="pager"] button:has-text("Next")');
    await page.waitForFunction((id) => !document.querySelector(`table.results tbody tr[data-id="${id}"]`), last);
    out.push(...await readTable(page));
  }
  return out;
}

const finds = async (api) => (await api.requests()).filter((r) => r.path.endsWith('/find'));

describe('complete loads', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('load everything through a gateway that cuts every page: no record lost, keyset paging, the reference rows', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await api.control({ payload_cap_bytes: 4000 });
    await page.goto(`${site.url}search?all=1&failed=1`);
    await waitForTable(page, 120000);
    const all = EXPECTED.all;
    const rows = await readAllPages(page);
    assert.deepEqual(ids(rows), ids([...all.rows, ...all.failed]));
    assert.equal(await page.textContent('[data-testid="count-fits"]'), String(all.rows.length));
    assert.equal(await page.textContent('[data-testid="count-failed"]'), String(all.failed.length));
    assert.equal(await page.locator('[data-testid="lost-records"]').count(), 0, 'nothing is reported lost');
    const requests = await finds(api);
    // Every page was cut (the cap holds a few records). Text ids are paged by _id ranges; the
    // odd subject's ObjectIds (which sort after all text) are then read by position.
    assert.ok(requests.length > 20, `${requests.length} find requests`);
    assert.ok(requests.some((r) => /"\$gt"/.test(r.query.filter)), 'keyset continuation');
    for (const fmt of ['analysis_spec', 'processing.data_processes']) {
      const own = requests.filter((r) => r.query.filter.includes(fmt) && r.query.limit !== '1');
      const firstSkip = own.findIndex((r) => r.query.skip !== '0');
      if (firstSkip >= 0) {
        assert.ok(own.slice(firstSkip).every((r) => !/"\$gt"/.test(r.query.filter)), `${fmt}: keyset first, then by position`);
      }
    }
    const counts = (await api.requests()).filter((r) => r.path.endsWith('/count_documents'));
    assert.equal(counts.length, 2, 'one count per format, alongside the load');
    await api.control({ payload_cap_bytes: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the first rows show while the rest is still arriving', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await api.control({ payload_cap_bytes: 4000, latency_ms: 120 });
    await page.goto(`${site.url}search?all=1`);
    await page.waitForSelector('.results-view[data-state="loading"] table.results tbody tr', { timeout: 30000 });
    const partial = (await readTable(page)).length;
    assert.ok(partial > 0, 'rows on screen before the end');
    assert.match(await page.textContent('[data-testid="loading-more"]'), /records received of \d+ expected/);
    await screenshot(page, 'load-partial');
    const marks = await page.evaluate(() => performance.getEntriesByName('aind:first-rows').length);
    assert.equal(marks, 1, 'the first rows are marked for the benchmark');
    await waitForTable(page, 120000);
    assert.equal(await page.textContent('[data-testid="count-fits"]'), String(EXPECTED.all.rows.length));
    const phases = await page.evaluate(() => [...new Set(performance.getEntriesByType('measure').map((m) => m.name))].sort());
    for (const p of ['aind:network', 'aind:normalize', 'aind:parse']) assert.ok(phases.includes(p), `${p} in ${phases}`);
    await api.control({ payload_cap_bytes: 0, latency_ms: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('a larger collection: ranges read at once, cut pages continued by _id', () => {
  let api; let site; let browser; let dir; let expected;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aind-ranges-'));
    execFileSync(path.join(ROOT, '.venv/bin/python'),
      ['tests/sample_api/generate_large.py', '--out', dir, '--docs', '12000', '--subjects', '12'], { cwd: ROOT });
    expected = JSON.parse(readFileSync(path.join(dir, 'expected-large.json'), 'utf8'));
    api = await startSampleApi(['--fixtures', dir, '--payload-cap-bytes', '1500000']);
    site = await startSite({ api_base: api.url });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close(); site?.stop(); api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every fit arrives: first pages with the counts, then ranges by position, cut ones going on after the last _id', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}search?all=1`);
    await waitForTable(page, 120000);
    assert.equal(await page.textContent('[data-testid="count-fits"]'), String(expected.rows));
    assert.equal(await page.textContent('[data-testid="count-failed"]'), String(expected.failed));
    assert.equal(await page.locator('[data-testid="lost-records"]').count(), 0);
    const requests = await finds(api);
    const data = requests.filter((r) => r.query.limit !== '1');
    const rangeStarts = data.filter((r) => r.query.skip !== '0');
    const continued = data.filter((r) => /"\$gt"/.test(r.query.filter));
    assert.ok(rangeStarts.length >= 4, `ranges start by position (${rangeStarts.length})`);
    assert.ok(continued.length >= 2, `cut ranges go on by _id (${continued.length})`);
    assert.ok(data.every((r) => !(r.query.skip !== '0' && /"\$gt"/.test(r.query.filter))), 'never both');
    assert.ok(requests.length < 40, `${requests.length} requests`);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('records that do not come back whole', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('an oversized record, a lone surrogate, a huge number and deep nesting: every other record shows, the losses are said', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    // Ids sort first: the oversized record is the very first of its format's pages.
    const big = hanRecord('0000-oversized', '752014_big.nwb', 'WSLS', { params: { trace: Array.from({ length: 3000 }, (_, i) => i / 7) } });
    const surrogate = hanRecord('0001-surrogate', '752014_\ud800.nwb', 'WSLS');
    const huge = hanRecord('0002-huge', '752014_huge.nwb', 'WSLS', { AIC: 1.5 });
    let deep = { leaf: 1 };
    for (let i = 0; i < 200; i += 1) deep = { d: deep };
    const nested = hanRecord('0003-deep', '752014_deep.nwb', 'WSLS', { params: deep });
    const body = JSON.stringify({ insert: [big, surrogate, huge, nested] }).replace('"AIC":1.5', `"AIC":1${'0'.repeat(400)}`);
    await insertDocs(api, body);
    await api.control({ payload_cap_bytes: 20000 });
    await page.goto(`${site.url}subject/752014`);
    await waitForTable(page);
    const rows = await readTable(page);
    const got = new Set(rows.map((r) => r._id));
    for (const r of EXPECTED.subjects['752014'].rows) assert.ok(got.has(r._id), `${r._id} is shown`);
    assert.ok(got.has('0001-surrogate') && got.has('0002-huge'), 'repaired records are kept');
    assert.ok(!got.has('0000-oversized') && !got.has('0003-deep'));
    const lost = await page.textContent('[data-testid="lost-records"]');
    assert.match(lost, /1 record could not be loaded/);
    assert.match(lost, /0000-oversized/);
    assert.match(lost, /larger than the API's response size limit/);
    const notes = await page.textContent('[data-testid="data-notes"]');
    assert.match(notes, /1 record skipped/);
    await page.click('[data-testid="data-notes-summary"]');
    assert.match(await page.textContent('[data-testid="data-notes"]'), /0003-deep.*nested deeper than 128 levels/);
    // The repaired values carry their warnings on the row.
    await page.click('tr[data-id="0001-surrogate"] td[data-col="agent_alias"]');
    await page.waitForSelector('[data-testid="details"]');
    const details = await page.textContent('[data-testid="details"]');
    assert.match(details, /752014_\uFFFD\.nwb/);
    assert.match(details, /lone UTF-16 surrogate/);
    await page.click('tr[data-id="0002-huge"] td[data-col="agent_alias"]');
    await page.waitForFunction(() => /0002-huge/.test(document.querySelector('[data-testid="details"]').textContent));
    assert.match(await page.textContent('[data-testid="details"]'), /too large for a 64-bit float/);
    assert.equal(await page.textContent('tr[data-id="0002-huge"] td[data-col="AIC"]'), '—');
    await screenshot(page, 'load-losses');
    await api.control({ payload_cap_bytes: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('two records with the same _id are two rows, each opening its own details', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    const hex = '65f0a1b2c3d4e5f601234567';
    const asText = hanRecord(hex, '752014_text-id.nwb', 'WSLS');
    const asOid = { ...hanRecord(hex, '752014_oid.nwb', 'QLearning_L2F1_softmax'), _id: { $oid: hex } };
    await insertDocs(api, JSON.stringify({ insert: [asText, asOid] }));
    await page.goto(`${site.url}subject/752014`);
    await waitForTable(page);
    const keys = (await readTable(page)).map((r) => r._id).filter((k) => k.startsWith(hex)).sort();
    assert.deepEqual(keys, [hex, `${hex}~oid`]);
    const nwbOf = async (key) => {
      await page.click(`tr[data-id="${key}"] td[data-col="agent_alias"]`);
      await page.waitForFunction((k) => document.querySelector('tr.selected')?.dataset.id === k, key);
      return page.textContent('[data-testid="details"] h2');
    };
    const first = await nwbOf(hex);
    const second = await nwbOf(`${hex}~oid`);
    assert.notEqual(first, second);
    assert.deepEqual([first, second].map((t) => t.split(' · ')[1]).sort(), ['752014_oid.nwb', '752014_text-id.nwb']);
    // The key is the permalink: a fresh page opens the same row.
    const link = page.url();
    const fresh = await newPage(browser);
    await fresh.page.goto(link);
    await waitForTable(fresh.page);
    assert.equal(await fresh.page.textContent('[data-testid="details"] h2'), second);
    assert.deepEqual([...errors, ...fresh.errors], []);
    await fresh.context.close();
    await context.close();
  });
});

describe('results cache', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('a revisit shows the cached rows at once with their age, and refreshes them in the background', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await page.goto(`${site.url}subject/730945?sort=AIC`);
    await waitForTable(page);
    await waitForSaved(page);
    const first = await readTable(page);
    await api.reset();
    await api.control({ latency_ms: 2000 });
    await page.reload();
    await page.waitForSelector('[data-testid="cache-age"]', { timeout: 5000 });
    // Rows on screen while the refresh is still waiting for the API: no find has been answered.
    assert.deepEqual((await readTable(page)).map((r) => r._id), first.map((r) => r._id));
    assert.equal((await finds(api)).length, 0, 'the rows came from the cache');
    assert.match(await page.textContent('[data-testid="cache-age"]'), /Cached results, loaded just now/);
    assert.equal(await page.getAttribute('.results-view', 'data-state'), 'refreshing');
    await screenshot(page, 'cache-revisit');
    await page.waitForSelector('[data-testid="refresh-result"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid="refresh-result"]'), /no changes/);
    assert.ok((await finds(api)).length >= 2, 'the refresh asked the API');
    assert.match(page.url(), /sort=AIC/, 'the view state stays');
    await api.control({ latency_ms: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a record changed, added or removed between two visits shows changed after the refresh', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    const subject = EXPECTED.subjects['781162'];
    const han = subject.rows.filter((r) => r.pipeline_source === "han's analysis pipeline");
    const [changed, removed] = han;
    await page.goto(`${site.url}subject/781162?sel=${changed._id}`);
    await waitForTable(page);
    await waitForSaved(page);
    assert.equal(await page.textContent(`tr[data-id="${changed._id}"] td[data-col="AIC"]`), changed.AIC.toFixed(2));
    assert.equal((await updateDocs(api, { _id: changed._id }, { 'analysis_results.AIC': 123.456 })).matched, 1);
    await changeDocs(api, JSON.stringify({ delete: { _id: removed._id } }));
    await insertDocs(api, JSON.stringify({ insert: [{ ...hanRecord('ffff-new', '781162_new.nwb', 'WSLS'), subject_id: '781162' }] }));
    await api.control({ latency_ms: 800 });
    const again = await context.newPage();
    await again.goto(`${site.url}subject/781162?sel=${changed._id}`);
    await again.waitForSelector('[data-testid="cache-age"]');
    assert.equal(await again.textContent(`tr[data-id="${changed._id}"] td[data-col="AIC"]`), changed.AIC.toFixed(2), 'cached first');
    await again.waitForSelector('[data-testid="refresh-result"]', { timeout: 30000 });
    assert.equal(await again.textContent(`tr[data-id="${changed._id}"] td[data-col="AIC"]`), '123.46');
    assert.match(await again.textContent('[data-testid="refresh-result"]'), /1 row changed, 1 new, 1 removed/);
    assert.equal(await again.locator(`tr[data-id="${removed._id}"]`).count(), 0);
    assert.equal(await again.locator('tr[data-id="ffff-new"]').count(), 1);
    // The selection survived the refresh, with the new value in the details.
    assert.match(await again.textContent('[data-testid="details"]'), /123\.46/);
    await screenshot(again, 'cache-refreshed');
    // "Refresh" asks again, keeping the rows until the new ones are in.
    await api.control({ latency_ms: 0 });
    const before = (await finds(api)).length;
    await again.click('[data-testid="refresh"]');
    await again.waitForSelector('[data-testid="refresh-result"]');
    await again.waitForFunction(() => /no changes/.test(document.querySelector('[data-testid="refresh-result"]')?.textContent));
    assert.ok((await finds(api)).length >= before + 2, 'Refresh asked the API again');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('entries of another app version or corrupted entries are discarded, never shown', async () => {
    const { context, page, errors } = await newPage(browser);
    await api.reset();
    await page.goto(`${site.url}subject/752014`);
    await waitForTable(page);
    await waitForSaved(page);
    const want = ids(await readTable(page));
    const tamper = (how) => page.evaluate((mode) => new Promise((resolve, reject) => {
      const open = indexedDB.open('aind-results-browser');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['meta', 'data'], 'readwrite');
        const meta = tx.objectStore('meta');
        const data = tx.objectStore('data');
        meta.getAllKeys().onsuccess = (e) => {
          for (const key of e.target.result) {
            // This app's header (magic and version) over a payload that does not decode.
            if (mode === 'corrupt') {
              data.get(key).onsuccess = (g) => {
                const bytes = new Uint8Array(g.target.result);
                data.put(new Uint8Array([...bytes.slice(0, 8), 9, 9, 9, 255, 255]), key);
              };
            }
            else meta.get(key).onsuccess = (g) => { const m = g.target.result; m.format = (m.format + 1) >>> 0; meta.put(m, key); };
          }
        };
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), how);
    for (const how of ['corrupt', 'old-version']) {
      await tamper(how);
      await api.reset();
      await page.reload();
      await waitForTable(page);
      await waitForSaved(page);
      assert.equal(await page.locator('[data-testid="cache-age"]').count(), 0, `${how}: not shown from the cache`);
      assert.deepEqual(ids(await readTable(page)), want, `${how}: loaded again from the API`);
      assert.ok((await finds(api)).length >= 2);
    }
    // After a clean load the cache serves again; "Clear cache" empties it.
    await page.reload();
    await page.waitForSelector('[data-testid="cache-age"]');
    await waitForTable(page);
    await waitForSaved(page);
    await page.waitForFunction(() => /^1 cached result \(.+\) in this browser\.$/.test(document.querySelector('[data-testid="cache-usage"]').textContent));
    await page.click('[data-testid="clear-cache"]');
    await page.waitForFunction(() => /No cached results/.test(document.querySelector('[data-testid="cache-usage"]').textContent));
    await page.reload();
    await waitForTable(page);
    assert.equal(await page.locator('[data-testid="cache-age"]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [name, script] of [
    ['throws', "Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('blocked', 'SecurityError'); } });"],
    ['is missing', "Object.defineProperty(window, 'indexedDB', { value: undefined });"],
  ]) {
    test(`with storage blocked (indexedDB ${name}) the app works, only uncached`, async () => {
      const { context, page, errors } = await newPage(browser);
      await context.addInitScript(script);
      await page.goto(`${site.url}subject/730945`);
      await waitForTable(page);
      assert.deepEqual(ids(await readTable(page)), ids(EXPECTED.subjects['730945'].rows));
      assert.match(await page.textContent('[data-testid="cache-unavailable"]'), /not cached across visits/);
      // Within the page the memory cache still serves a revisit: the footer says when the
      // result is kept (it is written once the rows are on screen), then Back finds it.
      await page.waitForFunction(() => /^1 cached result \(.+\) in this tab\.$/.test(document.querySelector('[data-testid="cache-usage"]')?.textContent));
      await page.click('a:has-text("Search")');
      await page.goBack();
      await page.waitForSelector('[data-testid="cache-age"]');
      await waitForTable(page);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('documents of any collection', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('a collection no one described: discovered columns, sort, filter, columns and details, all in the URL', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}collection/dynamic-foraging-nm`);
    await waitForTable(page);
    const headers = await page.$$eval('table.results thead th[data-col]', (ths) => ths.map((t) => t.dataset.col));
    assert.equal(headers[0], '_id');
    assert.ok(headers.length >= 3, headers.join(','));
    const total = (await readTable(page)).length;
    assert.match(await page.textContent('[data-testid="document-counts"]'), new RegExp(`${total} documents`));
    // Sort by a discovered column, both ways.
    const col = headers[1];
    await page.click(`th[data-col="${col}"] button`);
    await page.waitForURL(new RegExp(`sort=${encodeURIComponent(col).replace(/\./g, '\\.')}`));
    // Columns: add one that is not shown by default.
    await page.click('[data-testid="columns-menu"] summary');
    const hidden = await page.$$eval('[data-testid="columns-menu"] li', (lis) => lis.filter((li) => !li.querySelector('input').checked).map((li) => li.dataset.col));
    assert.ok(hidden.length > 0, 'more fields than default columns');
    await page.click(`[data-testid="columns-menu"] li[data-col="${hidden[0]}"] input`);
    await page.waitForURL(/cols=/);
    await page.click('[data-testid="columns-menu"] summary');
    // Filter by text, open a document.
    const first = (await readTable(page))[0];
    await page.fill('[data-testid="row-filter"]', first._id);
    await page.waitForFunction(() => document.querySelectorAll('table.results tbody tr').length === 1);
    await page.click(`tr[data-id="${first._id}"] td[data-col="_id"]`);
    await page.waitForSelector('[data-testid="document-json"]');
    assert.match(await page.textContent('[data-testid="document-json"]'), new RegExp(first._id));
    await screenshot(page, 'collection');
    const link = page.url();
    const fresh = await newPage(browser);
    await fresh.page.goto(link);
    await waitForTable(fresh.page);
    const view = async (p) => ({
      headers: await p.$$eval('table.results thead th[data-col]', (ths) => ths.map((t) => t.dataset.col)),
      rows: (await readTable(p)).map((r) => r._id),
      sort: await p.getAttribute(`th[data-col="${col}"]`, 'aria-sort'),
      json: await p.textContent('[data-testid="document-json"]'),
    });
    assert.deepEqual(await view(fresh.page), await view(page));
    assert.ok((await view(page)).headers.includes(hidden[0]));
    assert.deepEqual([...errors, ...fresh.errors], []);
    await fresh.context.close();
    await context.close();
  });

  test('a collection that does not exist, and a broken filter, say so', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}collection/no-such-collection`);
    await page.waitForSelector('[data-testid="empty"]');
    await page.goto(`${site.url}collection/dynamic-foraging-nm?filter=${encodeURIComponent('{"$where": "1"}')}`);
    await page.waitForSelector('[data-testid="error"]');
    assert.match(await page.textContent('[data-testid="error"]'), /\$where/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
