/**
 * Soak: both directions at once through an echo agent, over a lossy link that is cut again and again.
 * The test suite runs a short slice; `pnpm soak` runs it long (SOAK_MB megabytes, SOAK_SEED).
 */
import { createHash } from 'node:crypto';
import { connectDataChannel } from 'ssm-channel';
import { deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { expect, it } from 'vitest';

const megabytes = Number(process.env.SOAK_MB ?? 2);
const seed = Number(process.env.SOAK_SEED ?? 21);

it(`echoes ${megabytes} MB through 3 % drop, duplication and reordering and a cut every ~1 MB (seed ${seed})`, async () => {
  const total = Math.round(megabytes * 1024 * 1024);
  const agent = await startAgentEmulator({
    mode: 'echo',
    handshake: true,
    agent: { maxRetransmitBurst: 64, minRetransmitIntervalMs: 0 },
    faults: {
      seed,
      drop: 0.03,
      duplicate: 0.03,
      reorder: 0.03,
      cut: { afterBytes: 2_000_000, times: Math.max(1, Math.floor(megabytes)) },
    },
  });
  try {
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      reconnect: { credentials: () => Promise.resolve(agent.issueToken()), initialDelayMs: 10 },
    });
    const input = deterministicBytes(seed, total);
    const echoed = createHash('sha256');
    let received = 0;
    const done = new Promise<void>((resolve, reject) => {
      channel.on('data', (chunk: Buffer) => {
        echoed.update(chunk);
        received += chunk.length;
        if (received >= total) resolve();
      });
      channel.once('error', reject);
    });
    const failed = new Promise<never>((_, reject) => channel.once('error', reject));
    for (let offset = 0; offset < total; offset += 16 * 1024) {
      if (!channel.write(input.subarray(offset, offset + 16 * 1024))) {
        await Promise.race([new Promise((resolve) => channel.once('drain', resolve)), failed]);
      }
    }
    await done;
    expect(received).toBe(total);
    expect(echoed.digest('hex')).toBe(createHash('sha256').update(input).digest('hex'));
    expect(channel.stats().reconnects).toBe(agent.stats().faults.cuts);
    channel.destroy();
    await channel.whenClosed;
  } finally {
    await agent.close();
  }
}, 600_000);
