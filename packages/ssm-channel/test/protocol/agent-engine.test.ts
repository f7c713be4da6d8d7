import { describe, expect, test } from 'vitest';
import type { AgentMessage } from '../../src/codec/agent-message.js';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';
import {
  encodeHandshakeResponse,
  type ProcessedClientAction,
} from '../../src/codec/payloads/handshake-response.js';
import { encodeTerminalSize } from '../../src/codec/payloads/terminal-size.js';
import type { SsmChannelError } from '../../src/errors.js';
import { createAgentEngine } from '../../src/protocol/agent/agent-engine.js';
import type { AgentEngineOptions } from '../../src/protocol/agent/agent-options.js';
import { encodePublicationFrame } from '../../src/protocol/agent/service-frames.js';
import { bytes, counterIds, json } from '../sim/client-harness.js';

const clientIds = counterIds(3);

function inputFrame(
  seq: number,
  payload: Uint8Array | string,
  payloadType: number = PayloadType.Output,
): Uint8Array {
  return encodeAgentMessage({
    messageType: MessageType.InputStreamData,
    sequenceNumber: seq,
    payloadType,
    payload: typeof payload === 'string' ? bytes(payload) : payload,
    createdDate: 1_700_000_000_000,
    messageId: clientIds(),
  });
}

function ackOf(message: AgentMessage): Uint8Array {
  return encodeAgentMessage({
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    payloadType: 0,
    flags: HeaderFlag.Ack,
    payload: encodeAcknowledge({
      acknowledgedMessageType: message.messageType,
      acknowledgedMessageId: message.messageId,
      acknowledgedMessageSequenceNumber: message.sequenceNumber,
    }),
    createdDate: 1_700_000_000_000,
    messageId: clientIds(),
  });
}

function response(actions: ProcessedClientAction[]): Uint8Array {
  return encodeHandshakeResponse({ clientVersion: '1.0.0.0', processedClientActions: actions, errors: null });
}

const ok = (actionType: string): ProcessedClientAction => ({
  actionType,
  actionStatus: 1,
  actionResult: null,
  error: '',
});

function agentHarness(options: Partial<AgentEngineOptions> = {}) {
  let time = 0;
  const sent: AgentMessage[] = [];
  const input: string[] = [];
  const sizes: unknown[] = [];
  const errors: SsmChannelError[] = [];
  const events: string[] = [];
  const engine = createAgentEngine({
    now: () => time,
    wallClock: () => 1_700_000_000_000 + time,
    randomId: counterIds(4),
    sendFrame: (f) => {
      sent.push(decodeAgentMessage(f));
    },
    onInput: (b) => input.push(Buffer.from(b).toString()),
    onSize: (s) => sizes.push(s),
    onReady: () => events.push('ready'),
    onDrained: () => events.push('drained'),
    onWritable: () => events.push('writable'),
    onError: (e) => errors.push(e),
    ...options,
  });
  return {
    engine,
    sent,
    input,
    sizes,
    errors,
    events,
    take: () => sent.splice(0),
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        const d = engine.nextDeadline();
        if (d === undefined || d > end) break;
        time = Math.max(time, d);
        engine.onTimer();
      }
      time = end;
    },
  };
}

