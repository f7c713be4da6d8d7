/**
 * HandshakeResponse payload (client -> agent, PayloadType 6), section 12.4:
 * `{"ClientVersion":s,"ProcessedClientActions":[{"ActionType":s,"ActionStatus":n,"ActionResult":<any>,"Error":s}],"Errors":[s]|null}`.
 */
import {
  arrayField,
  goJson,
  integerField,
  jsonFields,
  parseJson,
  rawField,
  requireShape,
  stringField,
  utf8Bytes,
} from './json.js';

/** The client's answer to one requested action. */
export interface ProcessedClientAction {
  /** Echo of the requested ActionType. */
  actionType: string;
  /** 1 Success, 2 Failed, 3 Unsupported (see `ActionStatus`); a safe integer. */
  actionStatus: number;
  /** Action result as JSON (`null` for SessionType; the KMS object for KMSEncryption). */
  actionResult: unknown;
  /** `''` on success. */
  error: string;
}

/** The content of a HandshakeResponse. */
export interface HandshakeResponse {
  /** The client's version string (the agent gates features on it). */
  clientVersion: string;
  /** One entry per requested action, in request order. */
  processedClientActions: ProcessedClientAction[];
  /** One message per failed action, or `null` when there is none. */
  errors: string[] | null;
}

const WHAT = 'handshake response';
const FIELDS = ['ClientVersion', 'ProcessedClientActions', 'Errors'] as const;
const ACTION_FIELDS = ['ActionType', 'ActionStatus', 'ActionResult', 'Error'] as const;
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Encodes a HandshakeResponse with the official field order (an empty `errors` array is written as `[]`,
 * `null` as `null`).
 * @throws {SsmProtocolError} `PAYLOAD_SHAPE_INVALID` for wrong field types or results that cannot be
 * serialized.
 */
export function encodeHandshakeResponse(response: HandshakeResponse): Uint8Array {
  const { clientVersion, processedClientActions, errors } = response;
  requireShape(
    typeof clientVersion === 'string' &&
      Array.isArray(processedClientActions) &&
      (errors === null || (Array.isArray(errors) && errors.every((e) => typeof e === 'string'))),
    WHAT,
    'expected a string clientVersion, an actions array and errors as a string array or null',
  );
  const actions = processedClientActions.map((a) => {
    requireShape(
      typeof a.actionType === 'string' && typeof a.error === 'string' && Number.isSafeInteger(a.actionStatus),
      WHAT,
      'expected string actionType and error and an integer actionStatus',
    );
    return `{"ActionType":${goJson(a.actionType, WHAT)},"ActionStatus":${a.actionStatus},"ActionResult":${goJson(
      a.actionResult,
      WHAT,
    )},"Error":${goJson(a.error, WHAT)}}`;
  });
  return utf8Bytes(
    `{"ClientVersion":${goJson(clientVersion, WHAT)},"ProcessedClientActions":[${actions.join(',')}],"Errors":${goJson(
      errors,
      WHAT,
    )}}`,
  );
}

/**
 * Decodes a HandshakeResponse; missing fields take Go's zero values (`errors` stays `null`).
 * @throws {SsmProtocolError} `PAYLOAD_JSON_INVALID`; `PAYLOAD_SHAPE_INVALID` for wrong JSON types.
 */
export function decodeHandshakeResponse(payload: Uint8Array): HandshakeResponse {
  const f = jsonFields(parseJson(payload, WHAT), FIELDS, WHAT);
  const actions = arrayField(f.ProcessedClientActions, WHAT) ?? [];
  const errors = arrayField(f.Errors, WHAT);
  return {
    clientVersion: stringField(f.ClientVersion, WHAT),
    processedClientActions: actions.map((action) => {
      const a = jsonFields(action, ACTION_FIELDS, WHAT);
      return {
        actionType: stringField(a.ActionType, WHAT),
        actionStatus: integerField(a.ActionStatus, -SAFE, SAFE, WHAT),
        actionResult: rawField(a.ActionResult),
        error: stringField(a.Error, WHAT),
      };
    }),
    errors: errors === null ? null : errors.map((e) => stringField(e, WHAT)),
  };
}
