import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  StreamSessionAccessNotReadyException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-gameliftstreams';
import { SsmChannelError } from 'ssm-channel';
import { describe, expect, it } from 'vitest';
import { mapChannelError } from '../src/channel-errors.js';
import { AdminShellError, isAdminShellError } from '../src/errors.js';
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
    ['RETRANSMIT_GIVE_UP', 'CHANNEL_FAILED'],
  ] as const)('%s -> %s, cause kept', (channelCode, code) => {
    const error = new SsmChannelError(channelCode, 'detail text');
    const mapped = mapChannelError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
    if (code !== 'ABORTED') expect(mapped.message).toContain(`${channelCode}: detail text`);
  });
});

describe('errors and clients', () => {
  it('isAdminShellError recognises the class and its shape', () => {
    expect(isAdminShellError(new AdminShellError('NOT_FOUND', 'x'))).toBe(true);
    expect(
      isAdminShellError(Object.assign(new Error('x'), { name: 'AdminShellError', code: 'NOT_FOUND' })),
    ).toBe(true);
    expect(isAdminShellError(new Error('x'))).toBe(false);
  });

  it('createGameLiftStreamsClient refuses an endpoint that is not an http(s) URL', () => {
    expect(() => createGameLiftStreamsClient({ endpoint: 'not a url' })).toThrow(/is not a URL/);
    expect(() => createGameLiftStreamsClient({ endpoint: 'ftp://x' })).toThrow(/https:\/\/ or http:\/\//);
    const client = createGameLiftStreamsClient({ endpoint: 'http://127.0.0.1:1', region: 'us-west-2' });
    client.destroy();
  });
});
