import { inspect } from 'node:util';
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
  encodeExitCode,
  encodeFlag,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeOpenDataChannel,
  encodeTerminalSize,
  SsmProtocolError,
} from 'ssm-channel';
import { describe, expect, test } from 'vitest';
import { bytes, text } from './load-fixture.js';

const code = (c: string) => expect.objectContaining({ name: 'SsmProtocolError', code: c });

describe('Go-compatible JSON decoding', () => {
  test('keys match ASCII-case-insensitively; the last matching key wins', () => {
    expect(decodeTerminalSize(bytes('{"COLS":80,"Rows":24}'))).toEqual({ cols: 80, rows: 24 });
    expect(decodeTerminalSize(bytes('{"cols":1,"COLS":2,"rows":3}'))).toEqual({ cols: 2, rows: 3 });
    expect(
      decodeAcknowledge(bytes('{"acknowledgedmessagesequencenumber":9,"isSEQUENTIALmessage":true}')),
    ).toMatchObject({ acknowledgedMessageSequenceNumber: 9, isSequentialMessage: true });
  });

  test('missing keys, null values and a null document take zero values; unknown keys are ignored', () => {
    expect(decodeTerminalSize(bytes('null'))).toEqual({ cols: 0, rows: 0 });
    expect(decodeHandshakeComplete(bytes('{"CustomerMessage":null,"Extra":[1]}'))).toEqual({
      handshakeTimeToComplete: 0,
      customerMessage: '',
    });
    expect(decodeHandshakeRequest(bytes('{}'))).toEqual({ agentVersion: '', requestedClientActions: [] });
    expect(decodeHandshakeRequest(bytes('{"RequestedClientActions":[null,{"ActionType":"x"}]}'))).toEqual({
      agentVersion: '',
      requestedClientActions: [
        { actionType: '', actionParameters: null },
        { actionType: 'x', actionParameters: null },
      ],
    });
    expect(decodeHandshakeResponse(bytes('{"ClientVersion":"1"}'))).toEqual({
      clientVersion: '1',
      processedClientActions: [],
      errors: null,
    });
    expect(decodeChannelClosed(bytes('{"Output":"bye"}')).output).toBe('bye');
  });

  test.each([
    ['not JSON', () => decodeAcknowledge(bytes('{')), 'PAYLOAD_JSON_INVALID'],
    ['empty', () => decodeAcknowledge(new Uint8Array(0)), 'PAYLOAD_JSON_INVALID'],
    ['two documents', () => decodeTerminalSize(bytes('{}{}')), 'PAYLOAD_JSON_INVALID'],
    ['array document', () => decodeAcknowledge(bytes('[]')), 'PAYLOAD_SHAPE_INVALID'],
    ['number document', () => decodeAcknowledge(bytes('1')), 'PAYLOAD_SHAPE_INVALID'],
    ['string for a number', () => decodeTerminalSize(bytes('{"cols":"80"}')), 'PAYLOAD_SHAPE_INVALID'],
    ['fraction', () => decodeTerminalSize(bytes('{"cols":1.5}')), 'PAYLOAD_SHAPE_INVALID'],
    ['negative uint32', () => decodeTerminalSize(bytes('{"rows":-1}')), 'PAYLOAD_SHAPE_INVALID'],
    ['uint32 overflow', () => decodeTerminalSize(bytes('{"rows":4294967296}')), 'PAYLOAD_SHAPE_INVALID'],
    [
      'negative ack sequence',
      () => decodeAcknowledge(bytes('{"AcknowledgedMessageSequenceNumber":-1}')),
      'PAYLOAD_SHAPE_INVALID',
    ],
    [
      'unsafe ack sequence',
      () => decodeAcknowledge(bytes('{"AcknowledgedMessageSequenceNumber":9007199254740993}')),
      'PAYLOAD_SHAPE_INVALID',
    ],
    [
      'number for a bool',
      () => decodeAcknowledge(bytes('{"IsSequentialMessage":1}')),
      'PAYLOAD_SHAPE_INVALID',
    ],
    ['numeric CreatedDate', () => decodeChannelClosed(bytes('{"CreatedDate":1}')), 'PAYLOAD_SHAPE_INVALID'],
    [
      'object for actions',
      () => decodeHandshakeRequest(bytes('{"RequestedClientActions":{}}')),
      'PAYLOAD_SHAPE_INVALID',
    ],
    ['number in Errors', () => decodeHandshakeResponse(bytes('{"Errors":[1]}')), 'PAYLOAD_SHAPE_INVALID'],
    [
      'huge duration',
      () => decodeHandshakeComplete(bytes('{"HandshakeTimeToComplete":1e300}')),
      'PAYLOAD_SHAPE_INVALID',
    ],
  ])('%s is refused', (_name, fn, expected) => {
    expect(fn).toThrow(SsmProtocolError);
    expect(fn).toThrow(code(expected));
  });

  test('invalid UTF-8 reads as U+FFFD, as Go does', () => {
    const payload = Uint8Array.from([...bytes('{"CustomerMessage":"a'), 0xff, ...bytes('"}')]);
    expect(decodeHandshakeComplete(payload).customerMessage).toBe('a\ufffd');
  });
});

