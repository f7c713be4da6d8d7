/**
 * The agent's half of the handshake (protocol reference §12.2, §12.4): the HandshakeRequest it sends and
 * how it judges the client's HandshakeResponse.
 */
import type { HandshakeRequest, RequestedClientAction } from '../../codec/payloads/handshake-request.js';
import type { HandshakeResponse } from '../../codec/payloads/handshake-response.js';
import { parseUuid } from '../../codec/uuid.js';
import { SsmProtocolError } from '../../errors.js';
import { AgentEngineDefaults, type AgentHandshakeOptions } from './agent-options.js';

/** Base64 of the 16 bytes of a UUID: the KMS challenge, drawn from the injected id source. */
function challengeFrom(uuid: string): string {
  return btoa(String.fromCharCode(...parseUuid(uuid)));
}

/** The request: SessionType first, then KMSEncryption when a key is set, then any extra actions. */
export function buildHandshakeRequest(hs: AgentHandshakeOptions, randomId: () => string): HandshakeRequest {
  const actions: RequestedClientAction[] = [
    {
      actionType: 'SessionType',
      actionParameters: {
        SessionType: hs.sessionType ?? AgentEngineDefaults.sessionType,
        Properties: hs.properties ?? null,
      },
    },
  ];
  if (hs.kmsKeyId !== undefined) {
    actions.push({
      actionType: 'KMSEncryption',
      actionParameters: { KMSKeyId: hs.kmsKeyId, Challenge: challengeFrom(randomId()) },
    });
  }
  for (const extra of hs.extraActions ?? []) actions.push(extra);
  return {
    agentVersion: hs.agentVersion ?? AgentEngineDefaults.agentVersion,
    requestedClientActions: actions,
  };
}

/**
 * Like the agent: any action not answered with status 1 fails the handshake. A successful KMSEncryption
 * answer fails too, since this engine does not implement KMS. Returns undefined when the session may start.
 */
export function judgeHandshakeResponse(
  response: HandshakeResponse,
  hs: AgentHandshakeOptions | undefined,
): SsmProtocolError | undefined {
  const failed = response.processedClientActions.filter((a) => a.actionStatus !== 1);
  if (failed.length > 0) {
    const why = failed.map((a) => `${a.actionType}: status ${a.actionStatus} ${a.error}`.trim()).join('; ');
    return new SsmProtocolError('HANDSHAKE_FAILED', `the client failed handshake actions (${why})`);
  }
  if (hs?.kmsKeyId !== undefined) {
    return new SsmProtocolError('HANDSHAKE_FAILED', 'KMS encryption is not implemented by this agent engine');
  }
  return undefined;
}
