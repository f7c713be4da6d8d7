import { AdminShellError, mention } from './errors.js';
import { printableText } from './printable-text.js';

/**
 * A parsed stream group or stream session identifier.
 * The API accepts either form: an ID (`[a-zA-Z0-9-]+`) or an ARN
 * (`arn:aws:gameliftstreams:<region>:<12-digit account>:<resource>`), 1 to 128 characters.
 */
export interface ParsedIdentifier {
  /** The text as given; this is what is sent to the API. */
  readonly value: string;
  /** The resource ID: `sg-1AB2C3De4` for a stream group, `ABC123def4567` for a stream session. */
  readonly id: string;
  /** From an ARN only. */
  readonly region?: string;
  /** From an ARN only. */
  readonly accountId?: string;
  /** From a stream session ARN only: the stream group it names. */
  readonly streamGroupId?: string;
}

/** Both identifiers of a stream session, checked against each other. */
export interface CheckedIdentifiers {
  readonly streamGroup: ParsedIdentifier;
  readonly streamSession: ParsedIdentifier;
  /** The region named by an ARN, when either identifier is one. */
  readonly region?: string;
}

const MAX_LENGTH = 128;
const ID = /^[a-zA-Z0-9-]+$/;
// arn:aws:gameliftstreams:<region>:<account>:<resource>, as the API's pattern documents it.
const ARN = /^arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$/;
const GROUP_EXAMPLE =
  'sg-1AB2C3De4 or arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4';
const SESSION_EXAMPLE =
  'ABC123def4567 or arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567';

function invalid(what: string, value: string, why: string, example: string): AdminShellError {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return new AdminShellError(
    'INVALID_IDENTIFIER',
    `The ${what} identifier ${JSON.stringify(shown)} is not valid: ${why}. Use an ID or an ARN, e.g. ${example}.`,
  );
}

function parseArn(
  what: string,
  value: string,
  example: string,
): { region: string; accountId: string; parts: string[] } {
  const match = ARN.exec(value);
  if (!match) {
    throw invalid(what, value, 'it starts like an ARN but is not a GameLift Streams ARN', example);
  }
  const [, region = '', accountId = '', resource = ''] = match;
  if (!REGION.test(region)) {
    throw invalid(what, value, `the ARN's region ${JSON.stringify(region)} is not a region name`, example);
  }
  return { region, accountId, parts: resource.split('/') };
}

function checkCommon(what: string, value: unknown, example: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AdminShellError('INVALID_IDENTIFIER', `The ${what} identifier is missing. Give ${example}.`);
  }
  if (value.length > MAX_LENGTH) {
    throw invalid(what, value, `it is longer than ${MAX_LENGTH} characters`, example);
  }
  return value;
}

/**
 * Parses a stream group identifier: `sg-…` or `arn:aws:gameliftstreams:<region>:<account>:streamgroup/<id>`.
 * @throws {AdminShellError} `INVALID_IDENTIFIER` when it is neither.
 */
export function parseStreamGroupIdentifier(input: unknown): ParsedIdentifier {
  const what = 'stream group';
  const value = checkCommon(what, input, GROUP_EXAMPLE);
  if (value.startsWith('arn:')) {
    const { region, accountId, parts } = parseArn(what, value, GROUP_EXAMPLE);
    const [type, id, ...rest] = parts;
    if (type !== 'streamgroup' || id === undefined || rest.length > 0 || !ID.test(id)) {
      throw invalid(what, value, 'the ARN does not name a stream group (…:streamgroup/<id>)', GROUP_EXAMPLE);
    }
    return { value, id, region, accountId };
  }
  if (!ID.test(value)) {
    throw invalid(what, value, 'an ID has only letters, digits and hyphens', GROUP_EXAMPLE);
  }
  return { value, id: value };
}

/**
 * Parses a stream session identifier: an ID or
 * `arn:aws:gameliftstreams:<region>:<account>:streamsession/<stream group id>/<id>`.
 * @throws {AdminShellError} `INVALID_IDENTIFIER` when it is neither.
 */
