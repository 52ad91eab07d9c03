// Static hosting and embeds: the sub-path build on a GitHub-Pages-like host (unknown paths answer
// 404.html with status 404), deep links cold, navigation and reload; and an embedded view in an
// iframe on another origin that reports its height with postMessage.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT, EXPECTED, useStack, newPage, screenshot, readTable, waitForTable,
} from './helpers.mjs';

const BASE = '/aind-results-browser/';
const SUB_DIST = 'dist-subpath';
const S = EXPECTED.subjects;

/** The wiki script from the README, exactly as documented. */
function readmeScript() {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = readme.match(/<script>addEventListener\("message"[\s\S]*?<\/script>/);
  assert.ok(m, 'README documents the iframe sizing script');
  return m[0];
}

/** A page on another loopback origin that embeds `src` like a lab wiki would. */
function startHost(src) {
  const html = `<!doctype html><html><body><h1>Lab wiki</h1>
<iframe id="fits" src="${src}" style="width:100%;border:0" height="150"></iframe>
<script>window.__heights = []; addEventListener("message", (e) => window.__heights.push(e.data));</script>
${readmeScript()}
</body></html>`;
  const server = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(html); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/wiki`, stop: () => server.close(),
  })));
}

describe('static hosting under a sub-path', () => {
  before(() => assert.ok(existsSync(path.join(ROOT, SUB_DIST, '404.html')), `${SUB_DIST}/ is built with --public-url ${BASE} and has 404.html`));
  const stack = useStack({ base: BASE, dir: SUB_DIST, hostStyle: 'github-pages' });
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  test('a deep link opens cold on a GitHub Pages host, navigates and reloads', async () => {
    assert.ok(site.url.endsWith(BASE));
    const { context, page, errors } = await newPage(browser);
    // config.json is preloaded by the page (under the base) and that response is the one the
    // app reads: one request (a preload the app's fetch did not match would make two).
    const configs = [];
    page.on('request', (r) => { if (r.url().includes('config.json')) configs.push(r.url()); });
    const response = await page.goto(`${site.url}subject/752014?sort=AIC&dir=asc`);
    assert.equal(response.status(), 404, 'GitHub Pages answers a deep link with 404.html');
    await waitForTable(page);
    assert.equal((await readTable(page)).length, S['752014'].rows.length);
    assert.equal(await page.getAttribute('th[data-col="AIC"]', 'aria-sort'), 'ascending');
    const img = await page.getAttribute('table.results tbody tr img', 'src');
    assert.ok(img.startsWith(`${api.url}/s3/`), img);
    assert.deepEqual(configs, [`${site.url}config.json`]);
    // The parts fetched on first use come from under the base too: the charts draw.
    await page.waitForFunction(() => performance.getEntriesByName('aind:chart-draw').length > 0);
    assert.equal(await page.locator('[data-testid="part-error"]').count(), 0);
    await screenshot(page, 'subpath-deep-link');

    // Navigate inside the app: the links keep the base.
    await page.click('.topnav a');
    await page.waitForURL(`${site.url}search`);
    await page.fill('#search-subjects', '781162');
    await page.click('[data-testid="search-submit"]');
    await page.waitForURL(new RegExp(`${BASE}search\\?subject=781162`));
    await waitForTable(page);
    assert.equal((await readTable(page)).length, S['781162'].rows.length);
    await page.reload();
    await waitForTable(page);
    assert.equal((await readTable(page)).length, S['781162'].rows.length);
    await page.goBack();
    await page.waitForURL(`${site.url}search`);
    await page.click('a.brand');
    await page.waitForURL(site.url);
    await page.fill('#subject-input', '778869');
    await page.click('button[type="submit"]');
    await page.waitForURL(`${site.url}subject/778869`);
    await waitForTable(page);
    assert.equal((await readTable(page)).length, S['778869'].rows.length);
    await page.reload();
    await waitForTable(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a session page and a collection page open cold from deep links, their code under the base', async () => {
    const { context, page, errors } = await newPage(browser);
    const wasm = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
    const date = S['752014'].rows[0].session_date;
    const response = await page.goto(`${site.url}subject/752014/session/${date}`);
    assert.equal(response.status(), 404, 'GitHub Pages answers a deep link with 404.html');
    // The session's page (or, for a date with two sessions, its choice of them).
    await page.waitForSelector('[data-testid="session-date"], [data-testid="ambiguous"]', { timeout: 30000 });
    assert.ok(wasm.some((p) => p.startsWith(`${BASE}pkg-`) && p.endsWith('/split_session.wasm')), wasm.join(' '));
    await page.goto(`${site.url}collection/dynamic-foraging-nm`);
    await waitForTable(page);
    assert.ok(wasm.some((p) => p.endsWith('/split_collection.wasm')), wasm.join(' '));
    assert.equal(await page.locator('[data-testid="part-error"]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an unknown route inside the app shows the not-found page, not a blank one', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${site.url}no/such/page`);
    await page.waitForSelector('[data-testid="not-found"]');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('embeds', () => {
  const stack = useStack();
  let api; let site; let browser;
  before(() => ({ api, site, browser } = stack));

  for (const [name, route, want] of [
    ['subject', 'embed/subject/730945?sort=AIC', S['730945'].rows.length],
    ['search', 'embed/search?subject=752014,700001', S['752014'].rows.length + S['700001'].rows.length],
  ]) {
    test(`the embedded ${name} view renders in a wiki iframe on another origin and reports its height`, async () => {
      const host = await startHost(`${site.url}${route}`);
      assert.notEqual(new URL(host.url).origin, new URL(site.url).origin);
      const { context, page, errors } = await newPage(browser);
      await page.goto(host.url);
      const frame = page.frameLocator('#fits');
      await frame.locator('.results-view[data-state="complete"] table.results').waitFor({ timeout: 30000 });
      assert.equal(await frame.locator('table.results tbody tr').count(), want);
      assert.equal(await frame.locator('.topbar').count(), 0, 'no site chrome');
      assert.equal(await frame.locator('[data-testid="search-form"]').count(), 0, 'no search form');
      const back = await frame.locator('[data-testid="embed-back"]').getAttribute('href');
      assert.equal(back, `${site.url}${route.replace(/^embed\//, '')}`);
      await page.waitForFunction(() => window.__heights.some((m) => m && m.type === 'aind-results-browser:height' && m.height > 300));
      const last = await page.evaluate(() => window.__heights.filter((m) => m.type === 'aind-results-browser:height').at(-1));
      // The README's script sized the iframe to the reported height.
      await page.waitForFunction((h) => document.getElementById('fits').style.height === `${h}px`, last.height);
      await screenshot(page, `embed-${name}`);
      // Fewer rows: the frame reports a smaller height and the wiki shrinks it.
      await frame.locator('[data-testid="row-filter"]').fill('WSLS');
      await page.waitForFunction((h) => {
        const m = window.__heights.filter((x) => x.type === 'aind-results-browser:height').at(-1);
        return m.height < h && document.getElementById('fits').style.height === `${m.height}px`;
      }, last.height);
      assert.deepEqual(errors, []);
      await context.close();
      host.stop();
    });
  }
});
