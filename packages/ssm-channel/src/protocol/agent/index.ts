/**
 * The agent side of the data channel as a pure engine, for the agent emulator (`ssm-channel/testing`) and
 * the simulations, plus the service's own frames.
 */
export type { AgentEngine } from './agent-engine.js';
export { createAgentEngine } from './agent-engine.js';
export type {
  AgentEngineCallbacks,
  AgentEngineOptions,
  AgentEnginePhase,
  AgentEngineStats,
  AgentHandshakeOptions,
} from './agent-options.js';
export { AgentEngineDefaults } from './agent-options.js';
export type { ChannelClosedInit } from './service-frames.js';
export { encodeChannelClosedFrame, encodePublicationFrame } from './service-frames.js';
