/**
 * The AWS Systems Manager Session Manager data channel for browsers and any runtime without the `node`
 * export condition: the agent-message codec, the protocol engine, and `connectWebDataChannel()`, web
 * streams over a WHATWG `WebSocket`. Bundlers targeting browsers resolve `ssm-channel` to this module; it
 * imports nothing from Node. Under Node, `ssm-channel` exports all of it too, and the Node `Duplex`.
 * @module
 */

export { listenForAbort } from './channel/abort-listener.js';
export {
  type ConnectWebDataChannelOptions,
  connectWebDataChannel,
  type WebChannelTimeouts,
} from './channel/connect-web-data-channel.js';
export {
  CHANNEL_DEFAULTS,
  type ChannelLimits,
  type ChannelTimeouts,
  type ConnectDataChannelOptions,
  checkChannelSettings,
  type DataChannelSettings,
  type ReconnectOptions,
} from './channel/options.js';
export { RECONNECT_RATE } from './channel/reconnect-policy.js';
export { WEB_OUTPUT_HIGH_WATER_MARK, WebDataChannel } from './channel/web-data-channel.js';
export type {
  ChannelLogger,
  ChannelStats,
  CloseInfo,
  CloseReason,
  ReconnectContext,
  StreamCredentials,
} from './channel-types.js';
export type { AgentMessage, AgentMessageInit, DecodeAgentMessageOptions } from './codec/agent-message.js';
export { decodeAgentMessage } from './codec/agent-message-decode.js';
export { encodeAgentMessage } from './codec/agent-message-encode.js';
export type { KnownFlag, KnownMessageType, KnownPayloadType } from './codec/constants.js';
export {
  ActionStatus,
  Flag,
  FRAME_HEADER_SIZE,
  HEADER_LENGTH,
  HeaderFlag,
  MESSAGE_TYPE_FIELD_SIZE,
  MessageType,
  MIN_HEADER_LENGTH,
  OPEN_DATA_CHANNEL_SCHEMA_VERSION,
  PayloadType,
  STREAM_DATA_PAYLOAD_SIZE,
} from './codec/constants.js';
export type { AcknowledgeContent, AcknowledgeInit } from './codec/payloads/acknowledge.js';
export { decodeAcknowledge, encodeAcknowledge } from './codec/payloads/acknowledge.js';
export type { ChannelClosed } from './codec/payloads/channel-closed.js';
export { decodeChannelClosed, encodeChannelClosed } from './codec/payloads/channel-closed.js';
export { decodeExitCode, encodeExitCode } from './codec/payloads/exit-code.js';
export { decodeFlag, encodeFlag } from './codec/payloads/flag.js';
export type { HandshakeComplete } from './codec/payloads/handshake-complete.js';
export { decodeHandshakeComplete, encodeHandshakeComplete } from './codec/payloads/handshake-complete.js';
export type { HandshakeRequest, RequestedClientAction } from './codec/payloads/handshake-request.js';
export { decodeHandshakeRequest, encodeHandshakeRequest } from './codec/payloads/handshake-request.js';
export type { HandshakeResponse, ProcessedClientAction } from './codec/payloads/handshake-response.js';
export { decodeHandshakeResponse, encodeHandshakeResponse } from './codec/payloads/handshake-response.js';
export type { OpenDataChannel } from './codec/payloads/open-data-channel.js';
export { decodeOpenDataChannel, encodeOpenDataChannel } from './codec/payloads/open-data-channel.js';
export type { TerminalSize } from './codec/payloads/terminal-size.js';
export { decodeTerminalSize, encodeTerminalSize } from './codec/payloads/terminal-size.js';
export { formatUuid, parseUuid, randomUuid } from './codec/uuid.js';
export type { SsmChannelErrorCode, SsmProtocolErrorCode } from './errors.js';
export { SsmChannelError, SsmProtocolError } from './errors.js';
export type {
  ClientEngine,
  ClientEngineCallbacks,
  ClientEngineOptions,
  ClientEnginePhase,
  ClientEngineStats,
  EngineCloseInfo,
  EngineIoOptions,
  KnownSessionType,
  SessionStartInfo,
} from './protocol/index.js';
export {
  ClientEngineDefaults,
  createClientEngine,
  DEFAULT_CLIENT_VERSION,
  RetransmitConstants,
  SessionType,
} from './protocol/index.js';
export { checkStreamUrl, isLoopbackHost, judgeUrl } from './transport/url-policy.js';
export type { WebSocketConstructor, WebSocketLike } from './transport/web-socket-transport.js';
