import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  StreamSessionAccessNotReadyException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-gameliftstreams';
import { SsmChannelError, SsmProtocolError } from 'ssm-channel';
import { describe, expect, it } from 'vitest';
import { mapChannelError } from '../src/channel-errors.js';
import { AdminShellError, isAdminShellError } from '../src/errors.js';
import { printableText } from '../src/printable-text.js';
import { createGameLiftStreamsClient } from '../src/sdk-client.js';
import { mapServiceError } from '../src/service-errors.js';

const context = {
  operation: 'CreateStreamSessionAdminShell',
  streamGroup: 'sg-1',
  streamSession: 'S1',
  region: 'us-west-2',
} as const;
const meta = (httpStatusCode: number) => ({
  $metadata: { httpStatusCode },
  message: 'service text',
  Message: 'service text',
});

describe('mapServiceError', () => {
  it.each([
    [new AccessDeniedException(meta(403)), 'ACCESS_DENIED', 'gameliftstreams:CreateStreamSessionAdminShell'],
    [
      new ResourceNotFoundException(meta(404)),
      'NOT_FOUND',
      'stream session S1 of stream group sg-1 was not found in us-west-2',
    ],
    [new StreamSessionAccessNotReadyException(meta(409)), 'NOT_READY', 'not ready yet'],
    [new ThrottlingException(meta(429)), 'THROTTLED', 'kept throttling'],
    [new ValidationException(meta(400)), 'VALIDATION_FAILED', 'refused CreateStreamSessionAdminShell'],
    [new ConflictException(meta(409)), 'VALIDATION_FAILED', 'refused'],
    [new InternalServerException(meta(500)), 'SERVICE_ERROR', 'internal error'],
  ])('%s -> %s', (error, code, text) => {
    const mapped = mapServiceError(error, context);
    expect(mapped).toBeInstanceOf(AdminShellError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain(text);
    expect(mapped.message).toContain('(service: service text)');
    expect(mapped.cause).toBe(error);
  });

  it('maps credential, network and unknown errors', () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(mapServiceError(noCreds, context).code).toBe('CREDENTIALS_MISSING');
    const badSig = Object.assign(new Error('sig'), {
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(mapServiceError(badSig, context).code).toBe('CREDENTIALS_INVALID');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(mapServiceError(refused, context).code).toBe('NETWORK_ERROR');
    const wrapped = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ENOTFOUND' }) });
    expect(mapServiceError(wrapped, context).message).toContain('ENOTFOUND');
    const odd = Object.assign(new Error('?'), { name: 'WeirdException', $metadata: { httpStatusCode: 418 } });
    expect(mapServiceError(odd, context)).toMatchObject({ code: 'SERVICE_ERROR' });
    expect(mapServiceError(odd, context).message).toContain('WeirdException');
    const already = new AdminShellError('ABORTED', 'x');
    expect(mapServiceError(already, context)).toBe(already);
  });

  it('cuts a very long service message', () => {
    const long = new ValidationException({ $metadata: {}, message: 'x'.repeat(5_000), Message: 'x' });
    expect(mapServiceError(long, context).message.length).toBeLessThan(700);
  });
});

describe('mapChannelError', () => {
  it.each([
    ['AUTH_FAILED', 'URL_EXPIRED'],
    ['CONNECT_TIMEOUT', 'CONNECT_FAILED'],
    ['HANDSHAKE_TIMEOUT', 'CONNECT_FAILED'],
    ['ABORTED', 'ABORTED'],
    ['CONNECTION_LOST', 'CHANNEL_FAILED'],
    ['KMS_ENCRYPTION_UNSUPPORTED', 'UNSUPPORTED_SESSION'],
    ['HANDSHAKE_FAILED', 'UNSUPPORTED_SESSION'],
    ['RETRANSMIT_GIVE_UP', 'CHANNEL_FAILED'],
  ] as const)('%s -> %s, cause kept', (channelCode, code) => {
    const error = new SsmChannelError(channelCode, 'detail text');
    const mapped = mapChannelError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
    if (code !== 'ABORTED') expect(mapped.message).toContain(`${channelCode}: detail text`);
  });
});

it('HANDSHAKE_TIMEOUT: the channel connected, so it is not the network', () => {
  const mapped = mapChannelError(new SsmChannelError('HANDSHAKE_TIMEOUT', 'the session did not start'));
  expect(mapped.message).toContain('connected, but the admin shell did not start');
  expect(mapped.message).not.toContain('Check the network');
});

describe('unsupported sessions', () => {
  it('KMS: says that retrying will not help and what to use instead, not to check the network', () => {
    const mapped = mapChannelError(
      new SsmProtocolError('KMS_ENCRYPTION_UNSUPPORTED', 'the agent requires KMS encryption (key k-1)'),
    );
    expect(mapped.code).toBe('UNSUPPORTED_SESSION');
    expect(mapped.message).toContain('requires KMS encryption, which this client does not support yet');
    expect(mapped.message).toContain('session-manager-plugin');
    expect(mapped.message).toContain('turn KMS encryption off');
    expect(mapped.message).not.toContain('Check the network');
  });

  it('an unsupported session type: session-manager-plugin, not the network', () => {
    const mapped = mapChannelError(new SsmProtocolError('HANDSHAKE_FAILED', 'unknown session type Port'));
    expect(mapped.code).toBe('UNSUPPORTED_SESSION');
    expect(mapped.message).toContain('unknown session type Port');
    expect(mapped.message).toContain('session-manager-plugin');
    expect(mapped.message).not.toContain('Check the network');
  });
});

describe('text from the other side', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  const hostile = 'a\u001b[2Jb\u001b]0;title\u0007c\u009b1md\u0000e\u007ff\r\ng\th';

  it('printableText removes C0, DEL and C1 controls, folds spaces, cuts long text', () => {
    expect(printableText(hostile)).toBe('a [2Jb ]0;title c 1md e f g h');
    expect(printableText('  plain   text \n')).toBe('plain text');
    expect(printableText('é ü 日本 ✓')).toBe('é ü 日本 ✓');
    expect(printableText('x'.repeat(50), 10)).toBe('xxxxxxx...');
  });

  it('a service message, an error name and a channel error lose their control characters', () => {
    const service = mapServiceError(new InternalServerException({ ...meta(500), message: hostile }), context);
    expect(service.message).toContain('(service: a [2Jb ]0;title c 1md e f g h)');
    expect(service.message).not.toMatch(CONTROL);
    const odd = Object.assign(new Error('?'), { name: 'Weird\u001b[31mException', $metadata: {} });
    expect(mapServiceError(odd, context).message).not.toMatch(CONTROL);
    const channel = mapChannelError(new SsmChannelError('CONNECTION_LOST', hostile));
    expect(channel.message).toContain('CONNECTION_LOST: a [2Jb');
    expect(channel.message).not.toMatch(CONTROL);
  });

  it('a timeout of the SDK is a NETWORK_ERROR that says the endpoint did not answer', () => {
    const timeout = Object.assign(
      new Error('a request has exceeded the configured 15000 ms requestTimeout.'),
      {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      },
    );
    const mapped = mapServiceError(timeout, context);
    expect(mapped.code).toBe('NETWORK_ERROR');
    expect(mapped.message).toContain(
      'The GameLift Streams endpoint in us-west-2 did not answer CreateStreamSessionAdminShell in time',
    );
    const refused = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    expect(mapServiceError(refused, context).message).toContain('Could not reach');
  });
});

describe('errors and clients', () => {
  it('isAdminShellError recognises the class by its brand, not a lookalike of its shape', () => {
    expect(isAdminShellError(new AdminShellError('NOT_FOUND', 'x'))).toBe(true);
    expect(
      isAdminShellError(Object.assign(new Error('x'), { name: 'AdminShellError', code: 'NOT_FOUND' })),
    ).toBe(false);
    expect(isAdminShellError(new Error('x'))).toBe(false);
  });

  it('createGameLiftStreamsClient refuses an endpoint that is not an http(s) URL', () => {
    expect(() => createGameLiftStreamsClient({ endpoint: 'not a url' })).toThrow(/is not a URL/);
    expect(() => createGameLiftStreamsClient({ endpoint: 'ftp://x' })).toThrow(/https:\/\/ or http:\/\//);
    expect(() => createGameLiftStreamsClient({ endpoint: 'http://example.com' })).toThrow(/Use https:\/\//);
    const client = createGameLiftStreamsClient({ endpoint: 'http://127.0.0.1:1', region: 'us-west-2' });
    client.destroy();
  });
});
