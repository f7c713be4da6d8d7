/**
 * A short slice of `bench/channel/run.js` through the real path: the channel (here from the sources, via
 * the vitest alias) against the benchmark's agent in a child process. It checks that the bench code works
 * and that the data is right, with bounds far from the measured figures (see bench/README.md).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../../../bench/channel/agent-process.js';
import {
  closeChannel,
  inputOurs,
  openEchoBare,
  openEchoOurs,
  openStalledChannel,
  outputBare,
  outputOurs,
  quantile,
  RING_FRAMES,
} from '../../../../bench/channel/cases.js';
import { manyChannels } from '../../../../bench/channel/many-cases.js';
import { expectedStreamHash } from '../../../../bench/channel/wire.js';

let agent: AgentProcess;
beforeAll(async () => {
  agent = await startAgentProcess({ lifetimeMs: 60_000 });
});
afterAll(async () => {
  await agent?.close();
});

describe('channel benchmark slice', () => {
  it('receives 400 KiB of pre-encoded output intact, with one ack per message', async () => {
    const result = await outputOurs(agent, { messages: 400, verify: true, timeoutMs: 10_000 });
    expect(result.streamOk).toBe(true);
    expect(result.acks).toBe(400);
    expect(result.acksOk).toBe(true);
    expect(result.mbPerS).toBeGreaterThan(0.5);
    const bare = await outputBare(agent, { messages: 400, timeoutMs: 10_000 });
    expect(bare.mbPerS).toBeGreaterThan(0.5);
  });

  it('sends 400 KB of input that the sink acknowledges and hashes intact', async () => {
    const result = await inputOurs(agent, { bytes: 400_000, verify: true, timeoutMs: 10_000 });
    expect(result.received).toBe(400_000);
    expect(result.streamOk).toBe(true);
    expect(result.mbPerS).toBeGreaterThan(0.5);
  });

  it('echoes keystrokes one byte at a time', async () => {
    const ours = await openEchoOurs(agent);
    const bare = await openEchoBare(agent);
    try {
      const a = await ours.sample(100, 10_000);
      const b = await bare.sample(100, 10_000);
      expect(a).toHaveLength(100);
      expect(b).toHaveLength(100);
      expect(quantile(a, 0.5)).toBeLessThan(50);
    } finally {
      await ours.close();
      await bare.close();
    }
  });

  it('stops taking output at the receive budget while the reader stalls, then resumes without a gap', async () => {
    // The sender ignores acks and never resends: a dropped frame would break the stream for good.
    const messages = 4096;
    const { id, channel } = await openStalledChannel(agent, { messages });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Taken: the budget (limits.outputBufferBytes), passed by at most the payload that reached it.
      const budget = 1024 * 1024;
      const taken = channel.stats().bytesIn;
      expect(taken).toBeGreaterThanOrEqual(budget);
      expect(taken).toBeLessThanOrEqual(budget + 1024);
      expect(channel.readableLength).toBe(0);
      const stalled = await agent.query(id);
      // What was taken, plus at most what one socket read brought before the pause (kept, acked).
      expect(stalled?.acks).toBeGreaterThanOrEqual(taken / 1024);
      expect(stalled?.acks).toBeLessThan(taken / 1024 + 128);

      const hash = createHash('sha256');
      let received = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received} bytes after resuming`)), 10_000);
        channel.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          received += chunk.length;
          if (received >= messages * 1024) {
            clearTimeout(timer);
            resolve();
          }
        });
        channel.once('error', reject);
      });
      expect(received).toBe(messages * 1024);
      expect(hash.digest('hex')).toBe(expectedStreamHash(messages, 1024, RING_FRAMES));
    } finally {
      await closeChannel(channel);
    }
  });

  it('100 busy channels at once against agent emulators in another process: all intact, all freed', async () => {
    const r = await manyChannels({ count: 100, bytes: 16 * 1024, timeoutMs: 60_000 });
    expect(r.intact).toBe(100);
    expect(r.agentInputOk).toBe(true);
    // Far from the measured figures (bench/README.md), so that a loaded machine does not fail it.
    expect(r.openMs).toBeLessThan(20_000);
    expect(r.closeMs).toBeLessThan(10_000);
    expect(r.heapPerChannel).toBeLessThan(256 * 1024);
    expect(r.busyDelay.p99).toBeLessThan(1_000);
  }, 90_000);
});
