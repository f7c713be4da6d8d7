import { requestTargetOf } from './endpoint-guard.js';
import { AdminShellError, mention } from './errors.js';
import { printableText } from './printable-text.js';

/** What a service error is mapped against, to say which resource and call it was about. */
export interface ServiceErrorContext {
  readonly operation: 'CreateStreamSessionAdminShell' | 'GetStreamSession' | 'ListStreamSessions';
  readonly streamGroup: string;
  /** Absent for an operation on the whole stream group. */
  readonly streamSession?: string;
  readonly region?: string;
  /** How long 409/429 answers were retried before giving up, in ms. */
  readonly waitedMs?: number;
  /**
   * The named profile the client's credentials come from, if any (see `clientProfile`): a missing-credentials
   * error then names it instead of pointing at the environment variables, which the SDK skips.
   */
  readonly profile?: { readonly name: string; readonly from: 'option' | 'AWS_PROFILE' };
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/** The SDK exception name (`ThrottlingException`, …) of `error`, if it is one. */
export function serviceErrorName(error: unknown): string | undefined {
  const { name } = shape(error);
  return typeof name === 'string' ? name : undefined;
}

/** The HTTP status of a service exception, if known. */
export function serviceHttpStatus(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The service's own message, made printable (a hostile endpoint could send terminal escapes). */
function serviceSays(error: unknown): string {
  const { message } = shape(error);
  if (typeof message !== 'string' || message === 'UnknownError') return '';
  const text = printableText(message);
  return text.length === 0 ? '' : ` (service: ${text})`;
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    const { code } = shape(e);
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown } | null)?.cause;
  }
  return undefined;
}

const SHELL_SAFE_PROFILE = /^[A-Za-z0-9_.+=@-]{1,64}$/;

function credentialsMissing(profile: ServiceErrorContext['profile'], options: { cause: unknown }) {
  if (profile === undefined) {
    return new AdminShellError(
      'CREDENTIALS_MISSING',
      'No AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a configured ' +
        `profile (${mention('profile')}), or run \`aws configure\` / \`aws sso login\` first.`,
      options,
    );
  }
  const shown = JSON.stringify(printableText(profile.name, 64));
  const source = profile.from === 'option' ? mention('profile') : 'AWS_PROFILE';
  const flag = SHELL_SAFE_PROFILE.test(profile.name) ? profile.name : '<name>';
  return new AdminShellError(
    'CREDENTIALS_MISSING',
    `No AWS credentials were found for profile ${shown} (from ${source}): it is not in the shared config ` +
      'and credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE and ' +
      'AWS_SHARED_CREDENTIALS_FILE), or it has no usable credentials. With a profile named, the SDK does not ' +
      `use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Check the name, or run \`aws configure --profile ${flag}\` ` +
      `/ \`aws sso login --profile ${flag}\` first.`,
    options,
  );
}

/**
 * Maps an error of a GameLift Streams SDK call to an {@link AdminShellError} whose message says what to do.
 * 409 and 429 answers are mapped too (to `NOT_READY` and `THROTTLED`), for when retrying gave up.
 */
export function mapServiceError(error: unknown, context: ServiceErrorContext): AdminShellError {
  if (error instanceof AdminShellError) return error;
  const name = serviceErrorName(error) ?? '';
  const status = serviceHttpStatus(error);
  const says = serviceSays(error);
  const where = context.region === undefined ? '' : ` in ${context.region}`;
  const target = requestTargetOf(error);
  const at = target === undefined ? '' : ` ${target}`;
  const session =
    context.streamSession === undefined
      ? `stream group ${context.streamGroup}`
      : `stream session ${context.streamSession} of stream group ${context.streamGroup}`;
  const waited =
    context.waitedMs === undefined || context.waitedMs < 1_000
      ? ''
      : ` after ${Math.round(context.waitedMs / 1000)} s of retries`;
  const options = { cause: error };

  if (name === 'AbortError') {
    return new AdminShellError('ABORTED', `${context.operation} was aborted.`, options);
  }
  if (name === 'CredentialsProviderError' || name === 'ProviderError') {
    return credentialsMissing(context.profile, options);
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new AdminShellError(
      'CREDENTIALS_INVALID',
      `AWS rejected the credentials (${name})${says}. Check that the access key is valid and not expired, ` +
        'and that the clock of this machine is right.',
      options,
    );
  }
  if (name === 'AccessDeniedException' || (status === 403 && !name.endsWith('NotFoundException'))) {
    return new AdminShellError(
      'ACCESS_DENIED',
      `Access denied to ${context.operation} on ${session}${where}${says}. The identity needs the IAM ` +
        `permission gameliftstreams:${context.operation} on the stream group; ask an administrator to grant it.`,
      options,
    );
  }
  if (name === 'ResourceNotFoundException' || status === 404) {
    return new AdminShellError(
      'NOT_FOUND',
      context.streamSession === undefined
        ? `The ${session} was not found${where}${says}. Check the identifier and the region.`
        : `The ${session} was not found${where}${says}. Check both identifiers and the region ` +
            `(list the stream group's sessions with ${mention('listSessions')}).`,
      options,
    );
  }
  if (name === 'StreamSessionAccessNotReadyException') {
    return new AdminShellError(
      'NOT_READY',
      `The admin shell of ${session} is not ready yet${waited}${says}. Wait a little and try again, or allow a longer ` +
        `wait (${mention('wait')}).`,
      options,
    );
  }
  if (name === 'ThrottlingException' || status === 429) {
    return new AdminShellError(
      'THROTTLED',
      `GameLift Streams kept throttling ${context.operation}${waited}${says}. Wait a minute and try again, or allow a ` +
        `longer wait (${mention('wait')}).`,
      options,
    );
  }
  if (name === 'ValidationException' || name === 'ConflictException' || status === 400 || status === 409) {
    return new AdminShellError(
      'VALIDATION_FAILED',
      `GameLift Streams refused ${context.operation} for ${session}${where}${says}. Check the identifiers ` +
        'and that the stream session is ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING.',
      options,
    );
  }
  const network = networkCode(error);
  if (name === 'TimeoutError') {
    return new AdminShellError(
      'NETWORK_ERROR',
      `The GameLift Streams endpoint${at}${where} did not answer ${context.operation} in time (TimeoutError). ` +
        `Check the network, the region and ${mention('endpoint')}, then try again.`,
      options,
    );
  }
  if (network !== undefined) {
    return new AdminShellError(
      'NETWORK_ERROR',
      `Could not reach the GameLift Streams endpoint${at}${where} (${network}). Check the network, the ` +
        `region and ${mention('endpoint')}.`,
      options,
    );
  }
  if (name === 'InternalServerException' || (status !== undefined && status >= 500)) {
    return new AdminShellError(
      'SERVICE_ERROR',
      `GameLift Streams had an internal error on ${context.operation}${says}. Try again in a moment.`,
      options,
    );
  }
  const what = name.length > 0 ? printableText(name, 100) : 'an unexpected error';
  return new AdminShellError(
    'SERVICE_ERROR',
    `${context.operation} failed with ${what}${says}. Try again; if it persists, turn on diagnostics (${mention('diagnostics')}) to see more.`,
    options,
  );
}
