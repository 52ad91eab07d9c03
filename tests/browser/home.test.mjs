// The start page's overview of subjects: every subject of the sample collection with its
// sessions, fits, dates and best model by Akaike weight (computed here by hand from
// tests/fixtures/expected.json), sortable, filterable, linking to the subject page, cached.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED, useStack, newPage, screenshot } from './helpers.mjs';

/** What the overview must say of a subject. */
function expectedSummary(id) {
  const { rows, failed } = EXPECTED.subjects[id];
  const sessions = new Map();
  for (const r of rows) sessions.set(r.nwb_name, [...(sessions.get(r.nwb_name) ?? []), r]);
  const weights = new Map();
  for (const fits of sessions.values()) {
    const scored = fits.filter((f) => f.AIC !== null);
    if (!scored.length) continue;
    const min = Math.min(...scored.map((f) => f.AIC));
    const total = scored.reduce((s, f) => s + Math.exp(-(f.AIC - min) / 2), 0);
    for (const f of scored) weights.set(f.agent_alias, [...(weights.get(f.agent_alias) ?? []), Math.exp(-(f.AIC - min) / 2) / total]);
  }
  let best = null;
  for (const [m, ws] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const mean = ws.reduce((a, b) => a + b, 0) / ws.length;
    if (!best || mean > best[1] + 1e-12) best = [m, mean];
  }
  const dates = rows.map((r) => r.session_date).sort();
  return {
    subject: id,
    sessions: String(sessions.size),
    fits: String(rows.length),
    failed: String(failed.length),
    first: dates[0],
    last: dates.at(-1),
    best: best[0],
    weight: best[1].toFixed(2),
  };
}

async function readOverview(page) {
  return page.$$eval('[data-testid="overview"] table.results tbody tr', (trs) => trs.map((tr) => Object.fromEntries(
    [...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent.trim()]),
  )));
}

describe('home page overview of subjects', () => {
  const stack = useStack();

  test('every subject with its sessions, fits, dates and best model', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await page.goto(stack.site.url);
    await page.waitForSelector('[data-testid="overview"] .results-view[data-state="complete"]', { timeout: 30000 });
    const rows = await readOverview(page);
    const ids = Object.keys(EXPECTED.subjects).sort();
    assert.deepEqual(rows.map((r) => r.subject), ids);
    for (const r of rows) {
      if (r.subject === '799001') {
        // The odd-records subject: the fixtures record its rows, not their values.
        const exp = EXPECTED.subjects['799001'];
        assert.deepEqual([r.fits, r.failed], [String(exp.rows.length), String(exp.failed.length)]);
      } else {
        assert.deepEqual(r, expectedSummary(r.subject), r.subject);
      }
    }
    // The overview asks for a light projection: no folds, no parameters.
    const asked = (await stack.api.requests()).filter((q) => q.path.endsWith('/find'));
    assert.ok(asked.length > 0);
    for (const q of asked) assert.ok(!q.query.projection.includes('prediction_accuracy_test') && !q.query.projection.includes('params'), q.query.projection);
    await screenshot(page, 'home-overview');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('sorting, filtering and the subject link; a revisit comes from the cache', async () => {
    const { page, context } = await newPage(stack.browser);
    await page.goto(stack.site.url);
    await page.waitForSelector('[data-testid="overview"] .results-view[data-state="complete"]', { timeout: 30000 });
    await page.locator('[data-testid="overview"] th', { hasText: 'Sessions' }).locator('button').click();
    await page.waitForURL(/sort=sessions/);
    const sessions = (await readOverview(page)).map((r) => Number(r.sessions));
    assert.deepEqual(sessions, [...sessions].sort((a, b) => b - a), 'most sessions first');
    await page.fill('[data-testid="overview"] .row-filter', 'WSLS');
    await page.waitForURL(/q=WSLS/);
    const wsls = await readOverview(page);
    assert.ok(wsls.length > 0 && wsls.every((r) => r.best === 'WSLS'));
    await page.locator('[data-testid="overview"] td[data-col="subject"] a').first().click();
    await page.waitForURL(new RegExp(`/subject/${wsls[0].subject}`));
    await page.waitForSelector('.results-view[data-state="complete"]');
    // A revisit while the API answers slowly: the rows come from the cache at once.
    await stack.api.control({ latency_ms: 4000 });
    const t0 = Date.now();
    await page.goto(stack.site.url);
    await page.waitForSelector('[data-testid="overview"] table.results tbody tr', { timeout: 3500 });
    assert.ok(Date.now() - t0 < 3500, 'shown before the API could answer');
    assert.equal((await readOverview(page)).length, Object.keys(EXPECTED.subjects).length);
    await stack.api.reset();
    await context.close();
  });
});
