export type { EmulatedErrorType } from './api-errors.js';
export { EMULATED_ERRORS, INJECTABLE_STATUS } from './api-errors.js';
export type {
  EmulatedOperation,
  EmulatedSessionStatus,
  EmulatorCall,
  GameLiftStreamsEmulator,
  GameLiftStreamsEmulatorOptions,
  InjectedFault,
} from './emulator-types.js';
export { startGameLiftStreamsEmulator } from './gamelift-streams-emulator.js';
export type { EmulatorCredentials, SignedRequest, SigV4Failure } from './sigv4-check.js';
export { checkSigV4 } from './sigv4-check.js';
