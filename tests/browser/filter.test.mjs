// The row filter by expression (`where=`): it applies to the table and the explorer alike, an
// invalid expression shows where it goes wrong and keeps the last good view, a link restores it.
// Expected values come from tests/fixtures/expected.json.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED, useStack, newPage, screenshot } from './helpers.mjs';

const SUBJECT = '730945';
const ROWS = EXPECTED.subjects[SUBJECT].rows;

async function open(page, site, query = '') {
  await page.goto(`${site.url}subject/${SUBJECT}?charts=0${query}`);
  await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
}

const tableIds = (page) => page.locator('table.results tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.id));

describe('filter by expression', () => {
  const stack = useStack();

  test('an expression filters the table and the explorer; an invalid one points at its fault and changes nothing', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    await open(page, stack.site);
    const model = ROWS[0].agent_alias;
    const want = ROWS.filter((r) => r.n_trials > 500 && r.agent_alias === model);
    assert.ok(want.length > 0 && want.length < ROWS.length);
    const expr = `n_trials > 500 && agent_alias == "${model}"`;
    await page.fill('[data-testid="expr-input"]', expr);
    await page.press('[data-testid="expr-input"]', 'Enter');
    await page.waitForFunction((e) => new URL(location.href).searchParams.get('where') === e, expr);
    await page.waitForFunction((n) => document.querySelectorAll('table.results tbody tr').length === n, want.length);
    assert.deepEqual((await tableIds(page)).sort(), want.map((r) => r._id).sort());
    assert.equal(await page.locator('[data-testid="expr-summary"]').textContent(), `${want.length} fits match`);
    // The explorer shows the same rows.
    await page.locator('[data-testid="tab-explorer"]').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="explorer-count"]')?.textContent === `${n} points`, want.length);
    await page.locator('[data-testid="tab-table"]').click();
    // An invalid expression: the error, its place marked, and the last good filter still applied.
    await page.fill('[data-testid="expr-input"]', `n_trials > 500 && agent_alias = "${model}"`);
    await page.waitForSelector('[data-testid="expr-error"]');
    assert.equal(await page.locator('[data-testid="expr-error"] mark.expr-at').textContent(), '=');
    assert.match(await page.locator('[data-testid="expr-message"]').textContent(), /==.*\(at 31\)/);
    assert.equal(await page.locator('[data-testid="expr-input"]').getAttribute('aria-invalid'), 'true');
    // Typing is not announced key by key; Enter on an invalid expression is.
    assert.equal(await page.locator('[role="alert"], [role="status"]').filter({ hasText: '==' }).count(), 0);
    await page.press('[data-testid="expr-input"]', 'Enter');
    await page.waitForFunction(() => /^Not applied: .*==.*\(at 31\)$/.test(document.querySelector('[data-testid="expr-refused"]').textContent));
    assert.equal(await page.locator('[data-testid="expr-refused"]').getAttribute('role'), 'status');
    // Enter again on the same expression: the live region changes again, so it is read again.
    await page.evaluate(() => {
      window.refusedChanges = 0;
      new MutationObserver(() => { window.refusedChanges += 1; })
        .observe(document.querySelector('[data-testid="expr-refused"]'), { childList: true, characterData: true, subtree: true });
    });
    let said = await page.locator('[data-testid="expr-refused"]').textContent();
    for (const n of [1, 2]) {
      await page.press('[data-testid="expr-input"]', 'Enter');
      await page.waitForFunction((k) => window.refusedChanges >= k, n);
      const now = await page.locator('[data-testid="expr-refused"]').textContent();
      assert.match(now, /^Not applied: .*==.*\(at 31\)\u200b?$/);
      assert.notEqual(now, said, 'a repeated refusal changes the live region');
      said = now;
    }
    assert.equal(new URL(page.url()).searchParams.get('where'), expr);
    assert.equal(await page.locator('table.results tbody tr').count(), want.length);
    await screenshot(page, 'filter-error');
    // An unknown column, with a suggestion; a trailing operator.
    await page.fill('[data-testid="expr-input"]', 'n_trial > 3');
    await page.waitForSelector('[data-testid="expr-error"]');
    assert.equal(await page.locator('mark.expr-at').textContent(), 'n_trial');
    assert.match(await page.locator('[data-testid="expr-message"]').textContent(), /did you mean n_trials/);
    await page.fill('[data-testid="expr-input"]', 'AIC >');
    assert.equal(await page.locator('mark.expr-at').textContent(), '>');
    // Escape puts back the applied expression; Clear removes it.
    await page.press('[data-testid="expr-input"]', 'Escape');
    assert.equal(await page.locator('[data-testid="expr-input"]').inputValue(), expr);
    await page.locator('[data-testid="expr-clear"]').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('where'));
    await page.waitForFunction((n) => document.querySelectorAll('table.results tbody tr').length === n, ROWS.length);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a link restores the filter; rows without a value are counted; a bad link explains itself', async () => {
    const { page, context, errors } = await newPage(stack.browser);
    const expr = 'AIC < 500 || session_date >= "2024-10-20"';
    await open(page, stack.site, `&where=${encodeURIComponent(expr)}`);
    const want = ROWS.filter((r) => r.AIC < 500 || r.session_date >= '2024-10-20');
    await page.waitForFunction((n) => document.querySelectorAll('table.results tbody tr').length === n, want.length);
    assert.deepEqual((await tableIds(page)).sort(), want.map((r) => r._id).sort());
    assert.equal(await page.locator('[data-testid="expr-input"]').inputValue(), expr);
    // The count is of the rows the table can show (failed fits hidden are not counted).
    assert.equal(await page.locator('[data-testid="expr-summary"]').textContent(), `${want.length} fits match`);
    // Back: the box follows the URL.
    await page.fill('[data-testid="expr-input"]', 'AIC < 400');
    await page.press('[data-testid="expr-input"]', 'Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('where') === 'AIC < 400');
    await page.goBack();
    await page.waitForFunction((e) => new URL(location.href).searchParams.get('where') === e, expr);
    await page.waitForFunction((e) => document.querySelector('[data-testid="expr-input"]').value === e, expr);
    // Rows without the value the expression reads are left out and counted, not lost: on the
    // odd subject, the rows with AIC < 500, those with AIC >= 500 and those counted as empty
    // make up every row.
    const oddUrl = (q) => `${stack.site.url}subject/799001?charts=0${q ? `&where=${encodeURIComponent(q)}` : ''}`;
    const summary = async (q) => {
      await page.goto(oddUrl(q));
      await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
      const text = await page.locator('[data-testid="expr-summary"]').textContent();
      const m = text.match(/^(\d+) fits? match(?: · (\d+) left out for an empty value)?$/);
      assert.ok(m, text);
      assert.equal(await page.locator('table.results tbody tr').count(), Number(m[1]));
      return [Number(m[1]), Number(m[2] ?? 0)];
    };
    await page.goto(oddUrl(''));
    await page.waitForSelector('.results-view[data-state="complete"]', { timeout: 30000 });
    const total = await page.locator('table.results tbody tr').count();
    const [below, empty] = await summary('AIC < 500');
    const [above, empty2] = await summary('AIC >= 500');
    assert.ok(empty > 0, 'the odd subject has a fit without AIC');
    assert.equal(empty2, empty);
    assert.equal(below + above + empty, total);
    // A link with an expression that does not compile: its error, and every row.
    await open(page, stack.site, `&where=${encodeURIComponent('(AIC < 500')}`);
    await page.waitForSelector('[data-testid="expr-error"]');
    assert.equal(await page.locator('mark.expr-at').textContent(), '(');
    assert.equal(await page.locator('[data-testid="expr-applied"]').textContent(), ' · not applied: every row is shown');
    assert.equal(await page.locator('table.results tbody tr').count(), ROWS.length);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
