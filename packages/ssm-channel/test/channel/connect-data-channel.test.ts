import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import {
  type ChannelTimeouts,
  checkChannelSettings,
  connectDataChannel,
  type DataChannel,
  type DataChannelSettings,
  type ReconnectOptions,
  SsmChannelError,
} from 'ssm-channel';
import { type AgentEmulator, deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { afterEach, describe, expect, it } from 'vitest';

const emulators: AgentEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function emulator(options: Parameters<typeof startAgentEmulator>[0]): Promise<AgentEmulator> {
  const e = await startAgentEmulator(options);
  emulators.push(e);
  return e;
}

/** Reads until the stream has produced `bytes` bytes (or ended). */
function readBytes(channel: DataChannel, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) done();
    };
    const done = (): void => {
      channel.off('data', onData);
      channel.off('end', done);
      channel.off('error', reject);
      resolve(Buffer.concat(chunks));
    };
    channel.on('data', onData);
    channel.once('end', done);
    channel.once('error', reject);
  });
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('connectDataChannel', () => {
  it('echoes bytes through a handshake session and reports stats', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    expect(channel.session?.handshake).toBe(true);
    channel.write('hello, agent');
    expect((await readBytes(channel, 12)).toString()).toBe('hello, agent');
    const stats = channel.stats();
    expect(stats.bytesOut).toBeGreaterThanOrEqual(12);
    expect(stats.bytesIn).toBe(12);
    channel.destroy();
    expect(await channel.whenClosed).toEqual({ reason: 'local' });
  });

  it('receives a 2 MB source byte for byte and ends with channel_closed', async () => {
    const bytes = 2 * 1024 * 1024;
    const agent = await emulator({ mode: 'source', source: { bytes, seed: 7 }, channelClosedOutput: 'done' });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    const received = await readBytes(channel, Number.POSITIVE_INFINITY);
    expect(received.length).toBe(bytes);
    expect(sha256(received)).toBe(sha256(deterministicBytes(7, bytes)));
    expect(await channel.whenClosed).toEqual({ reason: 'channel_closed', output: 'done' });
  });

  it('end() completes once the agent acknowledged every input byte', async () => {
    const agent = await emulator({ mode: 'sink', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    const input = deterministicBytes(3, 300_000);
    await new Promise<void>((resolve, reject) => {
      channel.once('error', reject);
      channel.end(input, resolve);
    });
    expect(agent.stats().sink).toEqual({ bytes: input.length, sha256: sha256(input) });
    channel.destroy();
  });

  it('rejects a wrong token with AUTH_FAILED and does not retry', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const started = Date.now();
    const error = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: 'not-the-token',
      reconnect: { credentials: () => Promise.resolve(agent.issueToken()) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmChannelError);
    expect((error as SsmChannelError).code).toBe('AUTH_FAILED');
    expect(String(error)).not.toContain('not-the-token');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(agent.stats().authFailures).toBe(1);
    expect(agent.stats().connections).toBe(0);
  });

  it('refuses ws:// to a host that is not loopback at once', () => {
    expect(() =>
      connectDataChannel({ streamUrl: 'ws://example.com/v1/data-channel/s', tokenValue: 't' }),
    ).toThrow(expect.objectContaining({ code: 'INSECURE_URL' }));
  });

  it('closes on abort and frees everything', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const controller = new AbortController();
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      signal: controller.signal,
    });
    const errored = new Promise((resolve) => channel.once('error', resolve));
    controller.abort();
    const info = await channel.whenClosed;
    expect(info.reason).toBe('aborted');
    expect(info.error?.code).toBe('ABORTED');
    expect(await errored).toBeInstanceOf(SsmChannelError);
  });

  it('one signal shared by 20 channels: no listener-leak warning, and its abort closes all of them', async () => {
    const agents = await Promise.all(
      Array.from({ length: 20 }, () => emulator({ mode: 'echo', handshake: true })),
    );
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const channels = await Promise.all(
        agents.map((agent) =>
          connectDataChannel({
            streamUrl: agent.url,
            tokenValue: agent.tokenValue,
            signal: controller.signal,
          }),
        ),
      );
      for (const channel of channels) channel.on('error', () => {});
      controller.abort();
      const infos = await Promise.all(channels.map((channel) => channel.whenClosed));
      expect(infos.map((info) => info.reason)).toEqual(Array(20).fill('aborted'));
      // Node emits its warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('detects a peer that stops answering pings', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      timeouts: { pingIntervalMs: 100, pongMs: 200 },
    });
    channel.on('error', () => undefined);
    agent.stall();
    const started = Date.now();
    const info = await channel.whenClosed;
    expect(info.error?.code).toBe('PEER_UNRESPONSIVE');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ends with CONNECTION_LOST when the socket drops and no reconnect is given', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    channel.on('error', () => undefined);
    agent.disconnect();
    const info = await channel.whenClosed;
    expect(info.error?.code).toBe('CONNECTION_LOST');
  });

  it('never shows the token in inspect() output', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    expect(inspect(channel, { depth: 6, showHidden: true })).not.toContain(agent.tokenValue);
    channel.destroy();
    await channel.whenClosed;
  });
});

