import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Flag, HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { decodeHandshakeComplete } from '../../src/codec/payloads/handshake-complete.js';
import { deterministicBytes } from '../../src/testing/index.js';
import { useEmulatorTestbed } from './emulator-testbed.js';
import { MiniClient } from './mini-client.js';

const bed = useEmulatorTestbed();

describe('echo mode', () => {
  it('echoes input as output, acks every input message, and puts SYN on sequence 0', async () => {
    const emulator = await bed.start({ mode: 'echo' });
    const c = await bed.connect(emulator);
    c.sendInput('hello ');
    c.sendInput('world');
    await c.waitFor(() => c.output().toString() === 'hello world' && c.unacked === 0);
    expect(c.acksReceived).toEqual([0, 1]);
    const [first, second] = c.delivered;
    expect(first).toMatchObject({
      messageType: MessageType.OutputStreamData,
      sequenceNumber: 0,
      flags: HeaderFlag.Syn,
    });
    expect(second).toMatchObject({ sequenceNumber: 1, flags: 0 });
    const stats = emulator.stats();
    expect(stats).toMatchObject({ inputBytes: 11, outputBytes: 11, acksOut: 2 });
    await c.waitFor(() => emulator.stats().acksIn === 2);
  });

  it('re-acks a duplicate input message without delivering it twice', async () => {
    const emulator = await bed.start({ mode: 'echo' });
    const c = await bed.connect(emulator);
    c.sendInput('x');
    await c.waitFor(() => c.unacked === 0);
    await c.reconnect(emulator.issueToken().tokenValue);
    // A resend of an acked message: the agent acks it again and does not echo it.
    c.ws.send(
      (await import('../../src/codec/agent-message-encode.js')).encodeAgentMessage({
        messageType: MessageType.InputStreamData,
        sequenceNumber: 0,
        payloadType: PayloadType.Output,
        payload: Buffer.from('x'),
      }),
    );
    await c.waitFor(() => c.acksReceived.length === 2);
    expect(c.output().toString()).toBe('x');
    expect(emulator.stats().agent.duplicates).toBe(1);
  });
});

describe('handshake', () => {
  it('sends HandshakeRequest first, HandshakeComplete after the response, then runs the session', async () => {
    const emulator = await bed.start({
      mode: 'echo',
      handshake: { sessionType: 'InteractiveCommands', customerMessage: 'hi there' },
    });
    const responses: unknown[] = [];
    emulator.events.on('handshake-response', (r) => responses.push(r));
    const c = await bed.connect(emulator);
    await c.waitFor(() => c.handshakeRequest() !== undefined);
    const request = c.handshakeRequest()!;
    expect(request.requestedClientActions).toEqual([
      {
        actionType: 'SessionType',
        actionParameters: { SessionType: 'InteractiveCommands', Properties: null },
      },
    ]);
    expect(c.delivered[0]).toMatchObject({ sequenceNumber: 0, payloadType: PayloadType.HandshakeRequest });
    // Input before the handshake completes is acked and discarded, like the agent does.
    c.sendInput('too early');
    c.answerHandshake(request);
    await c.waitFor(() => c.delivered.some((m) => m.payloadType === PayloadType.HandshakeComplete));
    const complete = c.delivered.find((m) => m.payloadType === PayloadType.HandshakeComplete)!;
    expect(decodeHandshakeComplete(complete.payload).customerMessage).toBe('hi there');
    c.sendInput('after');
    await c.waitFor(() => c.output().toString() === 'after');
    expect(responses).toHaveLength(1);
    expect(emulator.stats().agent.discardedDuringHandshake).toBe(1);
  });

  it('with kms the session fails (the emulator cannot do KMS): channel_closed, ended "failed"', async () => {
    const emulator = await bed.start({ handshake: { kms: true } });
    const c = await bed.connect(emulator);
    await c.waitFor(() => c.handshakeRequest() !== undefined);
    const request = c.handshakeRequest()!;
    expect(request.requestedClientActions.map((a) => a.actionType)).toEqual(['SessionType', 'KMSEncryption']);
    c.answerHandshake(request, 2);
    const end = await emulator.ended;
    expect(end.reason).toBe('failed');
    expect(end.error?.code).toBe('HANDSHAKE_FAILED');
    await c.waitFor(() => c.channelClosed !== undefined);
    expect(c.channelClosed!.output).toContain('handshake');
  });

  it('fails with HANDSHAKE_TIMEOUT when the client never answers', async () => {
    const emulator = await bed.start({ handshake: { timeoutMs: 100 } });
    const c = await bed.connect(emulator);
    const end = await emulator.ended;
    expect(end.error?.code).toBe('HANDSHAKE_TIMEOUT');
    await c.waitFor(() => c.channelClosed !== undefined);
  });
});

