import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { startCallDeadline } from './call-deadline.js';
import { AdminShellError } from './errors.js';
import type { CheckedIdentifiers } from './identifiers.js';
import { printableText } from './printable-text.js';
import { sdk } from './sdk.js';

/** Stream session statuses in which CreateStreamSessionAdminShell can succeed. */
export const SHELL_READY_STATUSES = [
  'ACTIVE',
  'CONNECTED',
  'PENDING_CLIENT_RECONNECTION',
  'RECONNECTING',
] as const;
/** Stream session statuses from which a session never comes back. */
export const FINAL_STATUSES = ['TERMINATING', 'TERMINATED', 'ERROR'] as const;

/** The status of a stream session, from GetStreamSession. */
export interface SessionStatus {
  status: string;
  statusReason?: string;
}

/**
 * Looks up the status of the stream session with GetStreamSession, within `timeoutMs`. Used only to explain
 * a failure, so every error of the lookup itself (a timeout included) gives `undefined`.
 */
export async function lookUpSessionStatus(
  client: GameLiftStreamsClient,
  ids: CheckedIdentifiers,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<SessionStatus | undefined> {
  const deadline = startCallDeadline(timeoutMs, signal);
  try {
    const out = await client.send(
      new sdk.GetStreamSessionCommand({
        Identifier: ids.streamGroup.value,
        StreamSessionIdentifier: ids.streamSession.value,
      }),
      { abortSignal: deadline.signal },
    );
    if (typeof out.Status !== 'string') return undefined;
    return out.StatusReason === undefined
      ? { status: out.Status }
      : { status: out.Status, statusReason: out.StatusReason };
  } catch {
    return undefined;
  } finally {
    deadline.clear();
  }
}

/**
 * An error that says which status the session is in and what to do, or `undefined` when the status allows an
 * admin shell.
 */
export function statusError(
  ids: CheckedIdentifiers,
  found: SessionStatus,
  cause: unknown,
): AdminShellError | undefined {
  if ((SHELL_READY_STATUSES as readonly string[]).includes(found.status)) return undefined;
  // Both come from the service: no terminal escapes into the message.
  const status = printableText(found.status, 40);
  const statusReason = found.statusReason === undefined ? undefined : printableText(found.statusReason, 200);
  const reason = statusReason === undefined || statusReason === '' ? '' : ` (reason: ${statusReason})`;
  const head = `Stream session ${ids.streamSession.id} is ${status}${reason}`;
  if (status === 'ACTIVATING') {
    return new AdminShellError(
      'NOT_READY',
      `${head}. An admin shell needs it to be ACTIVE; wait until it is, then try again.`,
      { cause },
    );
  }
  return new AdminShellError(
    'SESSION_NOT_USABLE',
    `${head}. An admin shell needs it to be ${SHELL_READY_STATUSES.join(', ')}; start a new stream session ` +
      'or pick one that is running.',
    { cause },
  );
}
