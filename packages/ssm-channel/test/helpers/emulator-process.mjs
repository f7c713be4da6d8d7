// An agent emulator in a process of its own (the built `ssm-channel/testing`), so that a test can measure
// the client's memory alone. Options come as JSON in argv[2]; it answers over IPC:
//   -> { url, tokenValue } once listening; 'stats' -> the session's stats; 'close' -> closes and exits.
import { startAgentEmulator } from '../../dist/testing/index.js';

const emulator = await startAgentEmulator(JSON.parse(process.argv[2] ?? '{}'));
process.send({ url: emulator.url, tokenValue: emulator.tokenValue });
process.on('message', async (message) => {
  if (message === 'stats') process.send({ stats: emulator.stats() });
  if (message === 'close') {
    await emulator.close();
    process.exit(0);
  }
});
// Never outlive the test process.
process.on('disconnect', () => process.exit(0));
