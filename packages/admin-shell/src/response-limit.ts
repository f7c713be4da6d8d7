import { Readable, Transform } from 'node:stream';
import { AdminShellError, mention } from './errors.js';

/**
 * The largest answer of the GameLift Streams API accepted, in bytes. Its answers are small JSON documents (a
 * page of 100 stream sessions is about 60 KB); a larger one is refused as it arrives instead of being held
 * in memory whole.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The error of an answer past {@link MAX_RESPONSE_BYTES}. */
export function responseTooLarge(target: string | undefined, bytes: number | undefined): AdminShellError {
  const from =
    target === undefined ? 'The GameLift Streams endpoint' : `The GameLift Streams endpoint ${target}`;
  const size = bytes === undefined ? 'more than 1 MiB' : `${bytes} bytes`;
  return new AdminShellError(
    'SERVICE_ERROR',
    `${from} answered with ${size}, far more than a GameLift Streams answer holds; the answer was refused ` +
      `after 1 MiB. Check ${mention('endpoint')}.`,
  );
}

/** Marks the error a body stream fails with when it passes the limit. */
export class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';
  constructor(readonly bytes: number | undefined) {
    super('the answer is too large');
  }
}

/**
 * The HTTP response `body` bounded: a `content-length` over the limit fails at once, and a stream that
 * passes it fails as soon as it does (the connection is dropped), with {@link ResponseTooLarge}.
 */
export function limitResponseBody(body: unknown, headers: Record<string, string> | undefined): unknown {
  const declared = Number(headers?.['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    if (body instanceof Readable) body.destroy();
    throw new ResponseTooLarge(declared);
  }
  if (!(body instanceof Readable)) return body;
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > MAX_RESPONSE_BYTES) {
        body.destroy();
        callback(new ResponseTooLarge(undefined));
        return;
      }
      callback(null, chunk);
    },
  });
  body.on('error', (error) => limited.destroy(error));
  return body.pipe(limited);
}
