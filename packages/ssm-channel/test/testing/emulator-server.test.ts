import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeOpenDataChannel } from '../../src/codec/payloads/open-data-channel.js';
import type { SsmChannelError } from '../../src/errors.js';
import {
  type AgentEmulatorOptions,
  type EmulatorFaultOptions,
  startAgentEmulator,
} from '../../src/testing/index.js';
import { TRANSPORT_DEFAULTS } from '../../src/transport/transport-options.js';
import { openTransport } from '../../src/transport/ws-transport.js';
import { useEmulatorTestbed } from './emulator-testbed.js';

const bed = useEmulatorTestbed();

describe('agent emulator: tokens and connections', () => {
  it('listens on 127.0.0.1 with a StreamUrl of the service form, and accepts its token', async () => {
    const emulator = await bed.start({ sessionId: 'sess-1' });
    expect(emulator.url).toBe(
      `ws://127.0.0.1:${emulator.port}/v1/data-channel/sess-1?role=publish_subscribe`,
    );
    const connected = once(emulator.events, 'connection');
    const c = await bed.client(emulator.url, emulator.tokenValue);
    const [info] = await connected;
    expect(info).toMatchObject({ connection: 1, clientId: c.clientId, clientVersion: '1.2.0.0' });
    expect(emulator.stats().connections).toBe(1);
    expect(emulator.connected).toBe(true);
  });

  it('closes with 1008 before any frame for an unknown token', async () => {
    const emulator = await bed.start();
    const c = await bed.client(emulator.url, 'forged-token');
    expect(await c.closeEvent).toEqual({ code: 1008, reason: 'token unknown' });
    expect(c.received).toHaveLength(0);
    expect(emulator.stats()).toMatchObject({ connections: 0, authFailures: 1 });
  });

  it('refuses an expired token for new connections but keeps connections it already admitted', async () => {
    let now = 0;
    const emulator = await bed.start({ tokenValidityMs: 60_000, clock: () => now });
    const early = await bed.client(emulator.url, emulator.tokenValue);
    await once(emulator.events, 'connection');
    now = 60_000;
    const late = await bed.client(emulator.url, emulator.tokenValue);
    expect(await late.closeEvent).toEqual({ code: 1008, reason: 'token expired' });
    early.sendInput('still here');
    await early.waitFor(() => early.output().toString() === 'still here');
  });

  it('issueToken() gives fresh tokens for the same session: sequence state continues', async () => {
    const emulator = await bed.start({ mode: 'echo' });
    const c = await bed.client(emulator.url, emulator.tokenValue);
    c.sendInput('one');
    await c.waitFor(() => c.output().toString() === 'one' && c.unacked === 0);
    const fresh = emulator.issueToken();
    expect(fresh.streamUrl).toBe(emulator.url);
    expect(fresh.tokenValue).not.toBe(emulator.tokenValue);
    await c.reconnect(fresh.tokenValue);
    c.sendInput('two');
    await c.waitFor(() => c.output().toString() === 'onetwo');
    expect(c.delivered.map((m) => m.sequenceNumber)).toEqual([0, 1]);
    expect(emulator.stats().connections).toBe(2);
  });

  it('refuses a bad OpenDataChannel, or none within openTimeoutMs, with 1008', async () => {
    const emulator = await bed.start({ openTimeoutMs: 100 });
    const bad = new WebSocket(emulator.url);
    bad.on('open', () => bad.send('{"MessageSchemaVersion":"1.0"'));
    const [code, reason] = await once(bad, 'close');
    expect([code, String(reason)]).toEqual([1008, 'invalid OpenDataChannel']);

    const shortId = new WebSocket(emulator.url);
    shortId.on('open', () =>
      shortId.send(encodeOpenDataChannel({ requestId: 'short', tokenValue: emulator.tokenValue })),
    );
    expect((await once(shortId, 'close'))[0]).toBe(1008);

    const silent = new WebSocket(emulator.url);
    const [silentCode, silentReason] = await once(silent, 'close');
    expect([silentCode, String(silentReason)]).toEqual([1008, 'OpenDataChannel not received']);
    expect(emulator.stats().authFailures).toBe(3);
  });

  it('answers HTTP 404 for an unknown session path', async () => {
    const emulator = await bed.start();
    const ws = new WebSocket(`ws://127.0.0.1:${emulator.port}/v1/data-channel/nope?role=publish_subscribe`);
    ws.on('error', () => {});
    const [, response] = await once(ws, 'unexpected-response');
    expect(response.statusCode).toBe(404);
    ws.terminate();
  });

  it('hosts several sessions; a token opens only its own session', async () => {
    const emulator = await bed.start({ mode: 'echo' });
    const other = await emulator.createSession({ mode: 'sink', sessionId: 'other' });
    expect(other.url).toContain('/v1/data-channel/other?');
    const wrong = await bed.client(other.url, emulator.tokenValue);
    expect((await wrong.closeEvent).code).toBe(1008);
    const right = await bed.client(other.url, other.tokenValue);
    right.sendInput('swallowed');
    await right.waitFor(() => right.unacked === 0);
    expect(other.stats().sink.bytes).toBe(9);
    expect(emulator.stats().inputBytes).toBe(0);
    await expect(emulator.createSession({ sessionId: 'other' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    await expect(startAgentEmulator({ faults: { drop: 2 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(startAgentEmulator({ mode: 'nope' as 'echo' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(startAgentEmulator({ tokenValidityMs: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const bad: AgentEmulatorOptions[] = [
      { faults: null as unknown as EmulatorFaultOptions },
      { faults: 'drop' as unknown as EmulatorFaultOptions },
      { faults: { uplinkBytesPerSecond: 0 } },
      { greeting: 5 as unknown as string },
    ];
    for (const options of bad) {
      await expect(startAgentEmulator(options), JSON.stringify(options)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});

describe('agent emulator with the transport', () => {
  function openFrame(tokenValue: string): string {
    return encodeOpenDataChannel({ requestId: '0f0e0d0c-0b0a-4909-8807-060504030201', tokenValue });
  }

  it('a refused token reaches the transport as AUTH_FAILED', async () => {
    const emulator = await bed.start();
    let resolveClosed!: (error: SsmChannelError) => void;
    const closed = new Promise<SsmChannelError>((resolve) => {
      resolveClosed = resolve;
    });
    const transport = await openTransport(
      {
        streamUrl: emulator.url,
        openFrame: openFrame('wrong'),
        onFrame: () => {},
        onDrain: () => {},
        onClose: resolveClosed,
      },
      TRANSPORT_DEFAULTS,
    );
    expect((await closed).code).toBe('AUTH_FAILED');
    await transport.close();
  });

  it('a stalled emulator reaches the transport as PEER_UNRESPONSIVE', async () => {
    const emulator = await bed.start();
    const connected = once(emulator.events, 'connection');
    let resolveClosed!: (error: SsmChannelError) => void;
    const closed = new Promise<SsmChannelError>((resolve) => {
      resolveClosed = resolve;
    });
    let lost = false;
    const transport = await openTransport(
      {
        streamUrl: emulator.url,
        openFrame: openFrame(emulator.tokenValue),
        onFrame: () => {},
        onDrain: () => {},
        onClose: (error) => {
          lost = true;
          resolveClosed(error);
        },
      },
      { ...TRANSPORT_DEFAULTS, pingIntervalMs: 30, pongMs: 60 },
    );
    await connected;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lost).toBe(false);
    emulator.stall();
    expect((await closed).code).toBe('PEER_UNRESPONSIVE');
    expect(emulator.stats().faults.stalls).toBe(1);
    await transport.close();
  });
});
