// The agent emulator (the built `ssm-channel/testing`) in its own process, for the many-channels case:
// argv[2] is JSON { sessions, options }; it creates that many sessions and answers over IPC with their
// { url, tokenValue }; 'stats' -> [{ inputBytes, outputBytes, unacked }] per session; 'close' -> exits.
import { startAgentEmulator } from 'ssm-channel/testing';

const { sessions, options } = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startAgentEmulator({ ...options, maxSessions: sessions + 1 });
const all = [];
for (let i = 0; i < sessions; i += 1) all.push(await emulator.createSession(options));
process.send({ sessions: all.map((s) => ({ url: s.url, tokenValue: s.tokenValue })) });
process.on('message', async (message) => {
  if (message === 'stats') {
    process.send({
      stats: all.map((s) => {
        const stats = s.stats();
        return {
          inputBytes: stats.inputBytes,
          outputBytes: stats.outputBytes,
          unacked: stats.agent.unackedMessages,
        };
      }),
    });
  }
  if (message === 'close') {
    await emulator.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
