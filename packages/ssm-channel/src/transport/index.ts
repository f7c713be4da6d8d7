export { Keepalive, type KeepaliveOptions } from './keepalive.js';
export { classifyClose, POLICY_VIOLATION_CLOSE_CODE, SsmTransportError } from './transport-error.js';
export {
  type FrameKind,
  resolveTransportSettings,
  TRANSPORT_DEFAULTS,
  type TransportOptions,
  type TransportSettings,
} from './transport-options.js';
export { checkStreamUrl, describeUrl, isLoopbackHost } from './url-policy.js';
export { openTransport, type Transport, type TransportState } from './ws-transport.js';