describe('connectDataChannel against a hostile agent', () => {
  it('drops garbage frames (random bytes, lying lengths, bad digests, unknown types) and keeps the stream intact', async () => {
    const bytes = 512 * 1024;
    const agent = await emulator({
      mode: 'source',
      source: { bytes, seed: 4 },
      faults: { seed: 3, garbage: 0.2, direction: 'to-client' },
    });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    const received = await readBytes(channel, Number.POSITIVE_INFINITY);
    expect(sha256(received)).toBe(sha256(deterministicBytes(4, bytes)));
    expect(agent.stats().faults.garbage).toBeGreaterThan(50);
    expect((await channel.whenClosed).reason).toBe('channel_closed');
  });

  it('leaves no socket or timer behind after channel_closed', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = countHandles();
    const agent = await startAgentEmulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    channel.resume();
    agent.terminate('bye');
    const info = await channel.whenClosed;
    expect(info).toEqual({ reason: 'channel_closed', output: 'bye' });
    await agent.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = countHandles();
    for (const [name, count] of Object.entries(after)) expect(count).toBeLessThanOrEqual(before[name] ?? 0);
  });
});

/** Sockets, servers and timers alive in this process. */
function countHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    if (name === 'TCPSocketWrap' || name === 'TCPServerWrap' || name === 'Timeout') {
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

describe('connectDataChannel under faults, with reconnection', () => {
  const faults = { seed: 11, drop: 0.05, duplicate: 0.05, reorder: 0.05 };
  // The real agent resends one message per 100 ms tick; on a link that loses 5 % of the frames that would
  // take minutes, so the emulated agent resends every timed-out message at once.
  const agentLimits = { maxRetransmitBurst: 64, minRetransmitIntervalMs: 0 };

  it('delivers 20 MB of input through drop, duplication, reordering and 3 socket cuts', async () => {
    const agent = await emulator({
      mode: 'sink',
      handshake: true,
      agent: agentLimits,
      faults: { ...faults, cut: { afterBytes: 4_000_000, times: 3 } },
    });
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: { credentials: () => Promise.resolve(agent.issueToken()) },
    });
    const input = deterministicBytes(5, 20 * 1024 * 1024);
    for (let offset = 0; offset < input.length; offset += 64 * 1024) {
      if (!channel.write(input.subarray(offset, offset + 64 * 1024))) {
        await new Promise((resolve) => channel.once('drain', resolve));
      }
    }
    await new Promise<void>((resolve, reject) => {
      channel.once('error', reject);
      channel.end(resolve);
    });
    expect(agent.stats().sink).toEqual({ bytes: input.length, sha256: sha256(input) });
    expect(channel.stats().reconnects).toBe(3);
    expect(agent.stats().faults.cuts).toBe(3);
    channel.destroy();
  }, 120_000);

  it('receives 2 MB of output through drop, duplication, reordering and 3 socket cuts', async () => {
    const bytes = 2 * 1024 * 1024;
    const agent = await emulator({
      mode: 'source',
      source: { bytes, seed: 9 },
      agent: agentLimits,
      drainTimeoutMs: 30_000,
      faults: { ...faults, cut: { afterBytes: 500_000, times: 3 } },
    });
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: { credentials: () => Promise.resolve(agent.issueToken()) },
    });
    const received = await readBytes(channel, Number.POSITIVE_INFINITY);
    expect(sha256(received)).toBe(sha256(deterministicBytes(9, bytes)));
    expect(channel.stats().reconnects).toBe(3);
    expect((await channel.whenClosed).reason).toBe('channel_closed');
  }, 120_000);
});

describe('reconnection failures', () => {
  it('ends with RECONNECT_FAILED at once when the reconnect callback rejects, keeping its error as cause', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    let calls = 0;
    const refusal = new Error('the session was replaced');
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: {
        credentials: () => {
          calls += 1;
          return Promise.reject(refusal);
        },
      },
    });
    channel.on('error', () => undefined);
    agent.disconnect();
    const info = await channel.whenClosed;
    expect(info.error?.code).toBe('RECONNECT_FAILED');
    expect(info.error?.cause).toBe(refusal);
    expect(calls).toBe(1);
  });

  it('retries connections a bounded number of times, then ends with RECONNECT_FAILED', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    let calls = 0;
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: {
        maxAttempts: 3,
        initialDelayMs: 10,
        credentials: () => {
          calls += 1;
          return Promise.resolve({ streamUrl: agent.url, tokenValue: 'a-token-the-agent-refuses' });
        },
      },
    });
    channel.on('error', () => undefined);
    agent.disconnect();
    const info = await channel.whenClosed;
    expect(info.error?.code).toBe('RECONNECT_FAILED');
    expect(info.error?.cause).toMatchObject({ code: 'AUTH_FAILED' });
    expect(calls).toBe(3);
    expect(JSON.stringify(info) + String(info.error?.cause)).not.toContain('a-token-the-agent-refuses');
  });
});

