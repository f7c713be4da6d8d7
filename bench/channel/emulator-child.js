// Agent emulators (the built `ssm-channel/testing`) in a process of their own, so that the process that
// measures holds only the client: argv[2] is JSON { sessions, options }; the child creates that many
// sessions with those options and answers over IPC with their { url, tokenValue }; 'stats' -> every
// session's stats; 'close' -> closes and exits.
import { startAgentEmulator } from 'ssm-channel/testing';

const { sessions = 1, options = {} } = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startAgentEmulator({ ...options, maxSessions: sessions + 1 });
const all = [];
for (let i = 0; i < sessions; i += 1) all.push(await emulator.createSession(options));
process.send({ sessions: all.map((s) => ({ url: s.url, tokenValue: s.tokenValue })) });
process.on('message', async (message) => {
  if (message === 'stats') process.send({ stats: all.map((s) => s.stats()) });
  if (message === 'close') {
    await emulator.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
