/**
 * The acknowledge message (protocol reference §8): MessageType `acknowledge`, SequenceNumber 0, Flags 3,
 * PayloadType 0, and the JSON payload naming the acknowledged message, written straight into the frame.
 * Every stream message received costs one, so this is on the receive hot path.
 */
import type { AgentMessageHeader } from './agent-message-encode.js';
import { encodeAgentMessage, encodeFrame } from './agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from './constants.js';
import { Offset } from './layout.js';
import {
  type AckedId,
  encodeAcknowledge,
  plainAcknowledgeLength,
  writePlainAcknowledge,
} from './payloads/acknowledge.js';
import { readMessageId } from './uuid.js';

/** The message an acknowledgement names: a decoded frame (its MessageId read from its bytes). */
export interface AckedMessage {
  readonly messageType: string;
  readonly sequenceNumber: number;
  /** The received frame, whose 16 bytes at offset 64 are its MessageId. */
  readonly frame: Uint8Array;
}

/**
 * Encodes the acknowledgement of `acked`, created at `createdDate` (ms), with the MessageId `messageId` or a
 * fresh random one. The bytes are those of `encodeAgentMessage` of an `encodeAcknowledge` payload naming
 * `acked`'s type, id (lower-case) and sequence number.
 * @throws {SsmProtocolError} as `encodeAgentMessage`.
 */
export function encodeAcknowledgeMessage(
  acked: AckedMessage,
  createdDate: number,
  messageId?: string,
): Uint8Array {
  const header: AgentMessageHeader = {
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    flags: HeaderFlag.Ack,
    payloadType: PayloadType.Undefined,
    createdDate,
  };
  if (messageId !== undefined) header.messageId = messageId;
  const { messageType: type, sequenceNumber: seq } = acked;
  const id: AckedId = acked;
  const length = plainAcknowledgeLength(type, id, seq, true);
  if (length >= 0)
    return encodeFrame(header, length, (frame, at) => writePlainAcknowledge(frame, at, type, id, seq, true));
  // A message type that JSON must escape: the same bytes through the general encoders.
  const payload = encodeAcknowledge({
    acknowledgedMessageType: type,
    acknowledgedMessageId: readMessageId(acked.frame, Offset.MessageId),
    acknowledgedMessageSequenceNumber: seq,
  });
  return encodeAgentMessage({ ...header, payload });
}
