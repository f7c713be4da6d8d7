import fc from 'fast-check';
import {
  decodeAcknowledge,
  decodeChannelClosed,
  decodeExitCode,
  decodeFlag,
  decodeHandshakeComplete,
  decodeHandshakeRequest,
  decodeHandshakeResponse,
  decodeOpenDataChannel,
  decodeTerminalSize,
  encodeAcknowledge,
  encodeChannelClosed,
  encodeExitCode,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeOpenDataChannel,
  encodeTerminalSize,
  SsmProtocolError,
} from 'ssm-channel';
import { describe, expect, test } from 'vitest';

const RUNS = Number(process.env.PROP_RUNS ?? (process.env.CI ? 10_000 : 1_000));

const decoders: [string, (payload: Uint8Array) => unknown][] = [
  ['acknowledge', decodeAcknowledge],
  ['channel_closed', decodeChannelClosed],
  ['exit code', decodeExitCode],
  ['flag', decodeFlag],
  ['handshake complete', decodeHandshakeComplete],
  ['handshake request', decodeHandshakeRequest],
  ['handshake response', decodeHandshakeResponse],
  ['open data channel', decodeOpenDataChannel],
  ['terminal size', decodeTerminalSize],
];

function onlyProtocolErrors(decode: (payload: Uint8Array) => unknown, payload: Uint8Array): void {
  try {
    decode(payload);
  } catch (error) {
    if (!(error instanceof SsmProtocolError)) throw error;
  }
}

/** JSON documents shaped like the payloads: known keys (in random case) with values of any JSON type. */
const keys = [
  'AcknowledgedMessageType',
  'AcknowledgedMessageSequenceNumber',
  'IsSequentialMessage',
  'RequestedClientActions',
  'ProcessedClientActions',
  'ActionType',
  'ActionStatus',
  'Errors',
  'HandshakeTimeToComplete',
  'CreatedDate',
  'SchemaVersion',
  'TokenValue',
  'cols',
  'rows',
];
const key = fc
  .tuple(fc.constantFrom(...keys), fc.boolean())
  .map(([k, upper]) => (upper ? k.toUpperCase() : k));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('object'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).value;
const jsonPayload = fc.oneof(
  fc.json(),
  value.map((v) => JSON.stringify(v) ?? 'null'),
);

describe.each(decoders)('%s decoder', (_name, decode) => {
  test('arbitrary bytes or JSON give a value or an SsmProtocolError', () => {
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      jsonPayload.map((json) => new TextEncoder().encode(json)),
    );
    fc.assert(
      fc.property(payload, (bytes) => onlyProtocolErrors(decode, bytes)),
      { numRuns: RUNS },
    );
  });
});

describe('payload round trips', () => {
  const str = fc.string({ unit: 'binary', maxLength: 40 });
  const uint32 = fc.integer({ min: 0, max: 0xffffffff });
  const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const round = <T>(arb: fc.Arbitrary<T>, encode: (v: T) => Uint8Array, decode: (p: Uint8Array) => unknown) =>
    fc.assert(
      fc.property(arb, (v) => {
        expect(decode(encode(v))).toEqual(v);
      }),
      { numRuns: RUNS },
    );

  test('acknowledge', () => {
    const ack = fc.record({
      acknowledgedMessageType: str,
      acknowledgedMessageId: str,
      acknowledgedMessageSequenceNumber: safe,
      isSequentialMessage: fc.boolean(),
    });
    round(ack, encodeAcknowledge, decodeAcknowledge);
  });
  test('terminal size', () =>
    round(fc.record({ cols: uint32, rows: uint32 }), encodeTerminalSize, decodeTerminalSize));
  test('handshake complete', () =>
    round(
      fc.record({ handshakeTimeToComplete: safe, customerMessage: str }),
      encodeHandshakeComplete,
      decodeHandshakeComplete,
    ));
  test('handshake request', () => {
    const action = fc.record({ actionType: str, actionParameters: json });
    round(
      fc.record({ agentVersion: str, requestedClientActions: fc.array(action, { maxLength: 3 }) }),
      encodeHandshakeRequest,
      decodeHandshakeRequest,
    );
  });
  test('handshake response', () => {
    const action = fc.record({ actionType: str, actionStatus: fc.integer(), actionResult: json, error: str });
    round(
      fc.record({
        clientVersion: str,
        processedClientActions: fc.array(action, { maxLength: 3 }),
        errors: fc.option(fc.array(str, { maxLength: 3 }), { nil: null }),
      }),
      encodeHandshakeResponse,
      decodeHandshakeResponse,
    );
  });
  test('channel_closed', () => {
    const closed = fc.record({
      messageId: str,
      createdDate: str,
      destinationId: str,
      sessionId: str,
      messageType: str,
      schemaVersion: fc.integer(),
      output: str,
    });
    round(closed, encodeChannelClosed, decodeChannelClosed);
  });
  test('exit code', () =>
    round(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), encodeExitCode, decodeExitCode));
  test('open data channel', () => {
    const open = fc.record(
      { messageSchemaVersion: str, requestId: str, tokenValue: str, clientId: str, clientVersion: str },
      { requiredKeys: ['messageSchemaVersion', 'requestId', 'tokenValue'] },
    );
    fc.assert(
      fc.property(open, (v) => {
        expect({ ...decodeOpenDataChannel(encodeOpenDataChannel(v)) }).toEqual(v);
      }),
      { numRuns: RUNS },
    );
  });
});
