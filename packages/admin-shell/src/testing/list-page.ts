import type { EmulatedStreamSessionSpec } from './emulator-types.js';
import type { EmulatedStreamSession } from './stream-sessions.js';

/** The most sessions one ListStreamSessions page may hold. */
const MAX_RESULTS = 100;

/** The descriptions of `moreSessions`: a count becomes that many default sessions. */
export function moreSessionSpecs(
  more: number | readonly EmulatedStreamSessionSpec[] | undefined,
): EmulatedStreamSessionSpec[] {
  if (more === undefined) return [];
  return typeof more === 'number'
    ? Array.from({ length: more }, (): EmulatedStreamSessionSpec => ({}))
    : [...more];
}

function encodeToken(offset: number): string {
  return Buffer.from(`glas-emulator:${offset}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const match = /^glas-emulator:(\d{1,6})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  return match === null ? undefined : Number(match[1]);
}

/**
 * One page of ListStreamSessions: the `Status` filter, `MaxResults` (1 to 100, else `defaultSize`) sessions
 * from the offset `NextToken` carries, and a NextToken when more follow.
 * @returns the page, or the message of a ValidationException.
 */
export function listPage(
  sessions: readonly EmulatedStreamSession[],
  query: URLSearchParams,
  defaultSize: number,
): { items: EmulatedStreamSession[]; nextToken?: string } | string {
  const status = query.get('Status');
  const matching = status === null ? sessions : sessions.filter((s) => s.status === status);
  const max = query.get('MaxResults');
  let size = defaultSize;
  if (max !== null) {
    size = Number(max);
    if (!/^\d+$/.test(max) || size < 1 || size > MAX_RESULTS) {
      return `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_RESULTS}.`;
    }
  }
  const token = query.get('NextToken');
  const offset = token === null ? 0 : decodeToken(token);
  if (offset === undefined || offset > matching.length) return 'The NextToken is not valid.';
  const items = matching.slice(offset, offset + size);
  const next = offset + items.length;
  return next < matching.length ? { items, nextToken: encodeToken(next) } : { items };
}
