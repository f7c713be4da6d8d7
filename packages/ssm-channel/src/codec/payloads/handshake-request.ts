/**
 * HandshakeRequest payload (agent -> client, PayloadType 5), section 12.2:
 * `{"AgentVersion":s,"RequestedClientActions":[{"ActionType":s,"ActionParameters":<any JSON>}]}`.
 */
import {
  arrayField,
  goJson,
  jsonFields,
  parseJson,
  rawField,
  requireShape,
  stringField,
  utf8Bytes,
} from './json.js';

/** One action the agent asks the client to perform. */
export interface RequestedClientAction {
  /** `SessionType`, `KMSEncryption`, or anything else (to be answered as unsupported). */
  actionType: string;
  /** The action's parameters as parsed JSON (`null` when absent). */
  actionParameters: unknown;
}

/** The content of a HandshakeRequest. */
export interface HandshakeRequest {
  /** The agent's version string. */
  agentVersion: string;
  /** The actions, in request order (empty when absent or `null`). */
  requestedClientActions: RequestedClientAction[];
}

const WHAT = 'handshake request';
const FIELDS = ['AgentVersion', 'RequestedClientActions'] as const;
const ACTION_FIELDS = ['ActionType', 'ActionParameters'] as const;

/**
 * Decodes a HandshakeRequest payload; missing fields take Go's zero values.
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for wrong JSON types.
 */
export function decodeHandshakeRequest(payload: Uint8Array): HandshakeRequest {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  const actions = arrayField(f.RequestedClientActions, WHAT) ?? [];
  return {
    agentVersion: stringField(f.AgentVersion, WHAT),
    requestedClientActions: actions.map((action) => {
      const a = jsonFields(action, ACTION_FIELDS, WHAT);
      return { actionType: stringField(a.ActionType, WHAT), actionParameters: rawField(a.ActionParameters) };
    }),
  };
}

/**
 * Encodes a HandshakeRequest payload (what the agent, or an emulator of it, sends).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for non-string fields or parameters that cannot be
 * serialized.
 */
export function encodeHandshakeRequest(request: HandshakeRequest): Uint8Array {
  requireShape(
    typeof request.agentVersion === 'string' && Array.isArray(request.requestedClientActions),
    WHAT,
    'expected a string agentVersion and an array of actions',
  );
  const actions = request.requestedClientActions.map((action) => {
    requireShape(typeof action.actionType === 'string', WHAT, 'expected a string actionType');
    return `{"ActionType":${goJson(action.actionType, WHAT)},"ActionParameters":${goJson(action.actionParameters, WHAT)}}`;
  });
  return utf8Bytes(
    `{"AgentVersion":${goJson(request.agentVersion, WHAT)},"RequestedClientActions":[${actions.join(',')}]}`,
  );
}
