// Shared set-up for the browser tests: the sample API, the static site server and Chromium.
// Every server runs on loopback with a free port and is stopped by the test that started it.
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON = path.join(ROOT, '.venv/bin/python');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
export const EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));
export const SHOTS = path.join(ROOT, 'test-output/screenshots');

/** Starts a child process and resolves once it prints a line starting with `marker`. */
function startProcess(args, marker) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${args[0]} did not start: ${stderr}`)); }, 20000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${args[0]} exited ${code}: ${stderr}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(marker)) {
        clearTimeout(timer);
        resolve({ child, url: line.slice(marker.length).trim() });
      }
    });
  });
}

/** The sample API over tests/fixtures. `extra` are more command-line switches (faults). */
export async function startSampleApi(extra = []) {
  const { child, url } = await startProcess(
    ['tests/sample_api/server.py', '--port', '0', '--fixtures', FIXTURES, ...extra], 'SAMPLE_API_READY');
  const control = async (settings) => {
    const r = await fetch(`${url}/_control`, { method: 'POST', body: JSON.stringify(settings) });
    if (!r.ok) throw new Error(`control failed: ${r.status}`);
  };
  return {
    url,
    control,
    reset: () => fetch(`${url}/_control/reset`, { method: 'POST' }),
    requests: async () => (await (await fetch(`${url}/_control`)).json()).requests,
    stop: () => { child.removeAllListeners('exit'); child.kill(); },
  };
}

/** Serves a release build (dist/ by default) with the given config.json, under `base`.
 * `hostStyle` 'github-pages' answers unknown paths with 404.html and status 404, like GitHub Pages. */
export async function startSite(config, base = '/', { dir = 'dist', hostStyle = 'spa' } = {}) {
  const { child, url } = await startProcess(
    ['tests/support/static_server.py', '--dir', path.join(ROOT, dir), '--port', '0',
      '--base', base, '--config-json', JSON.stringify(config), '--host-style', hostStyle], 'STATIC_READY');
  return { url, stop: () => { child.removeAllListeners('exit'); child.kill(); } };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/** A fresh context (no storage) and page; page errors fail the test that reads `errors`. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && /panicked|RuntimeError|unreachable/.test(m.text())) errors.push(m.text()); });
  // A part of the app fetched on first use that could not be loaded (its loader logs why).
  page.on('console', (m) => { if (m.type() === 'error' && /__wasm_split/.test(m.location()?.url ?? '')) errors.push(`part not loaded: ${m.text()}`); });
  // What the page went through, for the message of a wait that times out (see `waitShowing`).
  const started = Date.now();
  const log = [];
  let dropped = 0;
  // The last 200 entries: those nearest a timeout matter most.
  const note = (what) => {
    log.push(`${((Date.now() - started) / 1000).toFixed(2)} s ${what}`);
    if (log.length > 200) { log.shift(); dropped += 1; log[0] = `(${dropped} earlier entries dropped) ${log[0]}`; }
  };
  page.on('pageerror', (e) => note(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') note(`console ${m.type()}: ${m.text().slice(0, 300)}`); });
  page.on('requestfailed', (r) => note(`request failed: ${r.url().slice(0, 160)} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) note(`HTTP ${r.status()}: ${r.url().slice(0, 160)}`); });
  DIAGNOSTICS.set(page, log);
  return { context, page, errors };
}

const DIAGNOSTICS = new WeakMap();

/**
 * Waits for `selector` like `page.waitForSelector`; when it times out, the error says what the
 * page showed and went through (errors, failed requests, the API's request log when `api` is
 * given), so that a failure on a CI machine can be understood from its log alone.
 */
export async function waitShowing(page, selector, { timeout = 30000, api } = {}) {
  try {
    return await page.waitForSelector(selector, { timeout });
  } catch (e) {
    const lines = [`${e.message.split('\n')[0]}`, `url: ${page.url()}`];
    // Bounded: a page whose main thread is stuck must not hang the report.
    const within = (p, what) => Promise.race([p, new Promise((r) => setTimeout(() => r(what), 3000))]);
    const shown = await within(page.evaluate(() => document.body?.innerText ?? '').catch((x) => `(unreadable: ${x})`), '(the page did not answer)');
    lines.push(`page text: ${shown.replace(/\s+/g, ' ').slice(0, 800)}`);
    lines.push('page log:', ...(DIAGNOSTICS.get(page) ?? []).map((l) => `  ${l}`));
    if (api) {
      const reqs = await within(api.requests().catch(() => []), []);
      lines.push(`API requests (${reqs.length}, last 40):`,
        ...reqs.slice(-40).map((r) => `  in=${r.t_in} out=${r.t} ${r.status} ${r.method} ${r.path} ${JSON.stringify(r.query).slice(0, 140)}`));
    }
    const err = new Error(lines.join('\n'), { cause: e });
    err.name = e.name;
    throw err;
  }
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the results table shows a complete load (no pages still arriving, no refresh running). */
export async function waitForTable(page, timeout = 30000, api = undefined) {
  await waitShowing(page, '.results-view[data-state="complete"] table.results', { timeout, api });
}

/**
 * Waits until the complete rows on screen are in the results cache (written just after they
 * are shown): a reload or revisit that is to find them must wait for this.
 */
export async function waitForSaved(page, timeout = 30000) {
  await waitShowing(page, '.results-view[data-state="complete"][data-saved]', { timeout });
}

/** Display rules of the table, as the product specifies them (2 decimals for scores, 3 for accuracy). */
export const fmt = {
  fixed: (x, d) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(d)),
  time: (s) => (s && s.length >= 16 && (s[10] === 'T' || s[10] === ' ') ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : (s ?? '—')),
};

/** The table as the user sees it: one object per body row, keyed by column key. */
export async function readTable(page) {
  return page.$$eval('table.results tbody tr', (trs) => trs.map((tr) => {
    const row = { _id: tr.dataset.id, failed: tr.classList.contains('failed') };
    for (const td of tr.querySelectorAll('td[data-col]')) {
      const badge = td.querySelector('.badge');
      row[td.dataset.col] = (badge ? td.textContent.replace(badge.textContent, '') : td.textContent).trim();
    }
    const img = tr.querySelector('td.fig-col img');
    row.img = img ? img.getAttribute('src') : null;
    row.missingFigure = !!tr.querySelector('[data-testid="figure-missing"]');
    return row;
  }));
}

/**
 * Registers before/after hooks of the current `describe` that start the sample API, the site
 * (config pointing at that API, S3 through the API's /s3 unless `mirror` is false) and Chromium,
 * and stop them. Returns the object the hooks fill: { api, site, browser }.
 */
export function useStack({ base = '/', dir = 'dist', hostStyle = 'spa', mirror = true } = {}) {
  const stack = {};
  before(async () => {
    stack.api = await startSampleApi();
    const config = mirror ? { api_base: stack.api.url, s3_base: `${stack.api.url}/s3` } : { api_base: stack.api.url };
    stack.site = await startSite(config, base, { dir, hostStyle });
    stack.browser = await launchBrowser();
  });
  after(async () => {
    await stack.browser?.close();
    stack.site?.stop();
    stack.api?.stop();
  });
  return stack;
}
