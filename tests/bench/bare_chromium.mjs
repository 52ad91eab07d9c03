// A Chromium driven through a bare DevTools pipe, for timing the app as people run it.
//
// Playwright enables the DevTools Network domain on every page it drives: the browser process
// then observes every response, and a load of 47 MB of JSON costs it several CPU seconds (on a
// 2-core machine, about 4.5 s of the browser process for one 3.4 s load, against 0.5 s here),
// time taken from the page being measured. This driver speaks only `Target`, `Page.navigate`
// and `Runtime.evaluate` (to read the page's own `performance` marks), so the browser does what
// it does for a user. Browser contexts are fresh profiles, as Playwright's are.
import { spawn } from 'node:child_process';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
  '--remote-debugging-pipe', '--window-size=1360,900', 'about:blank'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function launchBare() {
  const proc = spawn(process.env.CHROMIUM || '/usr/bin/chromium', FLAGS,
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const [toBrowser, fromBrowser] = [proc.stdio[3], proc.stdio[4]];
  let id = 0;
  const pending = new Map();
  // Bytes, split at NUL before decoding: a chunk may end inside a multi-byte character.
  let buffer = Buffer.alloc(0);
  fromBrowser.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    let end;
    while ((end = buffer.indexOf(0)) >= 0) {
      const msg = JSON.parse(buffer.subarray(0, end).toString('utf8'));
      buffer = buffer.subarray(end + 1);
      const waiter = msg.id && pending.get(msg.id);
      if (waiter) {
        pending.delete(msg.id);
        if (msg.error) waiter.reject(new Error(`${waiter.method}: ${msg.error.message}`));
        else waiter.resolve(msg.result);
      }
    }
  });
  // A browser that dies fails every call still waiting for it (no wait hangs on a dead pipe).
  let dead = null;
  const exited = new Promise((r) => proc.on('exit', (code, signal) => {
    dead = `Chromium exited (${code ?? signal})`;
    for (const [, waiter] of pending) waiter.reject(new Error(`${waiter.method}: Chromium exited (${code ?? signal})`));
    pending.clear();
    r();
  }));
  toBrowser.on('error', () => {});
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    if (dead) { reject(new Error(`${method}: ${dead}`)); return; }
    id += 1;
    pending.set(id, { resolve, reject, method });
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
  });

  /** A tab in a browser context: navigate it, read values from its page. */
  async function tab(browserContextId) {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    const evaluate = async (expression) => {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
      if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
      return r.result.value;
    };
    return {
      async goto(url) {
        const r = await send('Page.navigate', { url }, sessionId);
        if (r.errorText) throw new Error(`navigating to ${url}: ${r.errorText}`);
      },
      evaluate,
      /** Polls `expression` until it gives something other than null/undefined/false. */
      async waitFor(expression, timeoutMs = 600000) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          let v;
          try {
            v = await evaluate(expression);
          } catch (e) {
            if (/Chromium exited/.test(e.message)) throw e;
            v = null; // the document may be changing
          }
          if (v !== null && v !== undefined && v !== false) return v;
          if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
          await sleep(50);
        }
      },
    };
  }

  return {
    pid: proc.pid,
    async newContext() {
      const { browserContextId } = await send('Target.createBrowserContext', {});
      return {
        newPage: () => tab(browserContextId),
        close: () => send('Target.disposeBrowserContext', { browserContextId }),
      };
    },
    async close() {
      try { await Promise.race([send('Browser.close'), sleep(2000)]); } catch { /* already gone */ }
      proc.kill();
      await exited;
    },
  };
}
