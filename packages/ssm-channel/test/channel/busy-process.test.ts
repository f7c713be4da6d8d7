/**
 * A process that blocks its event loop (a long synchronous task in the user's code) while input is in
 * flight: the agent's acks arrive in the meantime and wait in the socket. Node runs expired timers before it
 * reads sockets, so a retransmission timer acted on at once would resend what was already acknowledged (and
 * double the timeout, Karn's back-off). The channel must read what arrived first.
 */
import { connectDataChannel } from 'ssm-channel';
import { describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../../../../bench/channel/emulator-process.js';

/** Longer than the largest retransmission timeout (1 s). */
const BLOCK_MS = 1_300;

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // A synchronous task of the user's.
  }
}

describe('a busy process', () => {
  it('acks that arrived while the event loop was blocked are read before anything is resent', async () => {
    // The agent in a process of its own, so that it answers while this one is blocked.
    const agent = await startEmulatorProcess(1, { mode: 'echo', greeting: '$ ' });
    const session = agent.sessions[0]!;
    const channel = await connectDataChannel({ streamUrl: session.url, tokenValue: session.tokenValue });
    try {
      const input = Buffer.alloc(8 * 1024, 'x');
      let echoed = 0;
      const allEchoed = new Promise<void>((resolve) => {
        channel.on('data', (chunk: Buffer) => {
          echoed += chunk.toString().replaceAll('$ ', '').length;
          if (echoed >= input.length) resolve();
        });
      });
      channel.write(input);
      // The frames leave once this turn's writes are flushed; then the process is busy past every timeout.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      blockEventLoop(BLOCK_MS);
      await allEchoed;
      // Let any timer that was due run.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stats = channel.stats();
      expect(stats.messagesOut).toBeGreaterThanOrEqual(8);
      expect(stats.retransmissions).toBe(0);
    } finally {
      channel.destroy();
      await channel.whenClosed;
      await agent.close();
    }
  });
});
