/**
 * `gamelift-admin-shell web` end to end, as a user runs it: the built command against the GameLift Streams
 * API emulator (the real AWS SDK, signed requests) and the agent emulator (a real shell), the page in
 * headless Chromium. Also what the local server gives a request that does not hold the secret: nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import type { GameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  awsEnv,
  emulatorArgs,
  MAIN,
  TEST_CREDENTIALS,
} from '../../packages/admin-shell/test/helpers/built-cli.js';
import { describeInChromium, launchChromium } from './chromium.js';

// Run in the page by page.evaluate (this file is compiled for Node): the page's globals, typed here.
declare const document: { querySelectorAll(selector: string): Iterable<PageElement> };
declare const navigator: {
  clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> };
};
interface PageElement {
  textContent: string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}

interface Command {
  child: ChildProcess;
  url: string;
  origin: string;
  secret: string;
  stderr(): string;
  exit: Promise<number | null>;
}

/** Starts the built `web` command and waits for the address it prints. */
async function startWeb(em: GameLiftStreamsEmulator): Promise<Command> {
  const child = spawn(process.execPath, [MAIN, 'web', ...emulatorArgs(em)], {
    env: awsEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  child.stdout!.resume();
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + 20_000;
  let match: RegExpMatchArray | null = null;
  while (match === null) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no address printed:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    match = stderr.match(/(http:\/\/127\.0\.0\.1:\d+)\/#k=([A-Za-z0-9_-]{43})/);
  }
  return { child, url: match[0], origin: match[1]!, secret: match[2]!, stderr: () => stderr, exit };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to the local server, with exactly the headers given. */
function call(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const target = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'GET',
        headers: { host: target.host, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (text: string) => {
          body += text;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (origin: string) => ({ 'content-type': 'application/json', origin });

/** The terminal's text as the page shows it, each line without its trailing blanks. */
async function screen(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rows are blocks; innerText gives a line per row.
  const text = await page.locator('.xterm-rows').innerText();
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

async function waitForScreen(page: Page, pattern: RegExp, timeout = 15_000): Promise<void> {
  await expect.poll(() => screen(page), { timeout, interval: 100 }).toMatch(pattern);
}

describeInChromium('gamelift-admin-shell web in headless Chromium', () => {
  let em: GameLiftStreamsEmulator;
  let browser: Browser;
  const commands: Command[] = [];

  beforeAll(async () => {
    [em, browser] = await Promise.all([
      startGameLiftStreamsEmulator({
        credentials: TEST_CREDENTIALS,
        agent: { shell: { file: '/bin/sh', env: { PS1: 'admin$ ' } }, sendExitCode: true },
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    for (const command of commands) command.child.kill('SIGKILL');
    await browser?.close();
    await em?.close();
  });

  async function web(): Promise<Command> {
    const command = await startWeb(em);
    commands.push(command);
    return command;
  }

  async function openPage(
    command: Command,
    beforeLoad?: (page: Page) => Promise<unknown>,
  ): Promise<{
    context: BrowserContext;
    page: Page;
    requests: string[];
    sockets: string[];
    errors: string[];
  }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 620 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: command.origin });
    const page = await context.newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // A script error, or a resource the Content-Security-Policy refused, shows up here.
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await beforeLoad?.(page);
    await page.goto(command.url);
    return { context, page, requests, sockets, errors };
  }

  it('a request without the secret gets nothing; the secret works once', async () => {
    const command = await web();
    const { origin, secret } = command;
    const host = new URL(origin).host;
    const createCalls = () => em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell').length;
    const callsBefore = createCalls();

    const page = await call(origin, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.body).not.toContain(secret);

    const refused = [
      await call(origin, '/api/claim', { method: 'POST', headers: json(origin), body: '{}' }),
      await call(origin, '/api/claim', {
        method: 'POST',
        headers: json(origin),
        body: JSON.stringify({ secret: `${secret.slice(1)}x` }),
      }),
      await call(origin, '/api/claim', {
        method: 'POST',
        headers: json('http://evil.example'),
        body: JSON.stringify({ secret }),
      }),
      await call(origin, '/api/claim', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin },
        body: JSON.stringify({ secret }),
      }),
      await call(origin, '/api/claim', {
        method: 'POST',
        headers: { ...json(origin), 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify({ secret }),
      }),
      await call(origin.replace('127.0.0.1', 'rebound.example'), '/api/claim', {
        method: 'POST',
        headers: {
          ...json(`http://rebound.example:${new URL(origin).port}`),
          host: `rebound.example:${new URL(origin).port}`,
        },
        body: JSON.stringify({ secret }),
      }),
      await call(origin, '/api/credentials', { method: 'POST', headers: json(origin), body: '{}' }),
      await call(origin, '/api/credentials', {
        method: 'POST',
        headers: { ...json(origin), authorization: `Bearer ${secret}` },
        body: '{}',
      }),
      await call(origin, '/api/ended', { method: 'POST', headers: json(origin), body: '{"reason":"local"}' }),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(403);
      expect(answer.body).not.toMatch(/pageKey|tokenValue|streamUrl/);
    }
    expect((await call(origin, '/api/credentials')).status).toBe(404);
    expect((await call(origin, '/assets/../../package.json')).status).toBe(404);
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    // None of it reached the API.
    expect(createCalls()).toBe(callsBefore);

    const claimed = await call(origin, '/api/claim', {
      method: 'POST',
      headers: json(origin),
      body: JSON.stringify({ secret }),
    });
    expect(claimed.status).toBe(200);
    expect(JSON.parse(claimed.body)).toMatchObject({ streamSessionId: em.streamSessionId });
    // Watch the command as the page does, so that it waits for this claimer.
    const watch = request({
      host: '127.0.0.1',
      port: new URL(origin).port,
      path: '/api/watch',
      method: 'POST',
      headers: {
        host,
        ...json(origin),
        authorization: `Bearer ${(JSON.parse(claimed.body) as { pageKey: string }).pageKey}`,
      },
    });
    watch.on('error', () => {});
    watch.end('{}');
    const again = await call(origin, '/api/claim', {
      method: 'POST',
      headers: json(origin),
      body: JSON.stringify({ secret }),
    });
    expect(again.status).toBe(403);

    // The page opened with the spent address says so, and gets no session either.
    const { context, page: tab } = await openPage(command);
    await expect.poll(() => tab.locator('#status').textContent()).toMatch(/opened already/);
    await context.close();
    expect(createCalls()).toBe(callsBefore);
    command.child.kill('SIGINT');
    expect(await command.exit).toBe(130);
  });

  it('a page that dies between its claim and its watch ends the command within seconds', async () => {
    const command = await web();
    const claimed = await call(command.origin, '/api/claim', {
      method: 'POST',
      headers: json(command.origin),
      body: JSON.stringify({ secret: command.secret }),
    });
    expect(claimed.status).toBe(200);
    const claimedAt = Date.now();
    expect(await command.exit).toBe(0);
    expect(Date.now() - claimedAt).toBeLessThan(10_000);
    expect(command.stderr()).toMatch(/the page was closed/);
  });

  it('open the page, type a command, see its output, resize, copy and paste, exit: the command ends with its status', async () => {
    const command = await web();
    const { context, page, requests, sockets, errors } = await openPage(command);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
    await waitForScreen(page, /^admin\$$/m);

    await page.keyboard.type('echo hello-$((6*7))\n');
    await waitForScreen(page, /^hello-42$/m);

    const session = await em.terminalSession();
    const sizeBefore = session.stats().lastSize!;
    await page.keyboard.type('stty size\n');
    await waitForScreen(page, new RegExp(`^${sizeBefore.rows} ${sizeBefore.cols}$`, 'm'));

    // Resizes follow the page.
    await page.setViewportSize({ width: 700, height: 420 });
    await expect.poll(() => session.stats().lastSize).not.toEqual(sizeBefore);
    const sizeAfter = session.stats().lastSize!;
    expect(sizeAfter.cols).toBeLessThan(sizeBefore.cols);
    expect(sizeAfter.rows).toBeLessThan(sizeBefore.rows);
    await page.keyboard.type('clear; stty size\n');
    await waitForScreen(page, new RegExp(`^${sizeAfter.rows} ${sizeAfter.cols}$`, 'm'));

    // Copy: a double click selects a word of the output, Ctrl+Shift+C copies it.
    await page.keyboard.type('echo copy-me-$((40+2))\n');
    await waitForScreen(page, /^copy-me-42$/m);
    const spot = await page.evaluate((cols) => {
      const row = [...document.querySelectorAll('.xterm-rows > div')].find(
        (r) => r.textContent?.trim() === 'copy-me-42',
      )!;
      const rect = row.getBoundingClientRect();
      return { x: rect.left + (rect.width / cols) * 3.5, y: rect.top + rect.height / 2 };
    }, sizeAfter.cols);
    await page.mouse.dblclick(spot.x, spot.y);
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-42');

    // Paste: Ctrl+Shift+V types the clipboard into the shell.
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((2+3))'));
    await page.keyboard.press('Control+Shift+V');
    await waitForScreen(page, /^admin\$ echo pasted-\$\(\(2\+3\)\)$/m);
    await page.keyboard.press('Enter');
    await waitForScreen(page, /^pasted-5$/m);

    // The end: shown in the page, and the command's exit status is the shell's.
    await page.keyboard.type('exit 3\n');
    await expect
      .poll(() => page.locator('#status').textContent())
      .toMatch(/The session ended \(exit status 3\)/);
    expect(await command.exit).toBe(3);
    expect(command.stderr()).toMatch(/the session ended \(exit status 3\)/);

    // Nothing but the local server and the data channel: no remote resource.
    expect(requests.length).toBeGreaterThan(3);
    for (const url of requests) expect(url.startsWith(`${command.origin}/`), url).toBe(true);
    expect(sockets).toHaveLength(1);
    expect(new URL(sockets[0]!).hostname).toBe('127.0.0.1');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keys typed and a resize made while connecting reach the session once it opens', async () => {
    const command = await web();
    // The page's call for access is held until the keys are typed: it is still connecting meanwhile.
    let typed!: () => void;
    const held = new Promise<void>((resolve) => {
      typed = resolve;
    });
    const { context, page } = await openPage(command, (p) =>
      p.route('**/api/credentials', async (route) => {
        await held;
        await route.continue();
      }),
    );
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Calling/);
    await page.keyboard.type('echo early-$((1+1))\n');
    // Narrow enough that the status line wraps differently as it changes while connecting.
    await page.setViewportSize({ width: 600, height: 300 });
    typed();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
    await waitForScreen(page, /^early-2$/m);
    const rows = await page.locator('.xterm-rows > div').count();
    const session = await em.terminalSession();
    await expect.poll(() => session.stats().lastSize?.rows).toBe(rows);
    await page.keyboard.type('stty size\n');
    await waitForScreen(page, new RegExp(`^${rows} ${session.stats().lastSize!.cols}$`, 'm'));
    await page.keyboard.type('exit\n');
    expect(await command.exit).toBe(0);
    await context.close();
  });

  it('a page that dies without a word (a crash) ends the command within seconds', async () => {
    const command = await web();
    const { context, page } = await openPage(command);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
    const session = await em.terminalSession();
    try {
      const cdp = await context.newCDPSession(page);
      const crashedAt = Date.now();
      void cdp.send('Page.crash').catch(() => undefined);
      expect(await command.exit).toBe(0);
      expect(Date.now() - crashedAt).toBeLessThan(10_000);
      expect(command.stderr()).toMatch(/the page was closed/);
    } finally {
      await context.close();
      // Nobody told the shell to end: it lingers, as the service's would until its idle timeout. The next
      // tests get a shell of their own.
      session.terminate();
    }
  });

  it('a session that ends with a long farewell (escapes, 20,000 characters) still ends the command', async () => {
    const command = await web();
    const { context, page } = await openPage(command);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
    const session = await em.terminalSession();
    session.terminate(`farewell ${'\x1b'.repeat(3_000)}${'x'.repeat(20_000)}`);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^The session ended/);
    expect(await command.exit).toBe(0);
    // What the page passed on, cut to what the server keeps, without its escapes.
    expect(command.stderr()).toMatch(/session ended: farewell/);
    await context.close();
  });

  it('Ctrl-C ends the command and the session in the page', async () => {
    const command = await web();
    const { context, page } = await openPage(command);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
    command.child.kill('SIGINT');
    expect(await command.exit).toBe(130);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/command was stopped/);
    await context.close();
  });
});
