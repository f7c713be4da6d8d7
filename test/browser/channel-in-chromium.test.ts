/**
 * `ssm-channel`'s browser build in headless Chromium: the golden vectors through the page's codec (the
 * `@noble/hashes` SHA-256, checked against WebCrypto's and against the Node build's results), and
 * `connectWebDataChannel` over Chromium's own WebSocket against the agent emulator.
 */
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import * as ssm from 'ssm-channel';
import { type AgentEmulator, deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import messages from '../../packages/ssm-channel/test/fixtures/messages.json' with { type: 'json' };
import payloads from '../../packages/ssm-channel/test/fixtures/payloads.json' with { type: 'json' };
import { describeInChromium, launchChromium } from './chromium.js';
import { type ServedPage, servePage } from './page-server.js';

// Run in the page by page.evaluate (this file is compiled for Node): the page's globals, typed here.
declare const document: { title: string };
// biome-ignore lint/suspicious/noExplicitAny: the test page's functions take and return plain data.
type PageFunction = (...args: any[]) => Promise<any>;
type PageGlobal = Record<
  'runVectors' | 'echoSession' | 'readSource' | 'connectError' | 'abortSession' | 'busySession',
  PageFunction
>;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

describeInChromium('ssm-channel in headless Chromium', () => {
  let browser: Browser;
  let served: ServedPage;
  let page: Page;
  const emulators: AgentEmulator[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    [browser, served] = await Promise.all([launchChromium(), servePage('./pages/channel-page.js')]);
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(served.url);
    await page.waitForFunction(() => document.title === 'ready');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await Promise.all(emulators.map((e) => e.close()));
    expect(errors).toEqual([]);
  });

  async function emulator(options: Parameters<typeof startAgentEmulator>[0]): Promise<AgentEmulator> {
    const e = await startAgentEmulator(options);
    emulators.push(e);
    return e;
  }

  it('runs every golden vector in the page: the same fields, bytes and payload outcomes as the Node build', async () => {
    const inPage = await page.evaluate(() => (globalThis as unknown as PageGlobal).runVectors());
    expect(inPage.messages).toHaveLength(messages.vectors.length);
    for (const [i, v] of messages.vectors.entries()) {
      const got = inPage.messages[i];
      expect(got.id).toBe(v.id);
      expect(got.error, v.id).toBeUndefined();
      expect(got.encodedHex, v.id).toBe(v.hex);
      expect(got.roundTripHex, v.id).toBe(v.hex);
      const m = ssm.decodeAgentMessage(fromHex(v.hex));
      expect(got.decoded, v.id).toEqual({
        ...m,
        payload: hex(m.payload),
        payloadDigest: hex(m.payloadDigest),
      });
      expect(got.decoded.payloadDigest, v.id).toBe(v.fields.payloadDigestHex);
    }
    // Three SHA-256 implementations agree on every vector's payload: the page's codec, WebCrypto, node:crypto.
    for (const [i, d] of inPage.digests.entries()) {
      const payload = fromHex(messages.vectors[i]!.fields.payloadHex);
      expect(d.codec, d.id).toBe(d.webCrypto);
      expect(d.codec, d.id).toBe(sha256(payload));
    }
    // Every payload decoder on every payload vector: the page and Node give the same value or error code.
    const decoders = Object.entries(ssm)
      .filter(
        ([name, value]) =>
          name.startsWith('decode') && name !== 'decodeAgentMessage' && typeof value === 'function',
      )
      .sort(([a], [b]) => a.localeCompare(b)) as [string, (bytes: Uint8Array) => unknown][];
    const withJson = payloads.vectors.filter(
      (v): v is typeof v & { json: string } => typeof v.json === 'string',
    );
    expect(inPage.payloads).toHaveLength(withJson.length);
    expect(withJson.length).toBeGreaterThan(20);
    for (const [i, v] of withJson.entries()) {
      const expected: Record<string, unknown> = {};
      for (const [name, decode] of decoders) {
        try {
          expected[name] = JSON.parse(JSON.stringify(decode(new TextEncoder().encode(v.json))));
        } catch (error) {
          expected[name] = { error: (error as { code?: string }).code };
        }
      }
      expect(inPage.payloads[i].outcomes, v.id).toEqual(expected);
    }
  });

  it('connectWebDataChannel over Chromium’s WebSocket: echo, the size, stats, a local close', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const result = await page.evaluate(
      ([url, token]) => (globalThis as unknown as PageGlobal).echoSession(url, token),
      [agent.url, agent.tokenValue],
    );
    expect(result).toMatchObject({ text: 'hello from chromium', handshake: true, closed: 'local' });
    expect(result.stats.bytesIn).toBe(19);
    expect(agent.stats().lastSize).toEqual({ cols: 120, rows: 40 });
  });

  it('receives a 4 MB output stream intact, ending at channel_closed', async () => {
    const agent = await emulator({ mode: 'source', source: { bytes: 4_000_000, seed: 21 } });
    const result = await page.evaluate(
      ([url, token]) => (globalThis as unknown as PageGlobal).readSource(url, token),
      [agent.url, agent.tokenValue],
    );
    expect(result).toMatchObject({ bytes: 4_000_000, closed: 'channel_closed' });
    expect(result.sha256).toBe(sha256(deterministicBytes(21, 4_000_000)));
  });

  it('a reader that stalls: Chromium keeps delivering, the engine keeps its budgets, the stream arrives intact', async () => {
    const agent = await emulator({
      mode: 'source',
      source: { bytes: 1_500_000, seed: 22 },
      agent: { maxRtoMs: 200, minRetransmitIntervalMs: 0, maxRetransmitBurst: 1024 },
    });
    const limits = { outputBufferBytes: 64 * 1024, reorderBufferBytes: 64 * 1024 };
    const result = await page.evaluate(
      ([url, token, options]) => (globalThis as unknown as PageGlobal).readSource(url, token, options),
      [agent.url, agent.tokenValue, { stallMs: 600, limits }] as const,
    );
    expect(result.held).toBeLessThanOrEqual(64 * 1024);
    expect(result.sha256).toBe(sha256(deterministicBytes(22, 1_500_000)));
    expect(agent.stats().retransmissions).toBeGreaterThan(0);
  });

  it('maps failures to the same codes: a refused token, an insecure URL, an abort', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const evaluate = (name: string, ...args: unknown[]) =>
      page.evaluate(
        ([fn, rest]) => (globalThis as unknown as PageGlobal)[fn as keyof PageGlobal](...(rest as unknown[])),
        [name, args] as const,
      );
    expect(await evaluate('connectError', agent.url, 'not-the-token')).toBe('AUTH_FAILED');
    expect(await evaluate('connectError', 'ws://example.com/x', 't')).toBe('INSECURE_URL');
    expect(await evaluate('connectError', 'ws://127.0.0.1:1/x', 't')).toBe('CONNECT_FAILED');
    expect(await evaluate('abortSession', agent.url, agent.tokenValue)).toEqual({
      reader: 'ABORTED',
      closed: 'aborted',
    });
  });

  it('a page busy past every retransmission timeout reads the acks that arrived before resending anything', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const result = await page.evaluate(
      ([url, token]) => (globalThis as unknown as PageGlobal).busySession(url, token, 1_300),
      [agent.url, agent.tokenValue] as const,
    );
    expect(result.echoed).toBe(8 * 1024);
    expect(result.messagesOut).toBeGreaterThanOrEqual(8);
    expect(result.retransmissions).toBe(0);
  });
});
