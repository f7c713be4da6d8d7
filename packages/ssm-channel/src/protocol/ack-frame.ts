/**
 * Acknowledgement frames (protocol reference §8): MessageType `acknowledge`, SequenceNumber 0, Flags 3,
 * PayloadType 0, a fresh MessageId, and the JSON naming the acknowledged message.
 */
import { encodeAgentMessage } from '../codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../codec/constants.js';
import { encodeAcknowledge } from '../codec/payloads/acknowledge.js';
import type { EngineIo } from './engine-io.js';

/** Builds the frame acknowledging stream message `sequenceNumber`/`messageId` of type `ackedType`. */
export function encodeAckFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock'>,
  ackedType: string,
  sequenceNumber: number,
  messageId: string,
): Uint8Array {
  return encodeAgentMessage({
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    payloadType: PayloadType.Undefined,
    payload: encodeAcknowledge({
      acknowledgedMessageType: ackedType,
      acknowledgedMessageId: messageId,
      acknowledgedMessageSequenceNumber: sequenceNumber,
    }),
    createdDate: io.wallClock(),
    flags: HeaderFlag.Ack,
    messageId: io.randomId(),
  });
}