export function parseStreamSessionIdentifier(input: unknown): ParsedIdentifier {
  const what = 'stream session';
  const value = checkCommon(what, input, SESSION_EXAMPLE);
  if (value.startsWith('arn:')) {
    const { region, accountId, parts } = parseArn(what, value, SESSION_EXAMPLE);
    const [type, groupId, id, ...rest] = parts;
    if (
      type !== 'streamsession' ||
      groupId === undefined ||
      id === undefined ||
      rest.length > 0 ||
      !ID.test(groupId) ||
      !ID.test(id)
    ) {
      throw invalid(
        what,
        value,
        'the ARN does not name a stream session (…:streamsession/<stream group id>/<id>)',
        SESSION_EXAMPLE,
      );
    }
    return { value, id, region, accountId, streamGroupId: groupId };
  }
  if (!ID.test(value)) {
    throw invalid(what, value, 'an ID has only letters, digits and hyphens', SESSION_EXAMPLE);
  }
  return { value, id: value };
}

/**
 * Parses both identifiers and checks that they agree: a session ARN must name the same stream group, and two
 * ARNs must name the same region and account.
 * @throws {AdminShellError} `INVALID_IDENTIFIER` or `IDENTIFIER_MISMATCH`.
 */
export function checkIdentifiers(streamGroupId: unknown, streamSessionId: unknown): CheckedIdentifiers {
  const streamGroup = parseStreamGroupIdentifier(streamGroupId);
  const streamSession = parseStreamSessionIdentifier(streamSessionId);
  if (streamSession.streamGroupId !== undefined && streamSession.streamGroupId !== streamGroup.id) {
    throw new AdminShellError(
      'IDENTIFIER_MISMATCH',
      `The stream session ARN names stream group ${streamSession.streamGroupId}, but the stream group given is ` +
        `${streamGroup.id}. Pass the stream group that runs this stream session.`,
    );
  }
  if (streamGroup.region !== undefined && streamSession.region !== undefined) {
    if (streamGroup.region !== streamSession.region) {
      throw new AdminShellError(
        'IDENTIFIER_MISMATCH',
        `The stream group ARN is in ${streamGroup.region} but the stream session ARN is in ` +
          `${streamSession.region}. Both must name the same region.`,
      );
    }
    if (streamGroup.accountId !== streamSession.accountId) {
      throw new AdminShellError(
        'IDENTIFIER_MISMATCH',
        `The stream group ARN is in account ${streamGroup.accountId} but the stream session ARN is in account ` +
          `${streamSession.accountId}. Both must name the same account.`,
      );
    }
  }
  const region = streamGroup.region ?? streamSession.region;
  return region === undefined ? { streamGroup, streamSession } : { streamGroup, streamSession, region };
}

/**
 * Checks that the region named by the identifiers (if any) is the client's region.
 * @throws {AdminShellError} `REGION_MISMATCH`.
 */
export function checkRegion(ids: CheckedIdentifiers, clientRegion: string): void {
  if (ids.region !== undefined && ids.region !== clientRegion) {
    throw new AdminShellError(
      'REGION_MISMATCH',
      `The identifiers name region ${ids.region}, but the client is configured for ${clientRegion}. ` +
        `Set ${mention('region')} to ${ids.region}, or use identifiers from ${clientRegion}.`,
    );
  }
}

/**
 * Checks that `value` is a region name (`us-west-2`, `us-gov-west-1`, …), the form an ARN's region takes.
 * @throws {AdminShellError} `INVALID_ARGUMENT` that names the value (made printable and cut short).
 */
export function checkRegionName(value: unknown): string {
  if (typeof value === 'string' && REGION.test(value)) return value;
  const shown =
    typeof value === 'string' ? JSON.stringify(printableText(value, 40)) : `a value of type ${typeof value}`;
  throw new AdminShellError(
    'INVALID_ARGUMENT',
    `The region ${shown} is not a region name. Give one such as us-west-2.`,
  );
}
