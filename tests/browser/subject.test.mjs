// The subject page, end to end: release build + sample API + Debian's Chromium.
// Expected values come from tests/fixtures/expected.json, the generator's own record of what it
// wrote, never from app code.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EXPECTED, FIXTURES, useStack, startSampleApi, startSite, launchBrowser, newPage, screenshot, fmt, readTable, waitForTable, waitShowing,
} from './helpers.mjs';

const BUCKET_RE = /^([^/]+)\/(.+)$/;
const NORMAL = Object.keys(EXPECTED.subjects).filter((s) => s !== '799001');
const SUBJECT = '730945';

function s3Url(figureKey, s3Base) {
  const [, bucket, key] = figureKey.match(BUCKET_RE);
  return s3Base ? `${s3Base}/${bucket}/${key}` : `https://${bucket}.s3.amazonaws.com/${key}`;
}

const PIPELINE_SHORT = { 'aind analysis framework': 'framework', "han's analysis pipeline": 'Han' };

/** What a row of the table must say for an expected fit. */
function expectedCells(r) {
  return {
    session_date: r.session_date,
    agent_alias: r.agent_alias,
    n_trials: r.n_trials === null ? '—' : String(r.n_trials),
    log_likelihood: fmt.fixed(r.log_likelihood, 2),
    AIC: fmt.fixed(r.AIC, 2),
    BIC: fmt.fixed(r.BIC, 2),
    LPT_AIC: fmt.fixed(r.LPT_AIC, 2),
    prediction_accuracy: fmt.fixed(r.prediction_accuracy, 3),
    'prediction_accuracy_10-CV_test': fmt.fixed(r.cv_test_mean, 3),
    pipeline_source: PIPELINE_SHORT[r.pipeline_source],
    analysis_tag: r.analysis_tag ?? '—',
    analysis_time: fmt.time(r.analysis_time),
  };
}

async function openSubject(page, site, id, query = '', timeout = 30000, api = undefined) {
  await page.goto(`${site.url}subject/${encodeURIComponent(id)}${query}`);
  await waitShowing(page, '.results-view[data-state="complete"], [data-testid="empty"], [data-testid="error"]', { timeout, api });
}

