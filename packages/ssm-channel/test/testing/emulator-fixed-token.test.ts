import { once } from 'node:events';
import { connectDataChannel } from 'ssm-channel';
import { startAgentEmulator } from 'ssm-channel/testing';
import { describe, expect, it } from 'vitest';
import { useEmulatorTestbed } from './emulator-testbed.js';

const FIXED = 'fixed.Token-for~tests_0123456789';

const bed = useEmulatorTestbed();

describe('agent emulator: a fixed tokenValue', () => {
  it('is the first token and every issued token; a channel connects with it, another token is refused', async () => {
    // With a handshake, the channel is open as soon as HandshakeComplete arrives.
    const emulator = await bed.start({ mode: 'echo', handshake: true, tokenValue: FIXED });
    expect(emulator.tokenValue).toBe(FIXED);
    expect(emulator.issueToken()).toEqual({ streamUrl: emulator.url, tokenValue: FIXED });
    expect(emulator.issueToken().tokenValue).toBe(FIXED);

    const refused = await connectDataChannel({ streamUrl: emulator.url, tokenValue: `${FIXED}x` }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'AUTH_FAILED' });
    expect(String((refused as Error).message)).not.toContain(FIXED);
    expect(emulator.stats()).toMatchObject({ connections: 0, authFailures: 1 });

    const channel = await connectDataChannel({ streamUrl: emulator.url, tokenValue: FIXED });
    channel.write('fixed token works');
    const [echoed] = await once(channel, 'data');
    expect(String(echoed)).toBe('fixed token works');
    channel.destroy();
    await channel.whenClosed;
    expect(emulator.stats().connections).toBe(1);
  });

  it('is re-armed for a new validity window each time it is issued', async () => {
    let now = 0;
    const emulator = await bed.start({ tokenValue: FIXED, tokenValidityMs: 60_000, clock: () => now });
    now = 60_000;
    const late = await bed.client(emulator.url, FIXED);
    expect(await late.closeEvent).toEqual({ code: 1008, reason: 'token expired' });
    expect(emulator.issueToken().tokenValue).toBe(FIXED);
    now = 119_999;
    const rearmed = await bed.client(emulator.url, FIXED);
    await once(emulator.events, 'connection');
    rearmed.sendInput('again');
    await rearmed.waitFor(() => rearmed.output().toString() === 'again');
    now = 120_000;
    const after = await bed.client(emulator.url, FIXED);
    expect(await after.closeEvent).toEqual({ code: 1008, reason: 'token expired' });
  });

  it('applies per session: created sessions inherit it or set their own, and the path picks the session', async () => {
    const emulator = await bed.start({ mode: 'echo', tokenValue: FIXED });
    const inherited = await emulator.createSession({ mode: 'sink' });
    const own = await emulator.createSession({ tokenValue: 'another-fixed-token' });
    const random = await startAgentEmulator({ mode: 'echo' });
    try {
      expect(inherited.tokenValue).toBe(FIXED);
      expect(inherited.issueToken().tokenValue).toBe(FIXED);
      expect(own.tokenValue).toBe('another-fixed-token');
      expect(own.issueToken().tokenValue).toBe('another-fixed-token');
      expect(random.tokenValue).not.toBe(FIXED);
      expect(random.issueToken().tokenValue).not.toBe(random.tokenValue);
      const wrong = await bed.client(own.url, FIXED);
      expect(await wrong.closeEvent).toEqual({ code: 1008, reason: 'token unknown' });
      const right = await bed.client(inherited.url, FIXED);
      right.sendInput('into the sink');
      await right.waitFor(() => right.unacked === 0);
      expect(inherited.stats().sink.bytes).toBe(13);
      expect(emulator.stats().inputBytes).toBe(0);
    } finally {
      await random.close();
    }
  });

  it('refuses an empty, non-printable, too long or non-string tokenValue without quoting it', async () => {
    const secretish = 'sekrit value';
    for (const tokenValue of ['', secretish, 'tab\there', 'new\nline', 'é-accent', 'x'.repeat(4_097), 42]) {
      const error = await startAgentEmulator({ tokenValue: tokenValue as string }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).toMatch(/^tokenValue must be/);
      expect((error as Error).message).not.toContain('sekrit');
    }
    const emulator = await bed.start({ tokenValue: 'x'.repeat(4_096) });
    await expect(emulator.createSession({ tokenValue: 'with space' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
