import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { type CloseInfo, connectWebDataChannel, SsmChannelError, type WebDataChannel } from 'ssm-channel';
import { type AgentEmulator, deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SEND_QUEUE_LIMIT } from '../../src/transport/web-socket-transport.js';
import { RecordingWebSocket, readAll, WsWebSocket } from './ws-web-socket.js';

const emulators: AgentEmulator[] = [];
const channels: WebDataChannel[] = [];
afterEach(async () => {
  for (const channel of channels.splice(0)) channel.close();
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function emulator(options: Parameters<typeof startAgentEmulator>[0]): Promise<AgentEmulator> {
  const e = await startAgentEmulator(options);
  emulators.push(e);
  return e;
}

async function connect(
  agent: { url: string; tokenValue: string },
  options: Partial<Parameters<typeof connectWebDataChannel>[0]> = {},
): Promise<WebDataChannel> {
  const channel = await connectWebDataChannel({
    streamUrl: agent.url,
    tokenValue: agent.tokenValue,
    WebSocket: WsWebSocket,
    ...options,
  });
  channels.push(channel);
  return channel;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('connectWebDataChannel under Node (ws behind the WHATWG shape)', () => {
  it('echoes bytes through a handshake session and reports stats', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connect(agent);
    expect(channel.session?.handshake).toBe(true);
    const writer = channel.writable.getWriter();
    await writer.write(encode('hello, agent'));
    const echoed = await readAll(channel.readable, 12);
    expect(new TextDecoder().decode(echoed)).toBe('hello, agent');
    expect(channel.stats()).toMatchObject({ bytesIn: 12, reconnects: 0 });
    expect(channel.stats().bytesOut).toBeGreaterThanOrEqual(12);
    channel.close();
    expect((await channel.closed).reason).toBe('local');
  });

  it('receives a 3 MB source byte for byte, ends at channel_closed, then refuses writes', async () => {
    const agent = await emulator({ mode: 'source', source: { bytes: 3_000_000, seed: 7 } });
    const channel = await connect(agent);
    const received = await readAll(channel.readable);
    expect(received.length).toBe(3_000_000);
    expect(sha256(received)).toBe(sha256(deterministicBytes(7, 3_000_000)));
    const info: CloseInfo = await channel.closed;
    expect(info.reason).toBe('channel_closed');
    await expect(channel.writable.getWriter().write(encode('late'))).rejects.toMatchObject({
      code: 'CHANNEL_CLOSED',
    });
  });

  it('a reader that stalls: the output waits within the budgets and arrives intact once it reads', async () => {
    const bytes = 1_500_000;
    // The official agent resends one message per 100 ms tick; this one resends everything timed out at once,
    // so that the test does not wait for the slow recovery the official agent would make.
    const agent = await emulator({
      mode: 'source',
      source: { bytes, seed: 3 },
      agent: { maxRtoMs: 200, minRetransmitIntervalMs: 0, maxRetransmitBurst: 1024 },
    });
    const channel = await connect(agent, {
      limits: { outputBufferBytes: 64 * 1024, reorderBufferBytes: 64 * 1024 },
    });
    // Nothing read for a while: the socket keeps delivering (a WebSocket cannot pause), the engine keeps
    // at most its two budgets and leaves the rest unacknowledged.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const held = channel.stats();
    expect(held.bytesIn).toBeLessThanOrEqual(64 * 1024);
    const received = await readAll(channel.readable);
    expect(sha256(received)).toBe(sha256(deterministicBytes(3, bytes)));
    // What was left unacknowledged came again.
    expect(agent.stats().retransmissions).toBeGreaterThan(0);
    expect((await channel.closed).reason).toBe('channel_closed');
  });

  it('writable.close() resolves once the agent acknowledged every byte', async () => {
    const agent = await emulator({ mode: 'sink', handshake: true });
    const channel = await connect(agent);
    const input = deterministicBytes(11, 1_000_000);
    const writer = channel.writable.getWriter();
    for (let at = 0; at < input.length; at += 50_000) await writer.write(input.subarray(at, at + 50_000));
    await writer.close();
    expect(agent.stats().sink).toEqual({ bytes: input.length, sha256: sha256(input) });
  });

  it('a slow uplink (the agent reads 1 MB/s) under heavy output: the stream and the acks stay intact', async () => {
    RecordingWebSocket.maxBuffered = 0;
    const bytes = 4_000_000;
    const agent = await emulator({
      mode: 'source',
      source: { bytes, seed: 5 },
      faults: { uplinkBytesPerSecond: 1_000_000 },
      agent: { maxRtoMs: 200, minRetransmitIntervalMs: 0, maxRetransmitBurst: 1024 },
    });
    const channel = await connect(agent, { WebSocket: RecordingWebSocket });
    const received = await readAll(channel.readable);
    expect(sha256(received)).toBe(sha256(deterministicBytes(5, bytes)));
    expect((await channel.closed).reason).toBe('channel_closed');
    expect(agent.stats().faults.uplinkPauses).toBeGreaterThan(0);
    // Whatever the kernel did not take waited in the WebSocket's queue, which never passed its limit.
    expect(RecordingWebSocket.maxBuffered).toBeLessThan(SEND_QUEUE_LIMIT);
  }, 30_000);

  it('sends the terminal size at the start and on resize()', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connect(agent, { terminalSize: { cols: 100, rows: 30 } });
    await expect.poll(() => agent.stats().lastSize).toEqual({ cols: 100, rows: 30 });
    channel.resize(132, 43);
    await expect.poll(() => agent.stats().lastSize).toEqual({ cols: 132, rows: 43 });
    expect(() => channel.resize(0, 10)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('a refused token is AUTH_FAILED (close code 1008 before any frame)', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    await expect(connect({ url: agent.url, tokenValue: 'not-the-token' })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it('keeps the URL rule and refuses unknown options at once', () => {
    const base = { tokenValue: 't', WebSocket: WsWebSocket };
    expect(() => connectWebDataChannel({ ...base, streamUrl: 'ws://example.com/x' })).toThrow(
      expect.objectContaining({ code: 'INSECURE_URL' }),
    );
    expect(() => connectWebDataChannel({ ...base, streamUrl: 'https://example.com/x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      connectWebDataChannel({
        ...base,
        streamUrl: 'wss://example.com/x',
        timeouts: { pingIntervalMs: 5 } as never,
      }),
    ).toThrow(/timeouts\.pingIntervalMs is not an option/);
    // Node 20 has no global WebSocket: the error says what to pass.
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      expect(() => connectWebDataChannel({ streamUrl: 'wss://example.com/x', tokenValue: 't' })).toThrow(
        /no global WebSocket/,
      );
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });

  it('an abort ends the channel: both streams error with ABORTED and closed says aborted', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const controller = new AbortController();
    const channel = await connect(agent, { signal: controller.signal });
    const reading = readAll(channel.readable);
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'ABORTED' });
    const info = await channel.closed;
    expect(info.reason).toBe('aborted');
    await expect(channel.writable.getWriter().write(encode('x'))).rejects.toBeInstanceOf(SsmChannelError);
  });

  it('cancelling the readable closes the channel locally', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connect(agent);
    await channel.readable.cancel();
    expect((await channel.closed).reason).toBe('local');
  });

  it('a lost connection without reconnect is CONNECTION_LOST; with reconnect the stream goes on intact', async () => {
    const cut = await emulator({
      mode: 'source',
      source: { bytes: 400_000 },
      faults: { cut: { afterBytes: 100_000 } },
    });
    const lost = await connect(cut);
    await expect(readAll(lost.readable)).rejects.toMatchObject({ code: 'CONNECTION_LOST' });

    const agent = await emulator({
      mode: 'source',
      source: { bytes: 400_000, seed: 9 },
      faults: { cut: { afterBytes: 100_000 } },
    });
    const channel = await connect(agent, {
      reconnect: { credentials: async () => agent.issueToken(), initialDelayMs: 10 },
    });
    const received = await readAll(channel.readable);
    expect(sha256(received)).toBe(sha256(deterministicBytes(9, 400_000)));
    expect(channel.stats().reconnects).toBe(1);
  });

  it('a message over limits.maxMessageBytes is FRAME_TOO_LARGE', async () => {
    const agent = await emulator({ mode: 'source', source: { bytes: 100_000 } });
    const channel = await connect(agent, { limits: { maxMessageBytes: 600 } }).catch(
      (error: unknown) => error,
    );
    // The first output message (over 600 bytes) may end the channel before or after the start.
    const error =
      channel instanceof SsmChannelError
        ? channel
        : await readAll((channel as WebDataChannel).readable).catch((e) => e);
    expect(error).toMatchObject({ code: 'FRAME_TOO_LARGE' });
  });

  it('never shows the token in inspect() output', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connect(agent);
    expect(inspect(channel, { depth: 10, showHidden: true })).not.toContain(agent.tokenValue);
  });
});
