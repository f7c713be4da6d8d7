/**
 * Short slices of the admin-shell benchmarks (bench/cli, bench/transfer, bench/sessions) through the real
 * command and both emulators: they check that the benchmark code works and measures what it says, with
 * bounds far from the measured figures (see bench/README.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS } from '../bench/admin-shell-env.js';
import { measureStart } from '../bench/cli/run.js';
import { allSessionsRun } from '../bench/sessions/cases.js';
import { copyRun, makeFile, rawChannel } from '../bench/transfer/cases.js';

describe('admin-shell benchmark slices', () => {
  let em: GameLiftStreamsEmulator;
  let work: string;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: CREDENTIALS, moreSessions: 2 });
    work = mkdtempSync(join(tmpdir(), 'glas-bench-slice-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('command start: the floor, --help, --version and --command true, each timed', async () => {
    const results = await measureStart(em, 1);
    expect(results.map((r) => r.key)).toEqual(['floor', 'help', 'version', 'command']);
    for (const r of results) expect(r.median).toBeGreaterThan(0);
    const byKey = Object.fromEntries(results.map((r) => [r.key, r.median]));
    expect(byKey.command).toBeGreaterThan(byKey.version as number);
  });

  it('transfer: the raw channel both ways and cp both ways, checked byte for byte', async () => {
    const bytes = 1_000_000;
    for (const direction of ['download', 'upload'] as const) {
      expect((await rawChannel(em, direction, bytes)).mbPerS).toBeGreaterThan(0.05);
    }
    const file = join(work, 'payload.bin');
    makeFile(file, bytes);
    expect((await copyRun(em, 'upload', file, join(work, 'remote'))).mbPerS).toBeGreaterThan(0.05);
    expect((await copyRun(em, 'download', file, join(work, 'local'))).mbPerS).toBeGreaterThan(0.05);
  });

  it('sessions: --all-sessions over the group, every session answering', async () => {
    expect((await allSessionsRun(em, 2)).ms).toBeGreaterThan(0);
  });
});