describe('Go-compatible JSON encoding', () => {
  test('HTML characters and U+2028/9 are escaped like json.Marshal', () => {
    const payload = encodeHandshakeComplete({
      handshakeTimeToComplete: 1,
      customerMessage: '<a&b>\u2028\u2029é',
    });
    expect(text(payload)).toBe(
      '{"HandshakeTimeToComplete":1,"CustomerMessage":"\\u003ca\\u0026b\\u003e\\u2028\\u2029é"}',
    );
    expect(decodeHandshakeComplete(payload).customerMessage).toBe('<a&b>\u2028\u2029é');
  });

  test('acknowledge defaults IsSequentialMessage to true', () => {
    const payload = encodeAcknowledge({
      acknowledgedMessageType: 'output_stream_data',
      acknowledgedMessageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
      acknowledgedMessageSequenceNumber: 0,
    });
    expect(text(payload)).toContain('"AcknowledgedMessageSequenceNumber":0,"IsSequentialMessage":true}');
  });

  test('handshake request/response with undefined parameters and empty lists', () => {
    expect(
      text(
        encodeHandshakeRequest({
          agentVersion: '1',
          requestedClientActions: [{ actionType: 'x', actionParameters: undefined }],
        }),
      ),
    ).toBe('{"AgentVersion":"1","RequestedClientActions":[{"ActionType":"x","ActionParameters":null}]}');
    expect(
      text(encodeHandshakeResponse({ clientVersion: '1', processedClientActions: [], errors: [] })),
    ).toBe('{"ClientVersion":"1","ProcessedClientActions":[],"Errors":[]}');
  });

  test.each([
    [
      'ack sequence -1',
      () =>
        encodeAcknowledge({
          acknowledgedMessageType: 'a',
          acknowledgedMessageId: 'b',
          acknowledgedMessageSequenceNumber: -1,
        }),
    ],
    ['size 2^32', () => encodeTerminalSize({ cols: 2 ** 32, rows: 1 })],
    ['size fraction', () => encodeTerminalSize({ cols: 1, rows: 0.5 })],
    ['flag -1', () => encodeFlag(-1)],
    ['exit code 1.5', () => encodeExitCode(1.5)],
    [
      'BigInt parameter',
      () =>
        encodeHandshakeRequest({
          agentVersion: '',
          requestedClientActions: [{ actionType: 'x', actionParameters: 1n }],
        }),
    ],
    [
      'status 1.5',
      () =>
        encodeHandshakeResponse({
          clientVersion: '',
          processedClientActions: [{ actionType: 'x', actionStatus: 1.5, actionResult: null, error: '' }],
          errors: null,
        }),
    ],
    ['number token', () => encodeOpenDataChannel({ requestId: 'r', tokenValue: 1 as unknown as string })],
  ])('%s is refused with PAYLOAD_SHAPE_INVALID', (_name, fn) => {
    expect(fn).toThrow(code('PAYLOAD_SHAPE_INVALID'));
  });
});

describe('Flag and ExitCode payloads', () => {
  test('a flag is exactly 4 bytes; any uint32 decodes', () => {
    expect(decodeFlag(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toBe(0xffffffff);
    expect(() => decodeFlag(new Uint8Array(3))).toThrow(code('PAYLOAD_SHAPE_INVALID'));
    expect(() => decodeFlag(new Uint8Array(5))).toThrow(code('PAYLOAD_SHAPE_INVALID'));
  });

  test('exit codes: surrounding whitespace tolerated, anything else refused', () => {
    expect(decodeExitCode(bytes('EXIT_CODE: 137\n'))).toBe(137);
    expect(decodeExitCode(bytes('EXIT_CODE: -1'))).toBe(-1);
    for (const bad of [
      'EXIT_CODE:1',
      'EXIT_CODE: ',
      'EXIT_CODE: 1x',
      'exit_code: 1',
      `EXIT_CODE: ${'9'.repeat(16)}`,
      'x'.repeat(65),
    ]) {
      expect(() => decodeExitCode(bytes(bad))).toThrow(code('PAYLOAD_SHAPE_INVALID'));
    }
  });
});

describe('OpenDataChannel', () => {
  const token = 'SECRET-TOKEN-VALUE';

  test('defaults MessageSchemaVersion to 1.0 and omits absent optional fields', () => {
    expect(encodeOpenDataChannel({ requestId: 'r', tokenValue: token })).toBe(
      `{"MessageSchemaVersion":"1.0","RequestId":"r","TokenValue":"${token}"}`,
    );
  });

  test('the decoded token is hidden from util.inspect', () => {
    const decoded = decodeOpenDataChannel(
      encodeOpenDataChannel({ requestId: 'r', tokenValue: token, clientId: 'c' }),
    );
    expect(decoded.tokenValue).toBe(token);
    expect(inspect(decoded)).not.toContain(token);
    expect(inspect(decoded)).toContain('clientId');
  });

  test('errors never quote the frame', () => {
    try {
      decodeOpenDataChannel(`{"TokenValue":"${token}"`);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SsmProtocolError);
      expect(String(error)).not.toContain(token);
      expect(inspect(error)).not.toContain(token);
    }
  });
});
