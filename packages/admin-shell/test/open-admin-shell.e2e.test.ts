import { readFileSync } from 'node:fs';
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminShellError } from '../src/errors.js';
import { type AdminShell, openAdminShell } from '../src/open-admin-shell.js';
import {
  type GameLiftStreamsEmulator,
  type GameLiftStreamsEmulatorOptions,
  startGameLiftStreamsEmulator,
} from '../src/testing/index.js';

const CREDS = {
  accessKeyId: 'AKIDE2ETEST000000001',
  secretAccessKey: 'e2e-test-secret-key-00000000000000000',
};

let emulator: GameLiftStreamsEmulator | undefined;
const shells: AdminShell[] = [];
afterEach(async () => {
  for (const shell of shells.splice(0)) shell.destroy();
  await emulator?.close();
  emulator = undefined;
});

async function start(options: GameLiftStreamsEmulatorOptions = {}) {
  emulator = await startGameLiftStreamsEmulator({ credentials: CREDS, ...options });
  return emulator;
}

/** Collects a shell's output; `until` resolves when it matches. */
function collect(shell: AdminShell) {
  let text = '';
  const waiters = new Set<() => void>();
  shell.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of [...waiters]) w();
  });
  return {
    text: () => text,
    until(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(text)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; got: ${JSON.stringify(text.slice(-500))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

async function open(em: GameLiftStreamsEmulator, extra: Partial<Parameters<typeof openAdminShell>[0]> = {}) {
  const shell = await openAdminShell({
    streamGroupId: em.streamGroupId,
    streamSessionId: em.streamSessionId,
    api: { region: em.region, endpoint: em.endpoint, credentials: CREDS },
    ...extra,
  });
  shells.push(shell);
  // A stream that fails emits 'error'; the tests read the outcome from whenClosed.
  shell.on('error', () => {});
  return shell;
}

describe('openAdminShell: real SDK -> API emulator -> agent emulator -> real shell', () => {
  it('opens a live shell by IDs, runs a command, and ends with channel_closed', async () => {
    const em = await start();
    const shell = await open(em, { terminalSize: { cols: 120, rows: 40 } });
    expect(shell.streamGroupId).toBe(em.streamGroupId);
    expect(shell.streamSessionId).toBe(em.streamSessionId);
    expect(shell.region).toBe('us-west-2');
    expect(shell.sessionId.length).toBeGreaterThan(0);
    expect(shell.streamUrl).toMatch(/^wss?:\/\/127\.0\.0\.1:\d+\//);
    expect(Object.keys(shell)).not.toContain('tokenValue');
    const out = collect(shell);
    shell.write('echo "sum=$((6*7))"; stty size\n');
    await out.until(/sum=42/);
    await out.until(/40 120/);
    shell.write('exit\n');
    const info = await shell.whenClosed;
    expect(info.reason).toBe('channel_closed');
  });

  it('works with an injected client and ARNs, after 409s, with progress', async () => {
    const em = await start({ notReadyTimes: 2 });
    // SDK retries off, so the 409s reach openAdminShell's own retry (an SDK client retries them itself first).
    const client = new GameLiftStreamsClient({
      region: em.region,
      endpoint: em.endpoint,
      credentials: CREDS,
      maxAttempts: 1,
    });
    try {
      const progress: string[] = [];
      const shell = await openAdminShell({
        streamGroupId: em.streamGroupArn,
        streamSessionId: em.streamSessionArn,
        api: {
          client,
          retry: { initialDelayMs: 10, maxDelayMs: 20, onRetry: (p) => progress.push(p.reason) },
        },
      });
      shells.push(shell);
      shell.on('error', () => {});
      expect(progress).toEqual(['not_ready', 'not_ready']);
      const out = collect(shell);
      shell.write('echo via-arn\n');
      await out.until(/via-arn\r?\n/);
    } finally {
      client.destroy();
    }
  });

  it('refuses an injected client of another region before any call', async () => {
    const em = await start();
    const client = new GameLiftStreamsClient({
      region: 'eu-west-1',
      endpoint: em.endpoint,
      credentials: CREDS,
    });
    try {
      const error = await openAdminShell({
        api: { client },
        streamGroupId: em.streamGroupArn,
        streamSessionId: em.streamSessionId,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdminShellError);
      expect((error as AdminShellError).code).toBe('REGION_MISMATCH');
      expect(em.calls).toHaveLength(0);
    } finally {
      client.destroy();
    }
  });

  it('bad arguments throw at once, before any call', async () => {
    const em = await start();
    expect(() => openAdminShell({ streamGroupId: 'sg 1', streamSessionId: 'X' })).toThrow(AdminShellError);
    expect(() =>
      openAdminShell({
        streamGroupId: em.streamGroupId,
        streamSessionId: em.streamSessionId,
        api: { client: new GameLiftStreamsClient({}), region: 'us-west-2' },
      }),
    ).toThrow(/either api.client or api.region/);
    expect(em.calls).toHaveLength(0);
  });

  it('an expired URL: one fresh URL is tried, then URL_EXPIRED', async () => {
    const em = await start({ agent: { tokenValidityMs: 1 } });
    await em.agent();
    await new Promise((r) => setTimeout(r, 10));
    const error = await open(em).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('URL_EXPIRED');
    expect((error as Error).message).toContain('valid for 60 s');
    expect(em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell')).toHaveLength(2);
  });

  it('reconnects after a dropped connection to the same terminal session, through a fresh API call', async () => {
    const em = await start({ agent: { faults: { cut: { afterBytes: 6_000, times: 1 } } } });
    const shell = await open(em);
    const out = collect(shell);
    shell.write('MARK=kept-$((1+1)); echo ready\n');
    await out.until(/ready\r?\n/);
    // Enough traffic to pass the cut; then the same shell still knows MARK.
    shell.write(
      'i=0; while [ $i -lt 150 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done; echo "after:$MARK"\n',
    );
    await out.until(/after:kept-2/, 30_000);
    expect(
      em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell').length,
    ).toBeGreaterThanOrEqual(2);
    expect(shell.stats().reconnects).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 150; i++) expect(out.text()).toContain(`line-${i}-x`);
  });

  it('SESSION_REPLACED names both SessionIds without their control characters (the first one too)', async () => {
    const em = await start({
      agent: { faults: { cut: { afterBytes: 4_000, times: 1 } } },
      rewriteSessionId: (id) => `\u001b]0;pwned\u0007\u001b[2J${id}`,
    });
    const shell = await open(em);
    const out = collect(shell);
    shell.write('echo first-shell\n');
    await out.until(/first-shell\r?\n/);
    await em.replaceTerminalSession();
    shell.write(
      'i=0; while [ $i -lt 200 ]; do echo pad-$i-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; i=$((i+1)); done\n',
    );
    const info = await shell.whenClosed;
    const chain: unknown[] = [];
    for (let e: unknown = info.error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
    const replaced = chain.find((e): e is AdminShellError => e instanceof AdminShellError);
    expect(replaced?.code).toBe('SESSION_REPLACED');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    expect(replaced?.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(replaced?.message).toMatch(
      /\(\]0;pwned \[2Jemulated-[0-9a-f]+\) instead of \]0;pwned \[2Jemulated-[0-9a-f]+: /,
    );
  });

  it('a reconnection that gets another SessionId ends with SESSION_REPLACED and reads nothing of the new shell', async () => {
    const em = await start({ agent: { faults: { cut: { afterBytes: 4_000, times: 1 } } } });
    const shell = await open(em);
    const out = collect(shell);
    shell.write('echo first-shell\n');
    await out.until(/first-shell\r?\n/);
    await em.replaceTerminalSession();
    shell.write(
      'i=0; while [ $i -lt 200 ]; do echo pad-$i-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; i=$((i+1)); done\n',
    );
    const info = await shell.whenClosed;
    expect(info.reason).toBe('error');
    const chain: unknown[] = [];
    for (let e: unknown = info.error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
    const replaced = chain.find((e): e is AdminShellError => e instanceof AdminShellError);
    expect(replaced?.code).toBe('SESSION_REPLACED');
    expect(replaced?.message).toContain(shell.sessionId);
    const second = await em.terminalSession();
    expect(second.sessionId).not.toBe(shell.sessionId);
    expect(second.stats().connections).toBe(0);
    expect(out.text()).not.toContain('pad-199');
  });

  it('a session that requires KMS encryption: UNSUPPORTED_SESSION, with what to do', async () => {
    const em = await start({ agent: { handshake: { kms: true } } });
    const error = await open(em).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('UNSUPPORTED_SESSION');
    expect((error as Error).message).toContain('requires KMS encryption');
    expect((error as Error).message).toContain('session-manager-plugin');
    expect((error as AdminShellError).cause).toMatchObject({ code: 'KMS_ENCRYPTION_UNSUPPORTED' });
  });
});

describe('the README library example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /## The library\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

  it('listens for errors on the shell before waiting for it', () => {
    expect(example).toContain('openAdminShell(');
    const listens = example.indexOf("shell.on('error'");
    expect(listens).toBeGreaterThan(example.indexOf('openAdminShell('));
    expect(listens).toBeLessThan(example.indexOf('await shell.whenClosed'));
  });

  it('that listener is needed: an aborting signal ends the shell with an error event', async () => {
    const em = await start();
    const controller = new AbortController();
    const shell = await openAdminShell({
      streamGroupId: em.streamGroupId,
      streamSessionId: em.streamSessionId,
      api: { region: em.region, endpoint: em.endpoint, credentials: CREDS },
      signal: controller.signal,
    });
    shells.push(shell);
    const errors: unknown[] = [];
    // As in the README: without this listener the 'error' event would be thrown (an uncaught exception).
    shell.on('error', (error) => errors.push(error));
    controller.abort();
    const how = await shell.whenClosed;
    expect(how.reason).toBe('aborted');
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ABORTED' });
  });
});

describe('a flapping connection', () => {
  it('costs at most 3 API calls at once, then 10 a minute, however much each connection gets done', async () => {
    // Every connection is cut after a few hundred bytes: each one gets a little done, then drops.
    const em = await start({ agent: { faults: { cut: { afterBytes: 400, times: 10_000 } } } });
    const shell = await open(em);
    const callsAtOpen = em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell').length;
    const typing = setInterval(() => {
      if (!shell.destroyed) shell.write('x');
    }, 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, 6_500));
    } finally {
      clearInterval(typing);
    }
    const calls =
      em.calls.filter((c) => c.operation === 'CreateStreamSessionAdminShell').length - callsAtOpen;
    const cuts = (await em.terminalSession()).stats().faults.cuts;
    // Without the limit this made a call every 100-200 ms (31 in 5 s); with it, a burst of 3 and one at 6 s.
    expect(cuts).toBeGreaterThanOrEqual(3);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(4);
  }, 30_000);
});
