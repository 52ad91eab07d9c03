// Accessibility: an axe-core audit (WCAG 2.0/2.1 A and AA) of every route, in the light and the
// dark scheme, and keyboard use of the charts and the legend. axe-core comes from npm
// (node_modules) and is injected into the page by Playwright.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EXPECTED, ROOT, useStack } from './helpers.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const ROUTES = [
  ['home', '', 'main h1'],
  ['search form', 'search', 'form'],
  ['search results', 'search?subject=781162', '.results-view[data-state="complete"]'],
  ['subject', 'subject/730945', '.results-view[data-state="complete"]'],
  ['subject with a fit open', `subject/730945?sel=${EXPECTED.subjects['730945'].rows[0]._id}`, '.details'],
  ['unknown subject', 'subject/000000', '[data-testid="empty"]'],
  ['session', `subject/730945/session/${EXPECTED.subjects['730945'].rows[0].session_date}`, '[data-testid="session-metrics"]'],
  ['subject explorer', 'subject/730945?view=explore&ex_color=agent_alias', '[data-testid="explorer-legend"]'],
  ['session with latent variables', `subject/730945/session/${EXPECTED.latents.sessions.good.session_date}`, '[data-testid="latents-legend"]'],
  ['embedded subject', 'embed/subject/730945', '.results-view[data-state="complete"]'],
  ['embedded search', 'embed/search?subject=781162', '.results-view[data-state="complete"]'],
  ['collection', 'collection/dynamic-foraging-nm', '.results-view'],
  ['not found', 'no/such/page', 'main, h1'],
];

async function audit(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('accessibility', () => {
  const stack = useStack();

  for (const scheme of ['light', 'dark']) {
    for (const [name, route, ready] of ROUTES) {
      test(`axe finds no WCAG 2 A/AA violation: ${name} (${scheme})`, async () => {
        const context = await stack.browser.newContext({ colorScheme: scheme, viewport: { width: 1360, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${stack.site.url}${route}`);
        await page.waitForSelector(ready, { timeout: 30000 });
        await page.waitForTimeout(300);
        const violations = await audit(page);
        assert.deepEqual(violations, [], violations.join('\n'));
        await context.close();
      });
    }
  }

  test('axe finds no violation with a chart data table and a tooltip open', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.site.url}subject/730945`);
    await page.waitForSelector('.results-view[data-state="complete"] [data-testid="chart-metric-plot"] canvas.chart-canvas');
    await page.locator('[data-testid="chart-metric-plot"] [data-testid="chart-data"]').click();
    await page.locator('[data-testid="chart-metric-plot"] .chart-area').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid="chart-tip"]');
    const violations = await audit(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await context.close();
  });

  test('the legend and the charts work by keyboard alone', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.site.url}subject/730945`);
    await page.waitForSelector('.results-view[data-state="complete"] [data-testid="legend"] .legend-item');
    // Tab to the first legend entry and toggle it with the keyboard.
    let guard = 0;
    while (!(await page.evaluate(() => document.activeElement?.classList.contains('legend-item'))) && guard++ < 40) await page.keyboard.press('Tab');
    assert.ok(guard < 40, 'the legend is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/hide=/);
    await page.keyboard.press('Space');
    await page.waitForURL((u) => !u.search.includes('hide='));
    // Tab on to the metric chart; arrows step through its points.
    guard = 0;
    while (!(await page.evaluate(() => document.activeElement?.closest('[data-testid="chart-metric-plot"]')?.querySelector('.chart-area') === document.activeElement)) && guard++ < 40) await page.keyboard.press('Tab');
    assert.ok(guard < 40, 'the chart is reachable with Tab');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('[data-testid="chart-metric-plot"] [data-testid="chart-tip"]').count(), 1);
    await context.close();
  });
});
