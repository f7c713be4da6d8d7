import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The SigV4 check of the API emulator. Always: the `Authorization` header has the form
 * `AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request, SignedHeaders=<a;b;…>,
 * Signature=<64 hex>`, the scope names the emulator's region and service, `host` and `x-amz-date` are signed,
 * and `X-Amz-Date` is within 15 minutes. When a credential pair is configured, the signature is also
 * recomputed from the request and compared (a real verification).
 */

/** Why a request was refused, as the service's exception name and message. */
export interface SigV4Failure {
  readonly errorType:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'InvalidSignatureException'
    | 'UnrecognizedClientException';
  readonly message: string;
}

/** The parts of a request the check reads. `path` and `query` are as sent (percent-encoded). */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A credential pair the emulator verifies signatures against. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 15 * 60_000;

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** RFC 3986 encoding as SigV4 wants it (also `!'()*`). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
    return [escapeUri(key), escapeUri(value)] as const;
  });
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * The canonical request of SigV4 for services other than S3: the path is the sent (already encoded) path with
 * each segment encoded once more.
 */
function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const path = request.path.split('/').map(escapeUri).join('/') || '/';
  const headers = signedHeaders
    .map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = header(request, 'x-amz-content-sha256') ?? sha256Hex(request.body);
  return [
    request.method,
    path,
    canonicalQuery(request.query),
    headers,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/**
 * Checks the request's SigV4 `Authorization` header.
 * @returns `undefined` when the request passes, else why it does not.
 */
export function checkSigV4(
  request: SignedRequest,
  expected: { region: string; service: string; credentials?: EmulatorCredentials | undefined; now?: number },
): SigV4Failure | undefined {
  const authorization = header(request, 'authorization');
  if (authorization === undefined || authorization === '') {
    return { errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  }
  const match = AUTH.exec(authorization);
  if (!match) {
    return {
      errorType: 'IncompleteSignatureException',
      message: 'Authorization header requires AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature.',
    };
  }
  const [, keyId = '', day = '', region = '', service = '', signedList = '', signature = ''] = match;
  if (region !== expected.region || service !== expected.service) {
    return {
      errorType: 'InvalidSignatureException',
      message: `Credential should be scoped to a valid region and service: '${expected.region}/${expected.service}', not '${region}/${service}'.`,
    };
  }
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return {
      errorType: 'IncompleteSignatureException',
      message: 'host and x-amz-date must be signed headers.',
    };
  }
  const amzDate = header(request, 'x-amz-date') ?? '';
  const date = AMZ_DATE.exec(amzDate);
  if (!date || !amzDate.startsWith(day)) {
    return {
      errorType: 'IncompleteSignatureException',
      message: 'X-Amz-Date is missing or does not match the scope.',
    };
  }
  const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
  const at = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  if (Math.abs((expected.now ?? Date.now()) - at) > MAX_SKEW_MS) {
    return {
      errorType: 'InvalidSignatureException',
      message: 'Signature expired: X-Amz-Date is more than 15 minutes off.',
    };
  }
  const creds = expected.credentials;
  if (creds === undefined) return undefined;
  if (keyId !== creds.accessKeyId) {
    return {
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256Hex(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  let key = hmac(`AWS4${creds.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const computed = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(computed, Buffer.from(signature, 'hex'))) {
    return {
      errorType: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return undefined;
}
