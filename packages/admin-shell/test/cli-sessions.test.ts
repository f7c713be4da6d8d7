import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';
import { runBuilt, TEST_CREDENTIALS } from './helpers/built-cli.js';

function groupArgs(em: GameLiftStreamsEmulator): string[] {
  return ['--endpoint-url', em.endpoint, '--region', em.region, '--stream-group', em.streamGroupId];
}

describe('gamelift-admin-shell ls', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      pageSize: 2,
      moreSessions: [{ status: 'TERMINATED' }, { status: 'CONNECTED' }, { status: 'ACTIVATING' }, {}],
    });
  });
  afterAll(async () => {
    await em.close();
  });

  it('lists every session, page after page, oldest first, with status, age and whether an admin shell opens', async () => {
    const before = em.calls.length;
    const run = await runBuilt(['ls', ...groupArgs(em)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.toString().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STREAM SESSION +STATUS +AGE +LOCATION +ADMIN SHELL$/);
    expect(lines.slice(1).map((line) => line.split(/ +/)[0])).toEqual(em.streamSessionIds);
    expect(lines.slice(1).map((line) => line.split(/ +/)[1])).toEqual([
      'ACTIVE',
      'TERMINATED',
      'CONNECTED',
      'ACTIVATING',
      'ACTIVE',
    ]);
    expect(lines[1]).toMatch(/ \d+s +us-west-2 +yes$/);
    expect(lines[2]).toMatch(/ no$/);
    const listCalls = em.calls.slice(before).filter((c) => c.operation === 'ListStreamSessions');
    expect(listCalls).toHaveLength(3);
  });

  it('--json: one object per session; throttling (429) is retried with backoff', async () => {
    em.injectFault({ status: 429, operation: 'ListStreamSessions', times: 2 });
    const run = await runBuilt(['ls', ...groupArgs(em), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const items = run.stdout
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(items.map((i) => i.streamSessionId)).toEqual(em.streamSessionIds);
    expect(items[1]).toMatchObject({ status: 'TERMINATED', adminShell: false });
    expect(items[0]).toMatchObject({ status: 'ACTIVE', adminShell: true, location: 'us-west-2' });
    expect(typeof items[0]?.ageSeconds).toBe('number');
  });

  it('a stream group that does not exist: exit 68, the group named', async () => {
    const run = await runBuilt([
      'ls',
      '--endpoint-url',
      em.endpoint,
      '--region',
      em.region,
      '--stream-group',
      'sg-doesnotexist',
    ]);
    expect(run.code).toBe(68);
    expect(run.stderr).toMatch(
      /^gamelift-admin-shell: The stream group sg-doesnotexist was not found in us-west-2/,
    );
  });
});

describe('gamelift-admin-shell --all-sessions on a group of 200 sessions', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS, moreSessions: 199 });
  });
  afterAll(async () => {
    await em.close();
  });

  it('runs the command on every session, --parallel 8, each line prefixed; throttling retried; exit 0', async () => {
    em.injectFault({ status: 429, times: 12 });
    const started = Date.now();
    const run = await runBuilt(
      [
        ...groupArgs(em),
        '--all-sessions',
        '--command',
        'echo "line one"; printf "no newline"; echo oops >&2',
      ],
      { timeoutMs: 240_000 },
    );
    const elapsed = Date.now() - started;
    expect(run.code, run.stderr.slice(0, 2000)).toBe(0);
    const out = run.stdout
      .toString()
      .split('\n')
      .filter((l) => l !== '');
    expect(out).toHaveLength(400);
    for (const id of em.streamSessionIds) {
      expect(out).toContain(`${id}: line one`);
      expect(out).toContain(`${id}: no newline`);
      expect(run.stderr).toContain(`${id}: oops\n`);
    }
    // Lines of sessions running at once never mix.
    for (const line of out) expect(line).toMatch(/^[A-Za-z0-9]{13}: (line one|no newline)$/);
    const creates = em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell');
    expect(creates.filter((c) => c.httpStatus === 429)).toHaveLength(12);
    expect(creates.filter((c) => c.httpStatus === 200)).toHaveLength(200);
    expect(elapsed).toBeLessThan(200_000);
  }, 240_000);
});

describe('gamelift-admin-shell --all-sessions --parallel 25', () => {
  let em: GameLiftStreamsEmulator;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({ credentials: TEST_CREDENTIALS, moreSessions: 29 });
  });
  afterAll(async () => {
    await em.close();
  });

  it('25 sessions at once print their output and nothing else (no listener-leak warning from Node)', async () => {
    const run = await runBuilt(
      [...groupArgs(em), '--all-sessions', '--parallel', '25', '--command', 'echo ok'],
      {
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.toString().trimEnd().split('\n')).toHaveLength(30);
    expect(run.stderr).toBe('');
  }, 120_000);
});

describe('gamelift-admin-shell --all-sessions with sessions that fail', () => {
  let em: GameLiftStreamsEmulator;
  let work: string;
  beforeAll(async () => {
    em = await startGameLiftStreamsEmulator({
      credentials: TEST_CREDENTIALS,
      moreSessions: [{ runtime: 'windows' }, { status: 'TERMINATED' }, {}],
    });
    work = mkdtempSync(join(tmpdir(), 'glas-all-'));
  });
  afterAll(async () => {
    await em.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('one failing session never stops the others; the exit status says not all succeeded; --json per session', async () => {
    const [first, windows, terminated, last] = em.streamSessionIds;
    const run = await runBuilt([
      ...groupArgs(em),
      '--all-sessions',
      '--json',
      '--command',
      "printf 'ok\\377'; exit 3",
    ]);
    expect(run.code).toBe(1);
    const objects = run.stdout
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const byId = new Map(objects.map((o) => [o.streamSessionId, o]));
    expect([...byId.keys()].sort()).toEqual([first, windows, last].sort());
    for (const id of [first, last]) {
      expect(byId.get(id)).toMatchObject({
        exitCode: 3,
        stdout: Buffer.from('ok\xff', 'latin1').toString('base64'),
        stdoutEncoding: 'base64',
        stderr: '',
      });
      expect(typeof byId.get(id)?.durationMs).toBe('number');
    }
    expect(byId.get(windows)).toMatchObject({ error: { code: 'UNSUPPORTED_SHELL' } });
    expect(run.stderr).toContain(`skipping 1 session whose status allows no admin shell (1 TERMINATED)`);
    expect(run.stderr).toMatch(/3 of 3 sessions failed: /);
    expect(run.stderr).not.toContain(terminated as string);
  });

  it('cp from each session into DST/<session ID>/, and the same file to every session', async () => {
    const source = join(work, 'crash.dmp');
    writeFileSync(source, 'dump\n');
    const into = join(work, 'dumps');
    const run = await runBuilt(['cp', ...groupArgs(em), '--all-sessions', `:${source}`, into]);
    expect(run.code).toBe(1);
    const [first, windows, , last] = em.streamSessionIds;
    expect(readdirSync(into).sort()).toEqual([first, windows, last].sort());
    for (const id of [first, last])
      expect(readFileSync(join(into, id as string, 'crash.dmp'), 'utf8')).toBe('dump\n');
    expect(readdirSync(join(into, windows as string))).toEqual([]);
    expect(run.stderr).toContain(`${windows}: The stream session's admin shell is PowerShell`);
    expect(run.stderr).toMatch(/1 of 3 sessions failed: \w+ \(UNSUPPORTED_SHELL\)/);
  });
});
