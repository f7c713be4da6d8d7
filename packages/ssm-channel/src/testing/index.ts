/**
 * An SSM agent emulator for testing data channel clients without AWS.
 * @module ssm-channel/testing
 */

export type { AgentEnginePhase, AgentEngineStats } from '../protocol/agent/index.js';
export { type AgentEmulator, startAgentEmulator } from './agent-emulator.js';
export {
  type ConnectionInfo,
  type EmulatedSession,
  type EmulatedSessionEvents,
  REFUSAL_CLOSE_CODE,
} from './emulated-session-api.js';
export {
  type AgentEmulatorOptions,
  type ByteTriggerOptions,
  EMULATOR_DEFAULTS,
  type EmulatedSessionOptions,
  type EmulatorAgentLimits,
  type EmulatorFaultOptions,
  type EmulatorHandshakeOptions,
  type EmulatorMode,
  type EmulatorShellOptions,
  type EmulatorSourceOptions,
  type EmulatorStats,
  type FaultCounters,
  type SessionEndInfo,
} from './emulator-options.js';
export { GARBAGE_KINDS, type GarbageKind } from './garbage-frames.js';
export { createSeededRandom, deterministicBytes, type SeededRandom } from './seeded-random.js';
export { validateTokenValue } from './validate-options.js';