describe('agent engine', () => {
  test('without a handshake it is ready at the first transportUp; output has Flags 1 on seq 0 only', () => {
    const a = agentHarness();
    expect(a.engine.phase).toBe('idle');
    // Held until the session is ready; the writer is told when it may go on.
    expect(a.engine.sendOutput(new Uint8Array(1500).fill(65))).toBe(false);
    expect(a.take()).toEqual([]);
    a.engine.transportUp();
    expect(a.events).toEqual(['ready', 'writable']);
    const out = a.take();
    expect(
      out.map((m) => [m.messageType, m.sequenceNumber, m.flags, m.payloadType, m.payloadLength]),
    ).toEqual([
      ['output_stream_data', 0, 1, 1, 1024],
      ['output_stream_data', 1, 0, 1, 476],
    ]);
    a.engine.receive(ackOf(out[1]!));
    a.engine.receive(ackOf(out[0]!));
    expect(a.events).toEqual(['ready', 'writable', 'drained']);
  });

  test('the handshake: SessionType first, KMS appended; input before the response is acked and discarded', () => {
    const a = agentHarness({
      handshake: {
        sessionType: 'InteractiveCommands',
        kmsKeyId: 'alias/k',
        extraActions: [{ actionType: 'Other', actionParameters: null }],
      },
    });
    a.engine.transportUp();
    const [request] = a.take();
    expect([request!.sequenceNumber, request!.flags, request!.payloadType]).toEqual([
      0,
      1,
      PayloadType.HandshakeRequest,
    ]);
    const body = json(request!) as {
      AgentVersion: string;
      RequestedClientActions: Record<string, unknown>[];
    };
    expect(body.AgentVersion).toBe('3.3.0.0');
    expect(body.RequestedClientActions.map((x) => x.ActionType)).toEqual([
      'SessionType',
      'KMSEncryption',
      'Other',
    ]);
    expect(body.RequestedClientActions[0]!.ActionParameters).toEqual({
      SessionType: 'InteractiveCommands',
      Properties: null,
    });
    const kms = body.RequestedClientActions[1]!.ActionParameters as { KMSKeyId: string; Challenge: string };
    expect(kms.KMSKeyId).toBe('alias/k');
    expect(Buffer.from(kms.Challenge, 'base64')).toHaveLength(16);

    a.engine.receive(inputFrame(0, 'early'));
    expect(a.input).toEqual([]);
    expect(a.take().map((m) => m.messageType)).toEqual(['acknowledge']);
    expect(a.engine.stats().discardedDuringHandshake).toBe(1);
  });

  test('a good response completes the handshake; a failed action fails it', () => {
    const good = agentHarness({ handshake: { customerMessage: 'hi' } });
    good.engine.transportUp();
    good.take();
    good.advance(250);
    good.take();
    good.engine.receive(inputFrame(0, response([ok('SessionType')]), PayloadType.HandshakeResponse));
    const sent = good.take();
    const complete = sent.find((m) => m.payloadType === PayloadType.HandshakeComplete)!;
    expect(json(complete)).toEqual({ HandshakeTimeToComplete: 250_000_000, CustomerMessage: 'hi' });
    expect(good.engine.phase).toBe('ready');

    const bad = agentHarness({ handshake: { kmsKeyId: 'k' } });
    bad.engine.transportUp();
    bad.engine.receive(
      inputFrame(
        0,
        response([
          ok('SessionType'),
          { actionType: 'KMSEncryption', actionStatus: 2, actionResult: null, error: 'no' },
        ]),
        PayloadType.HandshakeResponse,
      ),
    );
    expect(bad.errors.map((e) => e.code)).toEqual(['HANDSHAKE_FAILED']);
    expect(bad.errors[0]!.message).toContain('KMSEncryption');
  });

  test('the handshake times out after timeoutMs', () => {
    const a = agentHarness({ handshake: { timeoutMs: 15_000 } });
    a.engine.transportUp();
    a.advance(14_999);
    expect(a.errors).toEqual([]);
    a.advance(1);
    expect(a.errors.map((e) => e.code)).toEqual(['HANDSHAKE_TIMEOUT']);
  });

  test('input: in order, re-acked duplicates, reorder buffer, sizes and flags, refusal while not ready', () => {
    const a = agentHarness();
    a.engine.transportUp();
    a.engine.receive(inputFrame(1, encodeTerminalSize({ cols: 90, rows: 20 }), PayloadType.Size));
    a.engine.receive(inputFrame(0, 'ls'));
    a.engine.receive(inputFrame(0, 'ls'));
    expect(a.input).toEqual(['ls']);
    expect(a.sizes).toEqual([{ cols: 90, rows: 20 }]);
    const acks = a.take().map((m) => json(m));
    expect(acks.map((x) => [x.AcknowledgedMessageType, x.AcknowledgedMessageSequenceNumber])).toEqual([
      ['input_stream_data', 1],
      ['input_stream_data', 0],
      ['input_stream_data', 0],
    ]);
    a.engine.setInputPaused(true);
    a.engine.receive(inputFrame(2, 'x'));
    expect(a.input).toEqual(['ls']);
    a.engine.setInputPaused(false);
    expect(a.input).toEqual(['ls', 'x']);
  });

  test('retransmission is head-first, one per 100 ms tick by default, with the same bytes', () => {
    const a = agentHarness();
    a.engine.transportUp();
    a.engine.sendOutput(bytes('a'));
    a.engine.sendOutput(bytes('b'));
    a.engine.sendOutput(bytes('c'));
    const first = a.take();
    a.advance(200);
    expect(a.take().map((m) => m.messageId)).toEqual([first[0]!.messageId]);
    a.advance(99);
    expect(a.take()).toEqual([]);
    a.advance(1);
    expect(a.take().map((m) => m.sequenceNumber)).toEqual([1]);
    a.advance(100);
    expect(a.take().map((m) => m.sequenceNumber)).toEqual([2]);
  });

  test('pause from the service stops output; any input or ack resumes it', () => {
    const a = agentHarness();
    a.engine.transportUp();
    a.engine.receive(encodePublicationFrame({ randomId: clientIds, wallClock: () => 1 }, true));
    a.engine.sendOutput(bytes('a'));
    a.advance(1000);
    expect(a.take()).toEqual([]);
    a.engine.receive(inputFrame(0, 'k'));
    expect(a.take().map((m) => m.messageType)).toEqual(['output_stream_data', 'acknowledge']);
  });

  test('stderr, exit code and flags have their payload types; channel_closed ends it', () => {
    const a = agentHarness();
    a.engine.transportUp();
    a.engine.sendStderr(bytes('oops'));
    a.engine.sendExitCode(3);
    a.engine.sendFlag(3);
    expect(a.take().map((m) => [m.payloadType, Buffer.from(m.payload).toString('latin1')])).toEqual([
      [PayloadType.StdErr, 'oops'],
      [PayloadType.ExitCode, 'EXIT_CODE: 3'],
      [PayloadType.Flag, '\u0000\u0000\u0000\u0003'],
    ]);
    a.engine.closeChannel({ sessionId: 's-1', output: 'bye' });
    const [closed] = a.take();
    expect(closed!.messageType).toBe('channel_closed');
    expect(json(closed!)).toMatchObject({ SessionId: 's-1', Output: 'bye', MessageType: 'channel_closed' });
    expect(a.engine.phase).toBe('closed');
    expect(() => a.engine.sendOutput(bytes('x'))).toThrow(
      expect.objectContaining({ code: 'CHANNEL_CLOSED' }),
    );
  });

  test('the bounded window makes sendOutput return false until acks free room', () => {
    const a = agentHarness({ maxUnackedMessages: 2 });
    a.engine.transportUp();
    expect(a.engine.sendOutput(new Uint8Array(3000))).toBe(false);
    const out = a.take();
    expect(out).toHaveLength(2);
    a.engine.receive(ackOf(out[0]!));
    expect(a.events).not.toContain('writable');
    a.engine.receive(ackOf(out[1]!));
    a.engine.receive(ackOf(a.take()[0]!));
    expect(a.events).toContain('writable');
    expect(a.events.at(-1)).toBe('drained');
  });

  test('garbage is dropped, never thrown', () => {
    const a = agentHarness();
    a.engine.transportUp();
    for (let i = 0; i < 50; i++) a.engine.receive(new Uint8Array(i * 7).fill(i));
    expect(a.engine.stats().droppedFrames).toBe(50);
  });
});
