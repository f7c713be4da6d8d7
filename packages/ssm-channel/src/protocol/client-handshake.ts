/**
 * The client's answer to a HandshakeRequest (protocol reference §12.3, §12.4): every requested action is
 * answered in request order. `SessionType` is recorded (Success for the four known types, Failed
 * otherwise); `KMSEncryption` is answered Failed because this client does not implement KMS encryption;
 * any other action is answered Unsupported (status 3 in ActionStatus, not in ActionResult as the official
 * plugin's bug does).
 */
import { ActionStatus } from '../codec/constants.js';
import type { HandshakeRequest } from '../codec/payloads/handshake-request.js';
import type { HandshakeResponse, ProcessedClientAction } from '../codec/payloads/handshake-response.js';
import { peerText, SsmProtocolError } from '../errors.js';
import type { SessionStartInfo } from './client-options.js';

/** The session types the agent may announce (§12.1). */
export const SessionType = {
  StandardStream: 'Standard_Stream',
  InteractiveCommands: 'InteractiveCommands',
  NonInteractiveCommands: 'NonInteractiveCommands',
  Port: 'Port',
} as const;
/** One of the {@link SessionType} strings. */
export type KnownSessionType = (typeof SessionType)[keyof typeof SessionType];

const KNOWN_SESSION_TYPES: ReadonlySet<string> = new Set(Object.values(SessionType));

/** What the client learned from a HandshakeRequest and what it answers. */
export interface HandshakeAnswer {
  /** The HandshakeResponse to send. */
  response: HandshakeResponse;
  /** The agent's version string. */
  agentVersion: string;
  /** The announced session type, when it was one of the known ones. */
  sessionType: KnownSessionType | undefined;
  /** The SessionType action's `Properties` (port sessions carry their document properties here). */
  sessionProperties: unknown;
  /** The key id of a KMSEncryption request, when the agent asked for KMS encryption. */
  kmsKeyId: string | undefined;
  /** The agent asked for KMS encryption (which is refused). */
  kmsRequested: boolean;
  /** Why a SessionType action failed, when it did. */
  sessionTypeError: string | undefined;
}

/** Looks a key up ASCII-case-insensitively, as Go's encoding/json does. */
function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const lower = name.toLowerCase();
  let found: unknown;
  for (const [key, v] of Object.entries(value)) if (key.toLowerCase() === lower) found = v;
  return found;
}

/** The action names of §12.2. */
const Action = { SessionType: 'SessionType', KmsEncryption: 'KMSEncryption' } as const;

/** KMS refusal text carried in the response's Error and Errors fields. */
export const KMS_UNSUPPORTED_TEXT =
  'Failed to process action KMSEncryption: KMS encryption is not supported by this client';

/**
 * Most actions one HandshakeRequest may ask for. The agent asks for one or two (§12.2); a request with more
 * is refused (`HANDSHAKE_FAILED`) without an answer, which would otherwise grow with it.
 */
export const MAX_HANDSHAKE_ACTIONS = 16;

/** Builds the answer to `request`, reporting `clientVersion`. Pure; never throws. */
export function answerHandshakeRequest(request: HandshakeRequest, clientVersion: string): HandshakeAnswer {
  const processed: ProcessedClientAction[] = [];
  const errors: string[] = [];
  let sessionType: KnownSessionType | undefined;
  let sessionProperties: unknown = null;
  let sessionTypeError: string | undefined;
  let kmsRequested = false;
  let kmsKeyId: string | undefined;
  for (const action of request.requestedClientActions) {
    const { actionType, actionParameters } = action;
    if (actionType === Action.SessionType) {
      const type = field(actionParameters, 'SessionType');
      if (typeof type === 'string' && KNOWN_SESSION_TYPES.has(type)) {
        sessionType = type as KnownSessionType;
        sessionProperties = field(actionParameters, 'Properties') ?? null;
        processed.push({ actionType, actionStatus: ActionStatus.Success, actionResult: null, error: '' });
      } else {
        const text = `Failed to process action SessionType: unknown session type ${describeValue(type)}`;
        sessionTypeError = text;
        errors.push(text);
        processed.push({ actionType, actionStatus: ActionStatus.Failed, actionResult: null, error: text });
      }
    } else if (actionType === Action.KmsEncryption) {
      kmsRequested = true;
      const keyId = field(actionParameters, 'KMSKeyId');
      if (typeof keyId === 'string') kmsKeyId = keyId;
      errors.push(KMS_UNSUPPORTED_TEXT);
      processed.push({
        actionType,
        actionStatus: ActionStatus.Failed,
        actionResult: null,
        error: KMS_UNSUPPORTED_TEXT,
      });
    } else {
      const text = `Unsupported action ${describeAction(actionType)}`;
      errors.push(text);
      processed.push({ actionType, actionStatus: ActionStatus.Unsupported, actionResult: null, error: text });
    }
  }
  return {
    response: { clientVersion, processedClientActions: processed, errors: errors.length > 0 ? errors : null },
    agentVersion: request.agentVersion,
    sessionType,
    sessionProperties,
    kmsKeyId,
    kmsRequested,
    sessionTypeError,
  };
}

/**
 * The error that ends the client after it answered `answer`: `KMS_ENCRYPTION_UNSUPPORTED` when KMS was
 * requested, `HANDSHAKE_FAILED` for an unknown session type; undefined when the session may go on
 * (Unsupported answers to unknown actions are left for the agent to judge).
 */
export function handshakeRefusal(answer: HandshakeAnswer): SsmProtocolError | undefined {
  if (answer.kmsRequested) {
    const key = answer.kmsKeyId === undefined ? '' : ` (key ${peerText(answer.kmsKeyId)})`;
    return new SsmProtocolError(
      'KMS_ENCRYPTION_UNSUPPORTED',
      `the agent requires KMS encryption${key}, which this client does not support; ` +
        'turn KMS encryption off in the Session Manager preferences to connect',
    );
  }
  if (answer.sessionTypeError !== undefined)
    return new SsmProtocolError('HANDSHAKE_FAILED', peerText(answer.sessionTypeError));
  return undefined;
}

/** What HandshakeComplete said, as far as it decoded. */
export interface HandshakeCompleteInfo {
  customerMessage: string;
  timeNs: number | undefined;
}

/** The `onStart` report: from the handshake (when there was one) and HandshakeComplete. */
export function sessionStartInfo(
  answer: HandshakeAnswer | undefined,
  complete: HandshakeCompleteInfo | undefined,
): SessionStartInfo {
  const info: SessionStartInfo = { handshake: complete !== undefined };
  if (answer !== undefined) {
    info.agentVersion = answer.agentVersion;
    if (answer.sessionType !== undefined) info.sessionType = answer.sessionType;
    info.sessionProperties = answer.sessionProperties;
  }
  if (complete !== undefined) {
    if (complete.customerMessage !== '') info.customerMessage = complete.customerMessage;
    if (complete.timeNs !== undefined) info.handshakeTimeToCompleteNs = complete.timeNs;
  }
  return info;
}

/** A short description of a peer-supplied value for a message: never recursive, never long. */
/** An action name as the error text quotes it: as the plugin does, cut to 64 characters. */
function describeAction(actionType: string): string {
  return actionType.length > 64 ? `${actionType.slice(0, 64)}…` : actionType;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (value === null || value === undefined) return 'null';
  return `of type ${Array.isArray(value) ? 'array' : typeof value}`;
}
