// The session page: every model of one session, ranked by AIC (values computed here by hand from
// tests/fixtures/expected.json), its parameters and figures, its neighbours by link and key.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED, useStack, newPage, screenshot } from './helpers.mjs';

const SUBJECT = '730945';
const { rows: ROWS, failed: FAILED } = EXPECTED.subjects[SUBJECT];
const SESSIONS = [...new Map(ROWS.map((r) => [r.nwb_name, r.session_date]))].sort(([na, da], [nb, db]) => (da + na < db + nb ? -1 : 1));

function sig4(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  let e = Math.floor(Math.log10(a));
  if (e >= -3 && e < 6) return (v < 0 ? '-' : '') + String(Number(a.toFixed(Math.min(6, Math.max(0, 3 - e)))));
  let m = Math.round((a / 10 ** e) * 1000);
  if (m >= 10000) { m = Math.round(m / 10); e += 1; }
  return `${v < 0 ? '-' : ''}${m / 1000}e${e}`;
}

describe('session page', () => {
  const stack = useStack();

  test('a session date in the subject table opens the session, ranked by AIC', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    // The session page's code is fetched once the subject's rows are in, before any click.
    const sessionCode = [];
    page.on('request', (r) => { if (/\/pkg-[0-9a-f]+\/split_session\.wasm$/.test(r.url())) sessionCode.push(r.url()); });
    await page.goto(`${stack.site.url}subject/${SUBJECT}`);
    await page.waitForSelector('.results-view[data-state="complete"]');
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('/split_session.wasm')));
    assert.equal(sessionCode.length, 1, 'fetched once, before any click');
    const [nwb, date] = SESSIONS[SESSIONS.length - 2];
    await page.locator(`table.results td[data-col="session_date"] a[href*="${encodeURIComponent(nwb).replace(/%20/g, '+')}"]`).first().click();
    await page.waitForURL(new RegExp(`/subject/${SUBJECT}/session/${date}\\?nwb=`));
    await page.waitForSelector('[data-testid="session-metrics"]');
    const fits = ROWS.filter((r) => r.nwb_name === nwb).sort((a, b) => a.AIC - b.AIC);
    const min = fits[0].AIC;
    const total = fits.reduce((s, f) => s + Math.exp(-(f.AIC - min) / 2), 0);
    const got = await page.locator('[data-testid="session-metrics"] tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      model: tr.querySelector('[data-col="agent_alias"]').firstChild.textContent.trim(),
      d: tr.querySelector('[data-col="d_aic"]').textContent,
      w: tr.querySelector('[data-col="w_aic"]').textContent,
      best: !!tr.querySelector('.best-badge'),
    })));
    assert.deepEqual(got, fits.map((f, i) => ({
      model: f.agent_alias, d: sig4(f.AIC - min), w: sig4(Math.exp(-(f.AIC - min) / 2) / total), best: i === 0,
    })));
    assert.equal(await page.locator('[data-testid="session-figures"] img').count(), fits.filter((f) => f.has_figure).length);
    const heads = await page.locator('[data-testid="session-params"] thead th').allTextContents();
    assert.deepEqual(heads.slice(1), fits.map((f) => f.agent_alias), 'models as columns, in rank order');
    const failed = FAILED.filter((f) => f.nwb_name === nwb).length;
    assert.equal(await page.textContent('[data-testid="count-failed"]'), String(failed));
    await screenshot(page, 'session');
    // Neighbours: the arrow keys and the links.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(new RegExp(`/session/${SESSIONS.at(-1)[1]}`));
    await page.waitForSelector('[data-testid="session-metrics"]');
    assert.equal(await page.locator('[data-testid="next"]').count(), 0, 'the last session has no next');
    await page.locator('[data-testid="prev"]').click();
    await page.waitForURL(new RegExp(`/session/${date}`));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an unknown session says so and links back to the subject', async () => {
    const { page, context } = await newPage(stack.browser);
    await page.goto(`${stack.site.url}subject/${SUBJECT}/session/1999-01-01`);
    await page.waitForSelector('[data-testid="empty"]');
    assert.match(await page.textContent('[data-testid="empty"]'), /no fits of a session on 1999-01-01/);
    await context.close();
  });

  test('each session lists its superseded fits; over the sessions they add up to the re-runs the merge hid', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const subject = '752014';
    const { rows, superseded } = EXPECTED.subjects[subject];
    const sessions = [...new Map(rows.map((r) => [r.nwb_name, r.session_date]))];
    let total = 0;
    for (const [nwb, date] of sessions) {
      await page.goto(`${stack.site.url}subject/${subject}/session/${date}?nwb=${encodeURIComponent(nwb)}`);
      await page.waitForSelector('[data-testid="session-metrics"]', { timeout: 30000 });
      const list = page.locator('[data-testid="session-superseded"]');
      if (!(await list.count())) continue;
      const n = Number((await list.locator('summary').textContent()).match(/^(\d+) superseded fit/)[1]);
      await list.locator('summary').click();
      const items = await list.locator('li').allTextContents();
      assert.equal(items.length, n);
      for (const it of items) assert.match(it, /: analysed .+ by .+, status success, AIC /);
      total += n;
    }
    assert.ok(superseded > 0);
    assert.equal(total, superseded);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
