/**
 * Constants of the SSM data channel wire format (see the protocol reference, sections 4 to 7 and 17).
 */

/** The MessageType strings carried in the 32-byte MessageType field. */
export const MessageType = {
  InputStreamData: 'input_stream_data',
  OutputStreamData: 'output_stream_data',
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  StartPublication: 'start_publication',
  PausePublication: 'pause_publication',
  AgentSessionState: 'agent_session_state',
} as const;
/** One of the known {@link MessageType} strings. */
export type KnownMessageType = (typeof MessageType)[keyof typeof MessageType];

/** The PayloadType values at header offset 112. */
export const PayloadType = {
  Undefined: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;
/** One of the known {@link PayloadType} values. */
export type KnownPayloadType = (typeof PayloadType)[keyof typeof PayloadType];

/** Values of a Flag payload (PayloadType 10): a 4-byte big-endian unsigned integer. */
export const Flag = {
  DisconnectToPort: 1,
  TerminateSession: 2,
  ConnectToPortError: 3,
} as const;
/** One of the known {@link Flag} values. */
export type KnownFlag = (typeof Flag)[keyof typeof Flag];

/** Bits of the header's 8-byte Flags field. No official receiver reads them. */
export const HeaderFlag = {
  /** Bit 0: first message of the stream. */
  Syn: 1,
  /** Bit 1: last message of the stream. */
  Fin: 2,
  /** What acknowledgements carry (both bits set). */
  Ack: 3,
} as const;

/** Statuses of a processed handshake action. */
export const ActionStatus = {
  Success: 1,
  Failed: 2,
  Unsupported: 3,
} as const;

/** The HeaderLength value writers put at offset 0: every header byte before PayloadLength. */
export const HEADER_LENGTH = 116;
/** The shortest HeaderLength accepted on read (the form without the PayloadType field). */
export const MIN_HEADER_LENGTH = 112;
/** Bytes before the payload in a standard frame: HeaderLength + the 4-byte PayloadLength. */
export const FRAME_HEADER_SIZE = 120;
/** Width of the space-padded MessageType field. */
export const MESSAGE_TYPE_FIELD_SIZE = 32;
/** Chunk size the official agent and plugin use for stream payloads. */
export const STREAM_DATA_PAYLOAD_SIZE = 1024;
/** `MessageSchemaVersion` of the OpenDataChannel frame. */
export const OPEN_DATA_CHANNEL_SCHEMA_VERSION = '1.0';
