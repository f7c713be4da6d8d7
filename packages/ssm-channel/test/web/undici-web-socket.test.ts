import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AgentEmulator, deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { afterAll, expect, it } from 'vitest';

const emulators: AgentEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

it('connectWebDataChannel on the WHATWG WebSocket of Node itself (undici, --experimental-websocket)', async () => {
  const echo = await startAgentEmulator({ mode: 'echo', handshake: true });
  const source = await startAgentEmulator({ mode: 'source', source: { bytes: 2_000_000, seed: 4 } });
  emulators.push(echo, source);
  const script = fileURLToPath(new URL('./undici-client.mjs', import.meta.url));
  const args = {
    echo: { url: echo.url, tokenValue: echo.tokenValue },
    source: { url: source.url, tokenValue: source.tokenValue },
    refused: { url: echo.url },
  };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--experimental-websocket', '--no-warnings', script, JSON.stringify(args)],
    { timeout: 30_000 },
  );
  const result = JSON.parse(stdout);
  expect(result).toEqual({
    echo: 'through undici',
    echoClosed: 'local',
    source: {
      bytes: 2_000_000,
      sha256: createHash('sha256').update(deterministicBytes(4, 2_000_000)).digest('hex'),
      closed: 'channel_closed',
    },
    refused: 'AUTH_FAILED',
  });
  expect(echo.stats().lastSize).toEqual({ cols: 120, rows: 40 });
});
