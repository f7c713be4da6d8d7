import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { MessageType, PayloadType } from '../../src/codec/constants.js';
import { DEFAULT_CLIENT_VERSION } from '../../src/protocol/client-options.js';
import {
  bytes,
  clientHarness,
  handshakeCompleteFrame,
  handshakeRequestFrame,
  json,
  outputFrame,
  sessionTypeAction,
  startShell,
} from '../sim/client-harness.js';

describe('OpenDataChannel frame', () => {
  test('fresh RequestId each time, one ClientId, the chosen ClientVersion, the token only in the frame', () => {
    const h = clientHarness({ up: false });
    const first = JSON.parse(h.engine.openFrame('secret-token-1')) as Record<string, string>;
    const second = JSON.parse(h.engine.openFrame('secret-token-2')) as Record<string, string>;
    expect(Object.keys(first)).toEqual([
      'MessageSchemaVersion',
      'RequestId',
      'TokenValue',
      'ClientId',
      'ClientVersion',
    ]);
    expect(first.MessageSchemaVersion).toBe('1.0');
    expect(first.TokenValue).toBe('secret-token-1');
    expect(second.TokenValue).toBe('secret-token-2');
    expect(first.ClientId).toBe(h.engine.clientId);
    expect(second.ClientId).toBe(h.engine.clientId);
    expect(first.RequestId).not.toBe(second.RequestId);
    // Below 1.1.70: the agent must not switch port sessions to smux, which this engine does not speak.
    expect(first.ClientVersion).toBe(DEFAULT_CLIENT_VERSION);
    expect(DEFAULT_CLIENT_VERSION).toBe('1.0.0.0');
    const everything = `${inspect(h.engine, { depth: 10, showHidden: true })}${JSON.stringify(h.engine.stats())}`;
    expect(everything).not.toContain('secret-token');
  });

  test('an empty token is refused at once', () => {
    const h = clientHarness({ up: false });
    expect(() => h.engine.openFrame('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('start without a handshake (shell)', () => {
  test('input and size wait for the first output, which starts the session', () => {
    const h = clientHarness({ terminalSize: { cols: 120, rows: 40 } });
    expect(h.engine.write(bytes('ls\r'))).toBe(false);
    h.engine.resize(100, 30);
    expect(h.take()).toEqual([]);
    expect(h.engine.phase).toBe('starting');

    startShell(h, 'prompt$ ');
    expect(h.engine.phase).toBe('open');
    expect(h.starts).toEqual([{ handshake: false }]);
    expect(h.text()).toBe('prompt$ ');
    const sent = h.take();
    const data = sent.filter((m) => m.messageType === MessageType.InputStreamData);
    expect(data.map((m) => [m.sequenceNumber, m.payloadType])).toEqual([
      [0, PayloadType.Size],
      [1, PayloadType.Output],
    ]);
    expect(json(data[0]!)).toEqual({ cols: 100, rows: 30 });
    expect(Buffer.from(data[1]!.payload).toString()).toBe('ls\r');
    expect(sent.filter((m) => m.messageType === MessageType.Acknowledge)).toHaveLength(1);
    expect(h.writable).toBe(1);
  });

  test('without a known size nothing is sent until resize()', () => {
    const h = clientHarness();
    startShell(h);
    expect(h.takeData()).toEqual([]);
    h.engine.resize(80, 24);
    expect(h.takeData().map((m) => m.payloadType)).toEqual([PayloadType.Size]);
  });

  test('the start times out when neither a handshake nor output arrives', () => {
    const h = clientHarness({ startTimeoutMs: 5000 });
    h.advance(4999);
    expect(h.errors).toEqual([]);
    h.advance(1);
    expect(h.errors.map((e) => e.code)).toEqual(['HANDSHAKE_TIMEOUT']);
    expect(h.engine.phase).toBe('failed');
  });
});

describe('handshake', () => {
  test('SessionType is answered, nothing else is sent before HandshakeComplete, then size and input', () => {
    const h = clientHarness({ terminalSize: { cols: 80, rows: 24 } });
    h.engine.write(bytes('whoami\r'));
    h.engine.receive(handshakeRequestFrame([sessionTypeAction('Standard_Stream')]));
    expect(h.engine.phase).toBe('handshaking');
    const sent = h.take();
    const response = sent.find((m) => m.payloadType === PayloadType.HandshakeResponse)!;
    expect(response.messageType).toBe(MessageType.InputStreamData);
    expect(response.sequenceNumber).toBe(0);
    expect(json(response)).toEqual({
      ClientVersion: DEFAULT_CLIENT_VERSION,
      ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1, ActionResult: null, Error: '' }],
      Errors: null,
    });
    const ack = sent.find((m) => m.messageType === MessageType.Acknowledge)!;
    expect(json(ack)).toMatchObject({
      AcknowledgedMessageType: 'output_stream_data',
      AcknowledgedMessageSequenceNumber: 0,
    });
    expect(sent).toHaveLength(2);
    // The request is acknowledged before the answer goes out, as the official client does (§9.2).
    expect(sent.map((m) => m.messageType)).toEqual([MessageType.Acknowledge, MessageType.InputStreamData]);

    h.engine.resize(90, 30);
    h.engine.write(bytes('id\r'));
    expect(h.takeData()).toEqual([]);

    h.engine.receive(handshakeCompleteFrame(1, 'This session is encrypted using AWS KMS.'));
    expect(h.engine.phase).toBe('open');
    expect(h.starts).toEqual([
      {
        handshake: true,
        agentVersion: '3.3.0.0',
        sessionType: 'Standard_Stream',
        sessionProperties: null,
        customerMessage: 'This session is encrypted using AWS KMS.',
        handshakeTimeToCompleteNs: 246_993_163,
      },
    ]);
    const data = h.takeData();
    expect(data.map((m) => [m.sequenceNumber, m.payloadType])).toEqual([
      [1, PayloadType.Size],
      [2, PayloadType.Output],
    ]);
    expect(json(data[0]!)).toEqual({ cols: 90, rows: 30 });
    expect(Buffer.from(data[1]!.payload).toString()).toBe('whoami\rid\r');
    expect(h.stdout).toEqual([]);
  });

  test('KMSEncryption is refused with a coded error, after answering the agent', () => {
    const h = clientHarness();
    h.engine.receive(
      handshakeRequestFrame([
        sessionTypeAction(),
        { actionType: 'KMSEncryption', actionParameters: { KMSKeyId: 'alias/key', Challenge: 'AAAA' } },
      ]),
    );
    const response = h.take().find((m) => m.payloadType === PayloadType.HandshakeResponse)!;
    const body = json(response) as { ProcessedClientActions: Record<string, unknown>[]; Errors: string[] };
    expect(body.ProcessedClientActions.map((a) => [a.ActionType, a.ActionStatus])).toEqual([
      ['SessionType', 1],
      ['KMSEncryption', 2],
    ]);
    expect(body.ProcessedClientActions[1]!.Error).toMatch(/KMS encryption is not supported/);
    expect(body.Errors).toHaveLength(1);
    expect(h.errors.map((e) => e.code)).toEqual(['KMS_ENCRYPTION_UNSUPPORTED']);
    expect(h.errors[0]!.message).toContain('alias/key');
    expect(h.engine.phase).toBe('failed');
    expect(() => h.engine.write(bytes('x'))).toThrow(expect.objectContaining({ code: 'CHANNEL_CLOSED' }));
    h.engine.receive(handshakeCompleteFrame(1));
    expect(h.take()).toEqual([]);
    expect(h.engine.nextDeadline()).toBeUndefined();
  });

  test('an unknown action is answered Unsupported in ActionStatus (not the plugin bug) and is not fatal', () => {
    const h = clientHarness();
    h.engine.receive(
      handshakeRequestFrame([sessionTypeAction(), { actionType: 'Teleport', actionParameters: {} }]),
    );
    const body = json(h.take().find((m) => m.payloadType === PayloadType.HandshakeResponse)!);
    expect(body.ProcessedClientActions).toEqual([
      { ActionType: 'SessionType', ActionStatus: 1, ActionResult: null, Error: '' },
      { ActionType: 'Teleport', ActionStatus: 3, ActionResult: null, Error: 'Unsupported action Teleport' },
    ]);
    expect(body.Errors).toEqual(['Unsupported action Teleport']);
    expect(h.errors).toEqual([]);
    expect(h.engine.phase).toBe('handshaking');
  });

  test('an unknown session type fails the action and the engine', () => {
    const h = clientHarness();
    h.engine.receive(handshakeRequestFrame([sessionTypeAction('Quantum_Stream')]));
    const body = json(h.take().find((m) => m.payloadType === PayloadType.HandshakeResponse)!) as {
      ProcessedClientActions: { ActionStatus: number }[];
    };
    expect(body.ProcessedClientActions[0]!.ActionStatus).toBe(2);
    expect(h.errors.map((e) => e.code)).toEqual(['HANDSHAKE_FAILED']);
  });

  test('port properties are recorded', () => {
    const h = clientHarness();
    const properties = { portNumber: '22', type: 'LocalPortForwarding' };
    h.engine.receive(handshakeRequestFrame([sessionTypeAction('Port', properties)]));
    h.engine.receive(handshakeCompleteFrame(1));
    expect(h.starts[0]).toMatchObject({ sessionType: 'Port', sessionProperties: properties });
  });

  test('handshake payloads are handled when they come out of the reorder buffer', () => {
    const h = clientHarness();
    h.engine.receive(outputFrame(2, 'hello'));
    h.engine.receive(handshakeCompleteFrame(1));
    expect(h.engine.phase).toBe('starting');
    expect(h.engine.stats().reorderMessages).toBe(2);
    h.engine.receive(handshakeRequestFrame([sessionTypeAction()]));
    expect(h.engine.phase).toBe('open');
    expect(h.starts).toHaveLength(1);
    expect(h.starts[0]!.handshake).toBe(true);
    expect(h.text()).toBe('hello');
    expect(h.engine.stats().reorderMessages).toBe(0);
  });

  test('a HandshakeComplete without a request, or a second request, is ignored', () => {
    const h = clientHarness();
    h.engine.receive(handshakeRequestFrame([sessionTypeAction()]));
    h.engine.receive(handshakeRequestFrame([sessionTypeAction()], 1));
    h.engine.receive(handshakeCompleteFrame(2));
    h.engine.receive(handshakeCompleteFrame(3));
    expect(h.engine.stats().ignored).toBe(2);
    expect(h.starts).toHaveLength(1);
    expect(h.take().filter((m) => m.payloadType === PayloadType.HandshakeResponse)).toHaveLength(1);
  });

  test('an undecodable HandshakeRequest fails the engine without throwing', () => {
    const h = clientHarness();
    expect(() => h.engine.receive(outputFrame(0, '{not json', PayloadType.HandshakeRequest))).not.toThrow();
    expect(h.errors.map((e) => e.code)).toEqual(['HANDSHAKE_FAILED']);
  });
});
