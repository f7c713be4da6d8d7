import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecording } from '../src/cli/asciicast-recorder.js';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { awsEnv, emulatorArgs, MAIN, runInPty, TEST_CREDENTIALS } from './helpers/built-cli.js';

type CastEvent = [number, string, string];

/** Reads an asciicast v2 file strictly: the header's required fields, then well-formed timed events. */
function readCast(path: string): { header: Record<string, unknown>; events: CastEvent[] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  expect(lines.at(-1)).toBe('');
  const header = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  expect(header.version).toBe(2);
  expect(Number.isInteger(header.width) && Number.isInteger(header.height)).toBe(true);
  expect(Number.isInteger(header.timestamp)).toBe(true);
  const events = lines.slice(1, -1).map((line) => JSON.parse(line) as CastEvent);
  let last = 0;
  for (const event of events) {
    expect(event).toHaveLength(3);
    const [time, code, data] = event;
    expect(typeof time).toBe('number');
    expect(time).toBeGreaterThanOrEqual(last);
    last = time;
    expect(['o', 'r']).toContain(code);
    expect(typeof data).toBe('string');
    if (code === 'r') expect(data).toMatch(/^\d+x\d+$/);
  }
  return { header, events };
}

describe('the asciicast recorder', () => {
  it('decodes UTF-8 split across chunks, records a resize once, and writes a valid file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glas-cast-'));
    try {
      let now = 1_000;
      const path = join(dir, 'a.cast');
      const rec = await startRecording(path, { size: { cols: 80, rows: 24 }, title: 't', now: () => now });
      const euro = Buffer.from('€', 'utf8');
      rec.output(Buffer.concat([Buffer.from('price: '), euro.subarray(0, 1)]));
      now += 250;
      rec.output(Buffer.concat([euro.subarray(1), Buffer.from('\r\n')]));
      rec.resize({ cols: 80, rows: 24 });
      rec.resize({ cols: 120, rows: 40 });
      rec.resize({ cols: 120, rows: 40 });
      rec.output(Buffer.from([0xff, 0x41]));
      await rec.close();
      const { header, events } = readCast(path);
      expect(header).toMatchObject({ version: 2, width: 80, height: 24, title: 't' });
      expect(events).toEqual([
        [0, 'o', 'price: '],
        [0.25, 'o', '€\r\n'],
        [0.25, 'r', '120x40'],
        [0.25, 'o', '\ufffdA'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gamelift-admin-shell --record FILE', () => {
  let em: GameLiftStreamsEmulator;
  let dir: string;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      agent: { shell: { file: '/bin/sh', env: { PS1: '$ ' } } },
    });
    dir = mkdtempSync(join(tmpdir(), 'glas-record-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the terminal session as asciicast v2: output with timings, and resizes', async () => {
    const cast = join(dir, 'session.cast');
    const term = runInPty(process.execPath, [MAIN, ...emulatorArgs(em), '--record', cast], {
      env: awsEnv(),
      cols: 100,
      rows: 30,
    });
    await term.waitFor(/\$ $/m);
    term.write('echo "recorded-$((20+1))"\r');
    await term.waitFor(/recorded-21\r*\n/);
    term.resize(132, 43);
    await new Promise((r) => setTimeout(r, 300));
    term.write('stty size\r');
    await term.waitFor(/^43 132\r*$/m);
    term.write('exit\r');
    const exit = await term.exited;
    expect(exit.exitCode).toBe(0);
    const { header, events } = readCast(cast);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    const output = events
      .filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join('');
    expect(output).toContain('recorded-21');
    expect(output).toContain('43 132');
    expect(events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['132x43']);
    // The resize is recorded between the output before it and the output it caused.
    const resizeAt = events.findIndex((e) => e[1] === 'r');
    const sizeShownAt = events.findIndex((e, i) => i > resizeAt && e[1] === 'o' && e[2].includes('43 132'));
    expect(resizeAt).toBeGreaterThan(0);
    expect(sizeShownAt).toBeGreaterThan(resizeAt);
  });
});
