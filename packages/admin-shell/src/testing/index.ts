/**
 * A GameLift Streams API emulator for testing without AWS: the real SDK client talks to it, and its admin
 * shells run a real shell on this machine.
 * @module gamelift-admin-shell/testing
 */
export type { EmulatedErrorType } from './api-errors.js';
export { EMULATED_ERRORS, INJECTABLE_STATUS } from './api-errors.js';
export type {
  EmulatedOperation,
  EmulatedRuntime,
  EmulatedSessionStatus,
  EmulatedStreamSessionSpec,
  EmulatorCall,
  GameLiftStreamsEmulator,
  GameLiftStreamsEmulatorOptions,
  InjectedFault,
} from './emulator-types.js';
export { EMULATED_OPERATIONS, EMULATED_SESSION_STATUSES } from './emulator-types.js';
export { startGameLiftStreamsEmulator } from './gamelift-streams-emulator.js';
export type { EmulatorCredentials, SignedRequest, SigV4Failure } from './sigv4-check.js';
export { checkSigV4 } from './sigv4-check.js';
