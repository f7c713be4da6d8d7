/**
 * The sans-IO protocol engines: the client engine (what `connectDataChannel` drives) and, under
 * `./agent/`, the agent engine used by the emulator and the simulations.
 */

export type { ClientEngine } from './client-engine.js';
export { createClientEngine } from './client-engine.js';
export type { HandshakeAnswer, KnownSessionType } from './client-handshake.js';
export { answerHandshakeRequest, SessionType } from './client-handshake.js';
export type {
  ClientEngineCallbacks,
  ClientEngineOptions,
  EngineCloseInfo,
  SessionStartInfo,
} from './client-options.js';
export { ClientEngineDefaults, DEFAULT_CLIENT_VERSION } from './client-options.js';
export type { ClientEnginePhase, ClientEngineStats } from './client-stats.js';
export type { EngineIo, EngineIoOptions } from './engine-io.js';
export type { RttEstimator, RttState } from './rtt-estimator.js';
export { createRttEstimator, RetransmitConstants } from './rtt-estimator.js';