describe('lifecycle edges', () => {
  it('on channel_closed, buffered output is still read, pending and later writes are dropped quietly, and the stream ends', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({ streamUrl: agent.url, tokenValue: agent.tokenValue });
    const errors: unknown[] = [];
    channel.on('error', (error) => errors.push(error));
    channel.write('twelve bytes');
    await new Promise((resolve) => setTimeout(resolve, 100)); // echoed, acknowledged, buffered unread
    agent.terminate('bye');
    channel.write('a keystroke racing the end');
    const received = await readBytes(channel, Number.POSITIVE_INFINITY);
    expect(received.toString()).toBe('twelve bytes');
    channel.write('after the end');
    expect(await channel.whenClosed).toEqual({ reason: 'channel_closed', output: 'bye' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toEqual([]);
  });

  it('rejects with ABORTED for a signal aborted before the call, and leaves nothing behind', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const error = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(agent.stats().connections).toBe(0);
  });

  it('bounds reconnection when every new connection is dropped right after its first frame', async () => {
    const agent = await emulator({
      mode: 'echo',
      handshake: true,
      faults: { cut: { afterBytes: 1, times: 1000 } },
    });
    let calls = 0;
    const error = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: {
        maxAttempts: 3,
        initialDelayMs: 5,
        credentials: () => {
          calls += 1;
          return Promise.resolve(agent.issueToken());
        },
      },
    }).catch((e: unknown) => e);
    // The first connection is cut before the session starts: setup fails, no reconnection.
    expect(error).toMatchObject({ code: 'CONNECTION_LOST' });
    expect(calls).toBe(0);
  });

  it('a reader that stops for longer than timeouts.stallMs does not end a healthy session', async () => {
    const agent = await emulator({ mode: 'echo', handshake: true });
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      limits: { outputBufferBytes: 4096 },
      timeouts: { stallMs: 1000 },
    });
    const input = deterministicBytes(8, 64 * 1024);
    channel.write(input);
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(channel.destroyed).toBe(false);
    const echoed = await readBytes(channel, input.length);
    expect(sha256(echoed)).toBe(sha256(input));
    channel.destroy();
  });
});

describe('option bounds', () => {
  it('refuses timeouts that setTimeout cannot honour, and bad budgets, at once', () => {
    const base = { streamUrl: 'ws://127.0.0.1:1/v1/data-channel/s', tokenValue: 't' };
    const credentials = (): Promise<{ streamUrl: string; tokenValue: string }> => Promise.resolve(base);
    for (const bad of [
      { timeouts: { connectMs: 2 ** 31 } },
      { reconnect: { credentials, maxDelayMs: 2 ** 31 } },
      { limits: { outputBufferBytes: 0 } },
      { reconnect: { credentials, maxAttempts: 1.5 } },
      { reconnect: { credentials, credentialsTimeoutMs: 0 } },
      { reconnect: { maxAttempts: 1 } as unknown as ReconnectOptions },
      { timeouts: { connectTimeoutMs: 10 } as unknown as ChannelTimeouts },
      { connectTimeoutMs: 10 } as unknown as DataChannelSettings,
      { limits: 4 } as unknown as DataChannelSettings,
    ]) {
      expect(() => connectDataChannel({ ...base, ...bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  it('checkChannelSettings() refuses every bad setting without credentials, and takes good ones', () => {
    const bad: DataChannelSettings[] = [
      { timeouts: { startMs: 1.5 } },
      { limits: { maxMessageBytes: -1 } },
      { terminalSize: { cols: 0, rows: 0 } },
      { limits: { inputWindowBytes: 0 } },
      { timeouts: { pongMs: 2 ** 31 } },
      { reconnect: { credentials: () => Promise.reject(new Error('x')), credentialsTimeoutMs: Number.NaN } },
      { signal: 'nope' as unknown as AbortSignal },
    ];
    for (const settings of bad) {
      expect(() => checkChannelSettings(settings), JSON.stringify(settings)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(() => checkChannelSettings({ terminalSize: { cols: 0, rows: 24 } })).toThrow(/^terminalSize: /);
    expect(() =>
      checkChannelSettings({
        terminalSize: { cols: 80, rows: 24 },
        limits: { maxMessageBytes: 65_536 },
        reconnect: { credentials: () => Promise.reject(new Error('x')), credentialsTimeoutMs: 1 },
      }),
    ).not.toThrow();
  });
});
