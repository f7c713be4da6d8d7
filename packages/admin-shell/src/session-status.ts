import { type GameLiftStreamsClient, GetStreamSessionCommand } from '@aws-sdk/client-gameliftstreams';
import { AdminShellError } from './errors.js';
import type { CheckedIdentifiers } from './identifiers.js';

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
 * Looks up the status of the stream session with GetStreamSession. Used only to explain a failure, so every
 * error of the lookup itself gives `undefined`.
 */
export async function lookUpSessionStatus(
  client: GameLiftStreamsClient,
  ids: CheckedIdentifiers,
  signal?: AbortSignal,
): Promise<SessionStatus | undefined> {
  try {
    const out = await client.send(
      new GetStreamSessionCommand({
        Identifier: ids.streamGroup.value,
        StreamSessionIdentifier: ids.streamSession.value,
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    if (typeof out.Status !== 'string') return undefined;
    return out.StatusReason === undefined
      ? { status: out.Status }
      : { status: out.Status, statusReason: out.StatusReason };
  } catch {
    return undefined;
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
  const { status, statusReason } = found;
  if ((SHELL_READY_STATUSES as readonly string[]).includes(status)) return undefined;
  const reason = statusReason === undefined ? '' : ` (reason: ${statusReason})`;
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
