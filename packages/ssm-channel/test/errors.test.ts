/**
 * Errors are recognised by brand: an error made by another copy of the package (here the built one, loaded
 * as a second module instance) passes `instanceof` of this copy's classes, and only of the right ones.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peerText, SsmChannelError, SsmProtocolError } from '../src/errors.js';
import { classifyClose, SsmTransportError } from '../src/transport/transport-error.js';

const dist = (path: string): string =>
  `${pathToFileURL(fileURLToPath(new URL(`../dist/${path}`, import.meta.url))).href}?copy=${Math.random()}`;

describe('error brands', () => {
  it('instanceof works across two copies of the package, class by class', async () => {
    const other = (await import(dist('errors.js'))) as typeof import('../src/errors.js');
    const otherTransport = (await import(
      dist('transport/transport-error.js')
    )) as typeof import('../src/transport/transport-error.js');
    expect(other.SsmChannelError).not.toBe(SsmChannelError);

    const channel = new other.SsmChannelError('CONNECT_FAILED', 'x');
    const protocol = new other.SsmProtocolError('DIGEST_MISMATCH', 'x');
    const transport = new otherTransport.SsmTransportError('CONNECTION_LOST', 'x');
    expect(channel).toBeInstanceOf(SsmChannelError);
    expect(channel).not.toBeInstanceOf(SsmProtocolError);
    expect(channel).not.toBeInstanceOf(SsmTransportError);
    expect(protocol).toBeInstanceOf(SsmChannelError);
    expect(protocol).toBeInstanceOf(SsmProtocolError);
    expect(protocol).not.toBeInstanceOf(SsmTransportError);
    expect(transport).toBeInstanceOf(SsmChannelError);
    expect(transport).toBeInstanceOf(SsmTransportError);
    // And the other way round.
    expect(new SsmProtocolError('DIGEST_MISMATCH', 'x')).toBeInstanceOf(other.SsmProtocolError);
    // Anything else is not one, whatever its name and code.
    const lookalike = Object.assign(new Error('x'), { name: 'SsmChannelError', code: 'CONNECT_FAILED' });
    expect(lookalike).not.toBeInstanceOf(SsmChannelError);
    expect(null).not.toBeInstanceOf(SsmChannelError);
    // The brand is not shown.
    expect(Object.keys(channel)).toEqual(['name', 'code']);
  });
});

describe('peer text in messages', () => {
  it('is stripped of control characters and bidi overrides and cut to 200 characters', () => {
    expect(peerText('ok\u001b[31m red\r\n\u0007\u009b\u202e')).toBe('ok[31m red');
    const long = peerText('x'.repeat(1_000));
    expect(long).toBe(`${'x'.repeat(200)}…`);
  });

  it('a close reason is quoted that way', () => {
    const error = classifyClose(1011, `\u001b]0;pwned\u0007${'y'.repeat(300)}`, 3);
    expect([...error.message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(error.message.length).toBeLessThan(260);
    // The raw reason stays available to code that wants it.
    expect(error.closeReason?.length).toBe(310);
  });
});
