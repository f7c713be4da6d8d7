// Headless Chromium for the browser benchmarks, driven over its DevTools pipe by the few lines below rather
// than by Playwright. Playwright enables DevTools' Network domain on every page it opens, and Chromium then
// reports each WebSocket message, both ways, to the DevTools client (two events per received message, the
// payload included): on this machine that cost the page about 85 µs of CPU and Chromium's browser process
// about 130 µs per received 1 KiB message, and more than halved what any page, a bare WebSocket included,
// could receive. A user's page has no such client attached; the benchmarks measure it that way.
//
// Only what the benchmarks need: open a page, wait for it, evaluate an expression (awaiting a promise), and
// send any other DevTools command to the page (Performance.getMetrics, Profiler.*). No domain is enabled
// unless the caller enables it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Chromium's flags: no sandbox (root in a container), no GPU, nothing that calls Google's hosts, and no
 * throttling of timers or renderers in the background (as Playwright launches it).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
];

/**
 * Starts headless Chromium with a fresh profile and a DevTools pipe (`--remote-debugging-pipe`: commands on
 * fd 3, answers and events on fd 4, NUL-terminated JSON).
 * @param {string} executablePath
 * @returns {Promise<{ version: string, newPage(url: string): Promise<BenchPage>, close(): Promise<void> }>}
 */
export async function launchChromium(executablePath) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const child = spawn(executablePath, [...FLAGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const [toChromium, fromChromium] = [child.stdio[3], child.stdio[4]];
  // A Chromium that is missing or dies shows as `failed` below; writing to its pipe then only fails too.
  toChromium.on('error', () => undefined);
  const failed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start ${executablePath}: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`${executablePath} exited (${code}) before it answered`)));
  });
  const calls = new Map();
  let nextId = 0;
  let exited = false;
  child.once('exit', () => {
    exited = true;
    for (const { reject } of calls.values()) reject(new Error('Chromium exited'));
    calls.clear();
  });
  // The text of a message not yet ended (a profile runs to megabytes: kept in pieces until its NUL).
  let pending = [];
  fromChromium.setEncoding('utf8');
  fromChromium.on('data', (text) => {
    if (!text.includes('\0')) {
      pending.push(text);
      return;
    }
    const parts = [...pending, text].join('').split('\0');
    pending = [parts.pop()];
    for (const part of parts) {
      const message = JSON.parse(part);
      const call = message.id === undefined ? undefined : calls.get(message.id);
      if (call === undefined) continue;
      calls.delete(message.id);
      if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
      else call.resolve(message.result);
    }
  });
  /** One DevTools command, to the browser or (with `sessionId`) to a page. */
  const send = (method, params = {}, sessionId = undefined) =>
    new Promise((resolve, reject) => {
      if (exited) throw new Error('Chromium exited');
      const id = ++nextId;
      calls.set(id, { method, resolve, reject });
      toChromium.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });

  const { product } = await Promise.race([send('Browser.getVersion'), failed]).catch((error) => {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  });
  failed.catch(() => undefined);
  return {
    /** Chromium's version, e.g. 156.0.8078.114. */
    version: product.replace(/^.*\//, ''),
    async newPage(url) {
      const { targetId } = await send('Target.createTarget', { url });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      return new BenchPage((method, params) => send(method, params, sessionId));
    },
    async close() {
      if (!exited) {
        const gone = once(child, 'exit');
        await send('Browser.close').catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page: DevTools commands to it, and evaluation in its main world. */
class BenchPage {
  constructor(send) {
    /** Sends one DevTools command to this page. */
    this.send = send;
  }

  /** Calls `fn(...args)` in the page (its source text, so no closure) and returns its JSON result. */
  async evaluate(fn, ...args) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression: `(${fn})(...${JSON.stringify(args)})`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails !== undefined) {
      throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    }
    return result.value;
  }

  /** Resolves once `document.title` is `title` (polled every 20 ms, for at most `timeoutMs`). */
  async waitForTitle(title, timeoutMs = 30_000) {
    const deadline = performance.now() + timeoutMs;
    // Evaluating while the page navigates may fail: try again.
    while ((await this.evaluate(() => document.title).catch(() => undefined)) !== title) {
      if (performance.now() > deadline) throw new Error(`the page's title did not become "${title}"`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
