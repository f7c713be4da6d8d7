// Runs where both tarballs are installed and node-pty is not: the testing entries load, the echo agent works,
// and a shell is refused when the emulator starts, with a message that names the install command.
import assert from 'node:assert/strict';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { startAgentEmulator } from 'ssm-channel/testing';

const echo = await startAgentEmulator({ mode: 'echo' });
await echo.close();

const starts = {
  startAgentEmulator: () => startAgentEmulator({ mode: 'shell' }),
  startGameLiftStreamsEmulator: () => startGameLiftStreamsEmulator(),
};
for (const [name, start] of Object.entries(starts)) {
  const began = performance.now();
  const error = await start().then(
    async (emulator) => {
      await emulator.close();
      assert.fail(`${name} started without node-pty`);
    },
    (e) => e,
  );
  assert.equal(error.code, 'INVALID_ARGUMENT', `${name}: ${error.stack}`);
  assert.match(error.message, /node-pty, an optional peer dependency, is not installed/, name);
  assert.match(error.message, /npm install --save-dev node-pty/, name);
  assert.ok(performance.now() - began < 2_000, `${name} took ${performance.now() - began} ms to refuse`);
  process.stdout.write(`${name}: ${error.message}\n`);
}
