/**
 * A slow uplink: every 1 KiB of output costs an ack of about 300 bytes, so when the agent side reads the
 * client's frames slowly, acks queue up on the client's socket. The channel must slow down (stop reading
 * the socket while its send queue is full) instead of buffering acks without end.
 */
import { createHash } from 'node:crypto';
import { connectDataChannel } from 'ssm-channel';
import { deterministicBytes } from 'ssm-channel/testing';
import { describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../../../../bench/channel/emulator-process.js';

const MB = 1_000_000;
const OUTPUT_BYTES = Number(process.env.SLOW_UPLINK_MB ?? 100) * MB;
const UPLINK_BYTES_PER_SECOND = 3 * MB;

describe('a slow uplink', () => {
  it(`${OUTPUT_BYTES / MB} MB of output while the agent reads acks at 3 MB/s: intact, bounded memory, no error`, async () => {
    // The agent in a process of its own: the RSS measured here is the client's.
    const agent = await startEmulatorProcess(1, {
      mode: 'source',
      source: { bytes: OUTPUT_BYTES, seed: 11 },
      drainTimeoutMs: 60_000,
      faults: { uplinkBytesPerSecond: UPLINK_BYTES_PER_SECOND },
    });
    const session = agent.sessions[0]!;
    try {
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 50);
      const started = performance.now();
      const channel = await connectDataChannel({ streamUrl: session.url, tokenValue: session.tokenValue });
      const errors: unknown[] = [];
      channel.on('error', (error) => errors.push(error));
      const hash = createHash('sha256');
      let received = 0;
      channel.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
      });
      const info = await channel.whenClosed;
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      expect(errors).toEqual([]);
      expect(info.reason).toBe('channel_closed');
      expect(received).toBe(OUTPUT_BYTES);
      expect(hash.digest('hex')).toBe(
        createHash('sha256').update(deterministicBytes(11, OUTPUT_BYTES)).digest('hex'),
      );
      // The uplink was the limit: the agent paused reading many times, and the output went no faster than
      // its acks could (about 300 bytes per KiB at 3 MB/s is some 10 MB/s).
      const [stats] = await agent.stats();
      expect(stats!.faults.uplinkPauses).toBeGreaterThan(10);
      expect(OUTPUT_BYTES / MB / seconds).toBeLessThan(15);
      const growth = (rssPeak - rssBefore) / MB;
      const figures = `${OUTPUT_BYTES / MB} MB in ${seconds.toFixed(1)} s, RSS +${growth.toFixed(1)} MB`;
      expect(growth, figures).toBeLessThanOrEqual(64);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
