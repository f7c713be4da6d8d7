/**
 * Frames the Session Manager service (not the agent) sends on the data channel: `channel_closed`
 * (protocol reference §14.6) and `start_publication` / `pause_publication` (§11). Emulators and tests
 * build them here.
 */
import { encodeAgentMessage } from '../../codec/agent-message-encode.js';
import { MessageType, PayloadType } from '../../codec/constants.js';
import { encodeChannelClosed } from '../../codec/payloads/channel-closed.js';
import type { EngineIo } from '../engine-io.js';

/** What a channel_closed frame says. */
export interface ChannelClosedInit {
  /** The session id. @default '' */
  sessionId?: string;
  /** The reason shown to the user. @default '' */
  output?: string;
  /** The session target. @default '' */
  destinationId?: string;
}

/**
 * Builds a channel_closed frame: unsequenced (SequenceNumber 0, Flags 0, PayloadType 0), JSON payload with
 * the plugin's field order and CreatedDate as epoch milliseconds in a string.
 */
export function encodeChannelClosedFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock'>,
  init: ChannelClosedInit = {},
): Uint8Array {
  const messageId = io.randomId();
  const createdDate = Math.max(1, Math.floor(io.wallClock()));
  return encodeAgentMessage({
    messageType: MessageType.ChannelClosed,
    sequenceNumber: 0,
    payloadType: PayloadType.Undefined,
    payload: encodeChannelClosed({
      messageId,
      createdDate: String(createdDate),
      destinationId: init.destinationId ?? '',
      sessionId: init.sessionId ?? '',
      messageType: MessageType.ChannelClosed,
      schemaVersion: 1,
      output: init.output ?? '',
    }),
    createdDate,
    messageId,
  });
}

/**
 * Builds a `pause_publication` (`paused` true) or `start_publication` frame: unsequenced, PayloadType 0,
 * with the payload `{}` (the official serializers cannot write an empty one; receivers do not read it).
 */
export function encodePublicationFrame(
  io: Pick<EngineIo, 'randomId' | 'wallClock'>,
  paused: boolean,
): Uint8Array {
  return encodeAgentMessage({
    messageType: paused ? MessageType.PausePublication : MessageType.StartPublication,
    sequenceNumber: 0,
    payloadType: PayloadType.Undefined,
    payload: PUBLICATION_PAYLOAD,
    createdDate: Math.max(1, Math.floor(io.wallClock())),
    messageId: io.randomId(),
  });
}

const PUBLICATION_PAYLOAD = new Uint8Array([0x7b, 0x7d]); // "{}"
