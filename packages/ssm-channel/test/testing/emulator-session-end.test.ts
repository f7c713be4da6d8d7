/**
 * What the emulator reports and offers around the start and the end of a session: a greeting for clients
 * that wait for the agent's first output, the loss a drain that timed out leaves, and a slow uplink.
 */
import { connectDataChannel } from 'ssm-channel';
import { describe, expect, it } from 'vitest';
import { deterministicBytes } from '../../src/testing/index.js';
import { useEmulatorTestbed } from './emulator-testbed.js';

const bed = useEmulatorTestbed();

describe('agent emulator', () => {
  it.each(['echo', 'sink'] as const)(
    '%s mode with a greeting works with a client that waits for the first output (no handshake)',
    async (mode) => {
      const emulator = await bed.start({ mode, greeting: '$ ' });
      const channel = await connectDataChannel({ streamUrl: emulator.url, tokenValue: emulator.tokenValue });
      expect(channel.session?.handshake).toBe(false);
      const chunks: Buffer[] = [];
      channel.on('data', (chunk: Buffer) => chunks.push(chunk));
      await new Promise<void>((resolve) => channel.end('ping', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Buffer.concat(chunks).toString()).toBe(mode === 'echo' ? '$ ping' : '$ ');
      expect(emulator.stats().inputBytes).toBe(4);
      channel.destroy();
      await channel.whenClosed;
    },
  );

  it('keeps the unacknowledged count after the session ended: a drain that timed out shows as loss', async () => {
    const emulator = await bed.start({
      mode: 'source',
      source: { bytes: 64 * 1024, seed: 3 },
      drainTimeoutMs: 200,
    });
    const ended = new Promise((resolve) => emulator.events.once('end', resolve));
    const c = await bed.connect(emulator);
    // A client that reads but never acknowledges.
    c.autoAck = false;
    await ended;
    const stats = emulator.stats();
    expect(stats.agent.phase).toBe('closed');
    expect(stats.agent.unackedMessages).toBeGreaterThan(0);
    expect(stats.agent.unackedBytes).toBeGreaterThan(0);
  });

  it('a slow uplink reads the client at the set rate', async () => {
    const emulator = await bed.start({
      mode: 'sink',
      greeting: '$ ',
      faults: { uplinkBytesPerSecond: 200_000 },
    });
    const channel = await connectDataChannel({ streamUrl: emulator.url, tokenValue: emulator.tokenValue });
    try {
      const input = deterministicBytes(5, 300_000);
      const started = performance.now();
      await new Promise<void>((resolve) => channel.end(input, resolve));
      const seconds = (performance.now() - started) / 1000;
      // About 345 kB of frames at 200 kB/s, after a 64 kB burst: 1.4 s.
      expect(seconds).toBeGreaterThan(1.2);
      expect(seconds).toBeLessThan(4);
      expect(emulator.stats().faults.uplinkPauses).toBeGreaterThan(0);
      expect(emulator.stats().sink.bytes).toBe(input.length);
    } finally {
      channel.destroy();
      await channel.whenClosed;
    }
  });
});