describe('source mode', () => {
  it('sends exactly the seeded bytes in order, then channel_closed, then closes the socket', async () => {
    const emulator = await bed.start({
      mode: 'source',
      source: { bytes: 200_000, seed: 7 },
      channelClosedOutput: 'done',
      closeSocketDelayMs: 50,
    });
    const c = await bed.connect(emulator);
    const end = await emulator.ended;
    expect(end.reason).toBe('completed');
    await c.waitFor(() => c.channelClosed !== undefined);
    expect(c.output().equals(Buffer.from(deterministicBytes(7, 200_000)))).toBe(true);
    expect(Math.max(...c.delivered.map((m) => m.payload.length))).toBe(1024);
    expect(c.channelClosed).toMatchObject({ sessionId: emulator.sessionId, output: 'done' });
    expect((await c.closeEvent).code).toBe(1000);
    expect(emulator.stats().outputBytes).toBe(200_000);
  });

  it('refuses reconnection after the session ended', async () => {
    const emulator = await bed.start({ mode: 'source', source: { bytes: 10 } });
    const c = await bed.connect(emulator);
    await emulator.ended;
    const late = new MiniClient(emulator.url);
    bed.track(late);
    await late.connect(emulator.issueToken().tokenValue);
    expect(await late.closeEvent).toEqual({ code: 1008, reason: 'session terminated' });
    await c.waitFor(() => c.channelClosed !== undefined);
  });
});

describe('sink mode', () => {
  it('counts input bytes and their SHA-256, and outputs nothing', async () => {
    const emulator = await bed.start({ mode: 'sink' });
    const c = await bed.connect(emulator);
    const data = deterministicBytes(11, 50_000);
    for (let offset = 0; offset < data.length; offset += 1024)
      c.sendInput(data.subarray(offset, offset + 1024));
    await c.waitFor(() => c.unacked === 0);
    const { sink } = emulator.stats();
    expect(sink.bytes).toBe(50_000);
    expect(sink.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(c.delivered).toHaveLength(0);
  });
});

describe('shell mode', () => {
  it('runs a real shell in a pty, applies Size with resize, and ends with channel_closed on exit', async () => {
    const emulator = await bed.start({ mode: 'shell', sendExitCode: true, closeSocketDelayMs: 20 });
    const resized = once(emulator.events, 'resize');
    const c = await bed.connect(emulator);
    c.sendSize(100, 40);
    expect((await resized)[0]).toEqual({ cols: 100, rows: 40 });
    c.sendInput('stty size; exit 3\r');
    const end = await emulator.ended;
    expect(end).toEqual({ reason: 'exited', exitCode: 3 });
    await c.waitFor(() => c.channelClosed !== undefined);
    expect(c.output().toString()).toContain('40 100');
    expect(c.output(PayloadType.ExitCode).toString()).toBe('EXIT_CODE: 3');
    expect(emulator.stats().lastSize).toEqual({ cols: 100, rows: 40 });
  });

  it('a TerminateSession flag ends the session and kills the shell', async () => {
    const emulator = await bed.start({ mode: 'shell' });
    const c = await bed.connect(emulator);
    await once(emulator.events, 'ready');
    c.sendFlag(Flag.TerminateSession);
    expect((await emulator.ended).reason).toBe('client-terminated');
    await c.waitFor(() => c.channelClosed !== undefined);
  });

  it('a client that closes its connection normally has left: the session ends and the shell is killed', async () => {
    const emulator = await bed.start({ mode: 'shell', shell: { args: ['-c', 'sleep 30'] } });
    const c = await bed.connect(emulator);
    await once(emulator.events, 'ready');
    c.ws.close(1000);
    expect((await emulator.ended).reason).toBe('client-left');
  });

  it('keepSessionOnClientClose keeps the session for a later connection after a normal close', async () => {
    const emulator = await bed.start({ mode: 'echo', keepSessionOnClientClose: true });
    const c = await bed.connect(emulator);
    c.ws.close(1000);
    await once(emulator.events, 'disconnect');
    let ended = false;
    void emulator.ended.then(() => {
      ended = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBe(false);
    await expect(
      Promise.resolve().then(() =>
        bed.start({ mode: 'echo', keepSessionOnClientClose: 'yes' as unknown as boolean }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('close() kills a running shell and leaves nothing behind', async () => {
    const emulator = await bed.start({ mode: 'shell', shell: { args: ['-c', 'sleep 30'] } });
    await bed.connect(emulator);
    await once(emulator.events, 'ready');
    const started = Date.now();
    await emulator.close();
    expect((await emulator.ended).reason).toBe('emulator-closed');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
