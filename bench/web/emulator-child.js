// The agent emulator of `ssm-channel/testing` (the real agent engine: digests, acks, windows) in its own
// process, for throughput-page comparisons: on { type: 'session', bytes, seed } it adds a `source` session
// and answers { type: 'session', url, tokenValue }. Exits on { type: 'stop' }, when the parent goes away, or
// after argv[2] ms.
import { startAgentEmulator } from 'ssm-channel/testing';

const lifetime = setTimeout(() => process.exit(3), Number(process.argv[2] ?? 600_000));
lifetime.unref();
process.on('disconnect', () => process.exit(0));

const emulator = await startAgentEmulator({ mode: 'echo', handshake: true, maxSessions: 1_000 });
process.on('message', async (message) => {
  if (message?.type === 'stop') {
    await emulator.close();
    process.exit(0);
  }
  if (message?.type === 'session') {
    const session = await emulator.createSession({
      mode: 'source',
      handshake: false,
      source: { bytes: message.bytes, seed: message.seed ?? 1 },
    });
    process.send?.({
      type: 'session',
      reqId: message.reqId,
      url: session.url,
      tokenValue: session.tokenValue,
    });
  }
});
process.send?.({ type: 'ready' });