describe('subject page', () => {
  let api; let site; let siteNoMirror; let browser;

  before(async () => {
    api = await startSampleApi();
    site = await startSite({ api_base: api.url, s3_base: `${api.url}/s3` });
    siteNoMirror = await startSite({ api_base: api.url });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    site?.stop(); siteNoMirror?.stop(); api?.stop();
  });

  for (const subject of NORMAL) {
    test(`cold load of ${subject} shows exactly the deduplicated fits with their values`, async () => {
      const { context, page, errors } = await newPage(browser);
      await openSubject(page, site, subject);
      const exp = EXPECTED.subjects[subject];
      const rows = await readTable(page);
      assert.equal(rows.length, exp.rows.length, 'row count');
      const byId = new Map(rows.map((r) => [r._id, r]));
      for (const e of exp.rows) {
        const got = byId.get(e._id);
        assert.ok(got, `row ${e._id} (${e.nwb_name} ${e.agent_alias}) is missing`);
        const want = expectedCells(e);
        for (const [col, value] of Object.entries(want)) {
          assert.equal(got[col], value, `${e._id} ${col}`);
        }
        assert.equal(got.failed, false);
      }
      assert.equal(await page.textContent('[data-testid="count-fits"]'), String(exp.rows.length));
      assert.equal(await page.textContent('[data-testid="count-failed"]'), String(exp.failed.length));
      const sessions = new Set(exp.rows.map((r) => r.nwb_name)).size;
      assert.equal(await page.textContent('[data-testid="count-sessions"]'), String(sessions));
      if (subject === SUBJECT) await screenshot(page, 'subject-full');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  test('failed fits are hidden, one click shows them, and the link keeps the choice', async () => {
    const { context, page, errors } = await newPage(browser);
    await openSubject(page, site, SUBJECT);
    const exp = EXPECTED.subjects[SUBJECT];
    assert.ok(exp.failed.length > 0, 'fixtures must hold failed fits');
    assert.equal((await readTable(page)).filter((r) => r.failed).length, 0);
    await page.click('[data-testid="toggle-failed"]');
    await page.waitForSelector('tr.failed');
    const rows = await readTable(page);
    assert.equal(rows.length, exp.rows.length + exp.failed.length);
    assert.deepEqual(
      rows.filter((r) => r.failed).map((r) => r._id).sort(),
      exp.failed.map((r) => r._id).sort(),
    );
    assert.match(page.url(), /failed=1/);
    await screenshot(page, 'subject-failed-shown');
    await page.reload();
    await page.waitForSelector('tr.failed');
    await page.click('[data-testid="toggle-failed"]');
    await page.waitForFunction(() => !document.querySelector('tr.failed'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('thumbnails use the S3 URL rules, with and without s3_base', async () => {
    const exp = EXPECTED.subjects[SUBJECT];
    for (const [server, base] of [[site, `${api.url}/s3`], [siteNoMirror, null]]) {
      const { context, page } = await newPage(browser);
      // Without s3_base the browser asks the public S3 hosts, which this machine cannot reach:
      // stand in for S3 at the network edge with the fixture objects, and record what was asked.
      const asked = [];
      await page.route(/^https:\/\/[^/]+\.s3\.amazonaws\.com\//, (route) => {
        const url = new URL(route.request().url());
        asked.push(url.href);
        const file = path.join(FIXTURES, 's3', url.hostname.replace('.s3.amazonaws.com', ''), decodeURIComponent(url.pathname));
        if (existsSync(file)) route.fulfill({ status: 200, contentType: 'image/png', body: readFileSync(file) });
        else route.fulfill({ status: 404, contentType: 'application/xml', body: '<Error><Code>NoSuchKey</Code></Error>' });
      });
      await openSubject(page, server, SUBJECT);
      const rows = await readTable(page);
      const byId = new Map(rows.map((r) => [r._id, r]));
      for (const e of exp.rows.filter((r) => r.has_figure)) {
        assert.equal(byId.get(e._id).img, s3Url(e.figure_key, base), `${e._id} with base ${base}`);
      }
      if (!base) {
        // Thumbnails load lazily: bring the table (below the charts) into view.
        await page.locator('table.results tbody tr').first().scrollIntoViewIfNeeded();
        for (let i = 0; i < 50 && asked.length === 0; i += 1) await page.waitForTimeout(100);
        assert.ok(asked.length > 0, 'thumbnails were requested from S3');
        assert.ok(asked.every((u) => exp.rows.some((r) => s3Url(r.figure_key, null) === u)), `unexpected S3 URL among ${asked}`);
      }
      await context.close();
    }
  });

  test('a missing figure shows the placeholder, a present one loads', async () => {
    const { context, page, errors } = await newPage(browser);
    await openSubject(page, site, SUBJECT);
    const exp = EXPECTED.subjects[SUBJECT];
    const missing = exp.rows.filter((r) => !r.has_figure);
    assert.ok(missing.length >= 2, 'fixtures must hold missing figures');
    for (const e of missing) {
      const row = page.locator(`tr[data-id="${e._id}"]`);
      await row.scrollIntoViewIfNeeded();
      await row.locator('[data-testid="figure-missing"]').waitFor({ timeout: 10000 });
    }
    const present = exp.rows.find((r) => r.has_figure);
    const img = page.locator(`tr[data-id="${present._id}"] img`);
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((id) => {
      const i = document.querySelector(`tr[data-id="${id}"] img`);
      return i && i.complete && i.naturalWidth > 0;
    }, present._id);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'subject-thumbnails');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a thumbnail opens the figure full size, in the URL, and Escape closes it', async () => {
    const { context, page } = await newPage(browser);
    await openSubject(page, site, SUBJECT);
    const present = EXPECTED.subjects[SUBJECT].rows.find((r) => r.has_figure);
    await page.click(`tr[data-id="${present._id}"] .thumb`);
    const viewerImg = page.locator('.viewer img');
    await viewerImg.waitFor();
    assert.equal(await viewerImg.getAttribute('src'), s3Url(present.figure_key, `${api.url}/s3`));
    assert.match(page.url(), new RegExp(`fig=${present._id}`));
    await screenshot(page, 'subject-figure-viewer');
    await page.keyboard.press('Escape');
    await page.locator('.viewer').waitFor({ state: 'detached' });
    assert.doesNotMatch(page.url(), /fig=/);
    await context.close();
  });

  test('clicking a header sorts, empty values last, and the sort is in the URL', async () => {
    const { context, page } = await newPage(browser);
    await openSubject(page, site, SUBJECT);
    await page.click('th[data-col="AIC"] button');
    await page.waitForURL(/sort=AIC/);
    const exp = EXPECTED.subjects[SUBJECT].rows;
    const want = exp.filter((r) => r.AIC !== null).map((r) => r.AIC).sort((a, b) => a - b).map((x) => x.toFixed(2));
    let got = (await readTable(page)).map((r) => r.AIC).filter((x) => x !== '—');
    assert.deepEqual(got, want);
    await page.click('th[data-col="AIC"] button');
    await page.waitForURL(/dir=desc/);
    got = (await readTable(page)).map((r) => r.AIC).filter((x) => x !== '—');
    assert.deepEqual(got, [...want].reverse());
    assert.equal(await page.getAttribute('th[data-col="AIC"]', 'aria-sort'), 'descending');
    await context.close();
  });

  test('an unknown subject shows a clear empty state', async () => {
    const { context, page, errors } = await newPage(browser);
    await openSubject(page, site, EXPECTED.unknown_subject);
    assert.match(await page.textContent('[data-testid="empty"]'), /No model fits found/);
    assert.match(await page.textContent('[data-testid="empty"]'), new RegExp(EXPECTED.unknown_subject));
    await screenshot(page, 'subject-empty');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('odd records: kept rows carry warnings, unplaceable ones are counted as skipped', async () => {
    const odd = EXPECTED.subjects['799001'];
    const { context, page, errors } = await newPage(browser);
    await openSubject(page, site, '799001');
    const rows = await readTable(page);
    assert.equal(rows.length, odd.rows.length);
    for (const e of odd.rows.filter((r) => r._id)) {
      assert.ok(rows.some((r) => r._id === e._id), `odd row ${e._id} kept`);
    }
    const summary = await page.textContent('[data-testid="data-notes-summary"]');
    assert.match(summary, new RegExp(`${odd.skipped} records? skipped`));
    assert.match(summary, new RegExp(`${odd.warned} fits? with odd values`));
    await page.click('[data-testid="data-notes-summary"]');
    assert.equal(await page.locator('[data-testid="skipped"]').count(), odd.skipped);
    await page.click('[data-testid="toggle-failed"]');
    await page.waitForSelector('tr.failed');
    assert.equal((await readTable(page)).length, odd.rows.length + odd.failed.length);
    await screenshot(page, 'subject-odd-records');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('subject page against a faulty API', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('counted but no record arrived yet: the loading panel says how many are coming, no empty table', async () => {
    await api.reset();
    const { context, page, errors } = await newPage(browser);
    // The counts answer at once; every find waits until the test lets it go.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(/\/find\?/, async (route) => { await held; await route.continue(); });
    await page.goto(`${site.url}subject/${SUBJECT}`);
    const exp = EXPECTED.subjects[SUBJECT];
    await page.waitForFunction(() => /0 records received of [1-9][0-9]* expected/.test(document.querySelector('[data-testid="loading"]')?.textContent ?? ''));
    // Once the count is known, a progress bar instead of the turning spinner; no table, no
    // chart drawn from nothing.
    assert.equal(await page.getAttribute('[data-testid="load-progress"]', 'value'), '0');
    assert.equal(await page.locator('[data-testid="loading"] .spinner').count(), 0);
    assert.equal(await page.locator('[data-testid="results"]').count(), 0);
    assert.equal(await page.locator('[data-testid="chart-metric-plot"]').count(), 0);
    await screenshot(page, 'subject-loading-no-rows');
    release();
    await waitForTable(page, 30000, api);
    assert.equal((await readTable(page)).length, exp.rows.length);
    assert.doesNotMatch(await page.textContent('main'), /Loading…/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('with a page cap of 3 every record still arrives, and progress is shown', async () => {
    await api.reset();
    await api.control({ page_cap: 3, latency_ms: 150 });
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}subject/${SUBJECT}`);
    await page.waitForFunction(() => /records received/.test(document.body.textContent));
    await screenshot(page, 'subject-loading');
    await waitForTable(page, 60000, api);
    const exp = EXPECTED.subjects[SUBJECT];
    assert.equal((await readTable(page)).length, exp.rows.length);
    const finds = (await api.requests()).filter((r) => r.path.endsWith('/find'));
    assert.ok(finds.length >= Math.ceil(exp.records / 3), `paged in many requests (${finds.length})`);
    assert.ok(finds.every((r) => r.query.limit !== undefined && /^[0-9]+$/.test(r.query.limit)));
    // Per format: the first page, then every next page starts after the last _id that arrived
    // (keyset paging), never asking for the same place twice; the count came alongside.
    const formatOf = (f) => (f.includes('analysis_spec') ? 'han' : 'framework');
    const after = new Map();
    for (const r of finds) {
      const filter = JSON.parse(r.query.filter);
      const gt = filter._id?.$gt ?? filter.$and?.find((c) => c._id)?._id.$gt;
      const key = formatOf(r.query.filter);
      if (!after.has(key)) after.set(key, []);
      if (gt !== undefined) after.get(key).push(gt);
      assert.equal(r.query.skip, '0', 'no skip paging over string ids');
    }
    assert.equal(after.size, 2, 'both formats were queried');
    for (const [key, bounds] of after) {
      assert.ok(bounds.length > 0, `${key} continued by _id`);
      assert.deepEqual(bounds, [...bounds].sort(), `${key}: each page starts after the last: ${bounds}`);
      assert.equal(new Set(bounds).size, bounds.length, `${key}: no page asked twice`);
    }
    const counts = (await api.requests()).filter((r) => r.path.endsWith('/count_documents'));
    assert.equal(counts.length, 2, 'one count per format');
    assert.equal(await page.locator('[data-testid="lost-records"]').count(), 0);
    assert.equal(await page.textContent('[data-testid="count-failed"]'), String(exp.failed.length), 'every record arrived');
    await api.reset();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a 500 followed by success is retried and the page loads', async () => {
    await api.reset();
    await api.control({ fail_status: 500, fail_count: 1 });
    const { context, page, errors } = await newPage(browser);
    await openSubject(page, site, SUBJECT, '', 30000, api);
    assert.equal((await readTable(page)).length, EXPECTED.subjects[SUBJECT].rows.length);
    // Both formats load concurrently, so the failed request is not always logged first: it is the
    // only failure, and the same request (same filter and skip) was asked again and answered.
    const calls = (await api.requests()).filter((r) => r.path.startsWith('/v1/'));
    const failures = calls.filter((r) => r.status === 500);
    assert.equal(failures.length, 1);
    const [failed] = failures;
    const again = calls.slice(calls.indexOf(failed) + 1)
      .filter((r) => r.path === failed.path && r.query.filter === failed.query.filter && r.query.skip === failed.query.skip);
    assert.ok(again.length === 1 && again[0].status === 200, 'the failed request was retried');
    await api.reset();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a permanent 500 shows the error with its status, and Retry recovers', async () => {
    await api.reset();
    await api.control({ fail_status: 500, fail_count: 0 });
    const { context, page, errors } = await newPage(browser);
    // Every request is retried with backoff before the error shows: about 5 s here, but twice
    // over 30 s on a loaded 2-core machine.
    await openSubject(page, site, SUBJECT, '', 90000, api);
    const text = await page.textContent('[data-testid="error"]');
    assert.match(text, /HTTP 500/);
    assert.match(text, /attempts/);
    await screenshot(page, 'subject-error');
    await api.reset();
    await page.click('[data-testid="error"] button');
    await waitForTable(page, 30000, api);
    assert.equal((await readTable(page)).length, EXPECTED.subjects[SUBJECT].rows.length);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('home page', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('the subject box opens the subject page, and visited subjects are listed', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(site.url);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.field-hint');
    await screenshot(page, 'home-empty');
    await page.fill('#subject-input', ` ${SUBJECT} `);
    await page.click('button[type="submit"]');
    await page.waitForURL(new RegExp(`/subject/${SUBJECT}$`));
    await waitForTable(page);
    await page.click('a.brand');
    await page.waitForSelector('[data-testid="recent"]');
    assert.match(await page.textContent('[data-testid="recent"]'), new RegExp(SUBJECT));
    await screenshot(page, 'home-recent');
    await page.click(`[data-testid="recent"] a`);
    await waitForTable(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
