import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { emulatorArgs, runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

// Its own file, so that it runs alongside the other test files: it takes about a minute on an idle machine.
describe('gamelift-admin-shell cp of 200 MB each way', () => {
  const SIZE = 200_000_000;
  let em: GameLiftStreamsEmulator;
  let work: string;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS });
    work = mkdtempSync(join(tmpdir(), 'glas-cp-200-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('up and back down: identical bytes (SHA-256 checked at both ends), memory bounded', async () => {
    const source = join(work, 'big.bin');
    writeFileSync(source, randomBytes(SIZE));
    const remote = join(work, 'on the host');
    mkdirSync(remote);
    const up = await runBuilt(['cp', ...emulatorArgs(em), source, `:${remote}/`], { timeoutMs: 240_000 });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const down = join(work, 'back');
    mkdirSync(down);
    const back = await runBuilt(['cp', ...emulatorArgs(em), `:${remote}/big.bin`, down], {
      timeoutMs: 240_000,
    });
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(readFileSync(join(down, 'big.bin')).equals(readFileSync(source))).toBe(true);
    // The whole file never sits in memory: well under its 200 MB either way.
    expect(up.peakRssKb).toBeGreaterThan(0);
    expect(up.peakRssKb).toBeLessThan(180_000);
    expect(back.peakRssKb).toBeLessThan(180_000);
    expect(readdirSync(remote)).toEqual(['big.bin']);
    expect(existsSync(join(down, 'big.bin'))).toBe(true);
  }, 480_000);
});
