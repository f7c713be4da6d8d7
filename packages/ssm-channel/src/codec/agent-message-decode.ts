/**
 * Agent message decoder: {@link decodeAgentFrame}'s result as a plain object with every field read.
 */

import { decodeAgentFrame } from './agent-frame.js';
import type { AgentMessage, DecodeAgentMessageOptions } from './agent-message.js';

/**
 * Decodes one binary agent message (section 4). Reads HeaderLength at 0 and accepts 112..116; PayloadLength
 * is read at offset HeaderLength and the payload starts at HeaderLength + 4; PayloadType is read at 112 only
 * when HeaderLength >= 116 (else 0). PayloadLength must equal the bytes that follow (the official readers do
 * not check this). The MessageType is trimmed of NULs, then whitespace, at both ends. Like the official
 * client, `start_publication` and `pause_publication` are not validated: CreatedDate may be 0 and the digest
 * is not checked.
 *
 * `payload` and `payloadDigest` are zero-copy views of `frame`.
 *
 * @param options.verifyDigest check SHA-256 when the payload is not empty. @default true
 * @throws {SsmProtocolError} `FRAME_TOO_SHORT` (shorter than 116 bytes or than HeaderLength + 4);
 * `HEADER_LENGTH_OUT_OF_RANGE` (not 112..116); `PAYLOAD_LENGTH_MISMATCH`; `MESSAGE_TYPE_MISSING` (empty
 * after trimming); `CREATED_DATE_OUT_OF_RANGE` (0, or beyond 2^53-1); `SEQUENCE_NUMBER_OUT_OF_RANGE`
 * (negative or beyond 2^53-1); `FLAGS_OUT_OF_RANGE` (beyond 2^53-1); `DIGEST_MISMATCH`.
 */
export function decodeAgentMessage(frame: Uint8Array, options?: DecodeAgentMessageOptions): AgentMessage {
  const f = decodeAgentFrame(frame, options);
  return {
    headerLength: f.headerLength,
    messageType: f.messageType,
    schemaVersion: f.schemaVersion,
    createdDate: f.createdDate,
    sequenceNumber: f.sequenceNumber,
    flags: f.flags,
    messageId: f.messageId,
    payloadDigest: f.payloadDigest,
    payloadType: f.payloadType,
    payloadLength: f.payloadLength,
    payload: f.payload,
  };
}
