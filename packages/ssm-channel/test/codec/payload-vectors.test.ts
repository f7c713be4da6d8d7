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
  encodeFlag,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeOpenDataChannel,
  encodeTerminalSize,
  Flag,
} from 'ssm-channel';
import { describe, expect, test } from 'vitest';
import { bytes, fromHex, loadFixture, text, toHex } from './load-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: vector JSON is untyped.
type Json = any;
interface PayloadVector {
  id: string;
  json?: string;
  parsed?: Json;
  values?: Record<string, string>;
  examples?: Record<string, string>;
}
const { vectors } = loadFixture<{ vectors: PayloadVector[] }>('payloads.json');
const byPrefix = (prefix: string): PayloadVector[] => vectors.filter((v) => v.id.startsWith(prefix));
/** Whether the vector's JSON is Go's compact marshal output (not a hand-written test template). */
const compact = (v: PayloadVector): boolean => !v.json!.includes('\n');

/**
 * One JSON payload codec: `toModel` maps the vector's PascalCase `parsed` object to the camelCase model
 * (with Go's zero values for missing keys); `exact` says which vectors our encoder must reproduce byte for byte.
 */
interface Case {
  prefix: string;
  decode: (payload: Uint8Array) => unknown;
  encode: (model: Json) => Uint8Array;
  toModel: (parsed: Json) => unknown;
  exact: (v: PayloadVector) => boolean;
}

const cases: Case[] = [
  {
    prefix: 'ack-',
    decode: decodeAcknowledge,
    encode: encodeAcknowledge,
    toModel: (p) => ({
      acknowledgedMessageType: p.AcknowledgedMessageType ?? '',
      acknowledgedMessageId: p.AcknowledgedMessageId ?? '',
      acknowledgedMessageSequenceNumber: p.AcknowledgedMessageSequenceNumber ?? 0,
      isSequentialMessage: p.IsSequentialMessage ?? false,
    }),
    exact: compact,
  },
  {
    prefix: 'channel-closed-',
    decode: decodeChannelClosed,
    encode: encodeChannelClosed,
    toModel: (p) => ({
      messageId: p.MessageId ?? '',
      createdDate: p.CreatedDate ?? '',
      destinationId: p.DestinationId ?? '',
      sessionId: p.SessionId ?? '',
      messageType: p.MessageType ?? '',
      schemaVersion: p.SchemaVersion ?? 0,
      output: p.Output ?? '',
    }),
    // The agent's struct has another field order and no Output: only the plugin struct is reproduced.
    exact: (v) => v.id === 'channel-closed-plugin-struct',
  },
  {
    prefix: 'handshake-request-',
    decode: decodeHandshakeRequest,
    encode: encodeHandshakeRequest,
    toModel: (p) => ({
      agentVersion: p.AgentVersion,
      requestedClientActions: p.RequestedClientActions.map((a: Json) => ({
        actionType: a.ActionType,
        actionParameters: a.ActionParameters,
      })),
    }),
    exact: compact,
  },
  {
    prefix: 'handshake-response-',
    decode: decodeHandshakeResponse,
    encode: encodeHandshakeResponse,
    toModel: (p) => ({
      clientVersion: p.ClientVersion,
      processedClientActions: p.ProcessedClientActions.map((a: Json) => ({
        actionType: a.ActionType,
        actionStatus: a.ActionStatus,
        actionResult: a.ActionResult,
        error: a.Error,
      })),
      errors: p.Errors,
    }),
    exact: compact,
  },
  {
    prefix: 'handshake-complete-',
    decode: decodeHandshakeComplete,
    encode: encodeHandshakeComplete,
    toModel: (p) => ({
      handshakeTimeToComplete: p.HandshakeTimeToComplete,
      customerMessage: p.CustomerMessage,
    }),
    exact: compact,
  },
  {
    prefix: 'size-',
    decode: decodeTerminalSize,
    encode: encodeTerminalSize,
    toModel: (p) => ({ cols: p.cols, rows: p.rows }),
    exact: compact,
  },
  {
    prefix: 'open-data-channel-',
    decode: (payload) => decodeOpenDataChannel(text(payload)),
    encode: (model) => bytes(encodeOpenDataChannel(model)),
    toModel: (p) => ({
      messageSchemaVersion: p.MessageSchemaVersion,
      requestId: p.RequestId,
      tokenValue: p.TokenValue,
      ...(p.ClientId === undefined ? {} : { clientId: p.ClientId }),
      ...(p.ClientVersion === undefined ? {} : { clientVersion: p.ClientVersion }),
    }),
    // The agent variant carries ClientInstanceId, which a client never sends.
    exact: (v) => v.id !== 'open-data-channel-agent',
  },
];

describe.each(cases.map((c) => [c.prefix, c] as const))('payloads.json %s*', (_prefix, c) => {
  const list = byPrefix(c.prefix);
  test('has vectors', () => {
    expect(list.length).toBeGreaterThan(0);
  });
  test.each(list.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const model = c.toModel(v.parsed);
    const decoded = c.decode(bytes(v.json!));
    expect(decoded).toEqual(model);
    if (c.exact(v)) expect(text(c.encode(model))).toBe(v.json);
    expect(c.decode(c.encode(decoded))).toEqual(decoded);
  });
});

describe('binary and text payload vectors', () => {
  test('flag-payloads', () => {
    const v = vectors.find((x) => x.id === 'flag-payloads')!;
    for (const [name, hex] of Object.entries(v.values!)) {
      const value = Flag[name as keyof typeof Flag];
      expect(toHex(encodeFlag(value))).toBe(hex);
      expect(decodeFlag(fromHex(hex))).toBe(value);
    }
  });

  test('exit-code-payload', () => {
    const v = vectors.find((x) => x.id === 'exit-code-payload')!;
    for (const [code, payload] of Object.entries(v.examples!)) {
      expect(text(encodeExitCode(Number(code)))).toBe(payload);
      expect(decodeExitCode(bytes(payload))).toBe(Number(code));
    }
  });
});
