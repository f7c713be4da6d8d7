import { AdminShellError } from '../errors.js';
import { checkRegionName } from '../identifiers.js';
import { shownValue } from '../option-checks.js';
import { INJECTABLE_STATUS } from './api-errors.js';
import {
  EMULATED_OPERATIONS,
  EMULATED_SESSION_STATUSES,
  type EmulatedSessionStatus,
  type GameLiftStreamsEmulatorOptions,
  type InjectedFault,
} from './emulator-types.js';

const ID = /^[a-zA-Z0-9-]{1,128}$/;
const ACCOUNT = /^[0-9]{12}$/;
const MAX_MESSAGE = 4096;

function invalid(message: string): AdminShellError {
  return new AdminShellError('INVALID_ARGUMENT', message);
}

/** A whole number ≥ `min`, or `Infinity`. */
function isCount(value: unknown, min: number): boolean {
  return value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) >= min);
}

/**
 * Checks a stream session status.
 * @throws {AdminShellError} `INVALID_ARGUMENT` when it is not one of {@link EMULATED_SESSION_STATUSES}.
 */
export function checkEmulatedStatus(status: unknown): EmulatedSessionStatus {
  if ((EMULATED_SESSION_STATUSES as readonly unknown[]).includes(status))
    return status as EmulatedSessionStatus;
  throw invalid(`status must be one of ${EMULATED_SESSION_STATUSES.join(', ')}, not ${shownValue(status)}.`);
}

/**
 * Checks a fault to inject: its status is one of {@link INJECTABLE_STATUS}, its operation one the emulator
 * serves, `times` a whole number ≥ 1 or `Infinity`, `message` a string of at most 4096 characters.
 * @throws {AdminShellError} `INVALID_ARGUMENT`.
 */
export function checkInjectedFault(fault: unknown): InjectedFault {
  if (typeof fault !== 'object' || fault === null) {
    throw invalid(
      `a fault must be an object { status, operation?, times?, message? }, not ${shownValue(fault)}.`,
    );
  }
  const { status, operation, times, message } = fault as Record<string, unknown>;
  if (typeof status !== 'number' || !Object.hasOwn(INJECTABLE_STATUS, status)) {
    throw invalid(
      `fault.status must be one of ${Object.keys(INJECTABLE_STATUS).join(', ')}, not ${shownValue(status)}.`,
    );
  }
  if (operation !== undefined && !(EMULATED_OPERATIONS as readonly unknown[]).includes(operation)) {
    throw invalid(
      `fault.operation must be one of ${EMULATED_OPERATIONS.join(', ')}, not ${shownValue(operation)}.`,
    );
  }
  if (times !== undefined && !isCount(times, 1)) {
    throw invalid(`fault.times must be a whole number from 1, or Infinity, not ${shownValue(times)}.`);
  }
  if (message !== undefined && (typeof message !== 'string' || message.length > MAX_MESSAGE)) {
    throw invalid(`fault.message must be a string of at most ${MAX_MESSAGE} characters.`);
  }
  return fault as InjectedFault;
}

/** The most stream sessions an emulated group holds. */
export const MAX_EMULATED_SESSIONS = 1_000;

function checkRuntime(value: unknown, name: string): void {
  if (value !== 'linux' && value !== 'windows') {
    throw invalid(`${name} must be 'linux' or 'windows', not ${shownValue(value)}.`);
  }
}

function checkMoreSessions(more: GameLiftStreamsEmulatorOptions['moreSessions']): void {
  if (more === undefined) return;
  if (typeof more === 'number') {
    if (!Number.isSafeInteger(more) || more < 0 || more >= MAX_EMULATED_SESSIONS) {
      throw invalid(
        `moreSessions must be a whole number from 0 to ${MAX_EMULATED_SESSIONS - 1}, not ${shownValue(more)}.`,
      );
    }
    return;
  }
  if (!Array.isArray(more) || more.length >= MAX_EMULATED_SESSIONS) {
    throw invalid(
      `moreSessions must be a count or an array of fewer than ${MAX_EMULATED_SESSIONS} sessions.`,
    );
  }
  for (const spec of more as unknown[]) {
    if (typeof spec !== 'object' || spec === null) throw invalid('each of moreSessions must be an object.');
    const { id, status, runtime } = spec as Record<string, unknown>;
    if (id !== undefined && (typeof id !== 'string' || !ID.test(id))) {
      throw invalid(`a session id must be 1 to 128 letters, digits and hyphens, not ${shownValue(id)}.`);
    }
    if (status !== undefined) checkEmulatedStatus(status);
    if (runtime !== undefined) checkRuntime(runtime, 'runtime');
  }
}

/**
 * Checks the options of the API emulator, except `tokenValue` and `agent` (the agent emulator's own checks).
 * @throws {AdminShellError} `INVALID_ARGUMENT` that names the option.
 */
export function checkEmulatorOptions(options: GameLiftStreamsEmulatorOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid('the emulator options must be an object.');
  }
  if (options.region !== undefined) checkRegionName(options.region);
  const { accountId } = options;
  if (accountId !== undefined && (typeof accountId !== 'string' || !ACCOUNT.test(accountId))) {
    throw invalid(`accountId must be 12 digits, not ${shownValue(accountId)}.`);
  }
  for (const key of ['streamGroupId', 'streamSessionId'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && (typeof value !== 'string' || !ID.test(value))) {
      throw invalid(`${key} must be 1 to 128 letters, digits and hyphens, not ${shownValue(value)}.`);
    }
  }
  if (options.notReadyTimes !== undefined && !isCount(options.notReadyTimes, 0)) {
    throw invalid(
      `notReadyTimes must be a whole number from 0, or Infinity, not ${shownValue(options.notReadyTimes)}.`,
    );
  }
  if (options.status !== undefined) checkEmulatedStatus(options.status);
  if (options.runtime !== undefined) checkRuntime(options.runtime, 'runtime');
  if (options.rewriteSessionId !== undefined && typeof options.rewriteSessionId !== 'function') {
    throw invalid('rewriteSessionId must be a function.');
  }
  checkMoreSessions(options.moreSessions);
  const { pageSize } = options;
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 100)) {
    throw invalid(`pageSize must be a whole number from 1 to 100, not ${shownValue(pageSize)}.`);
  }
  if (options.faults !== undefined) {
    if (!Array.isArray(options.faults)) throw invalid('faults must be an array.');
    for (const fault of options.faults) checkInjectedFault(fault);
  }
  const { credentials } = options;
  if (
    credentials !== undefined &&
    (typeof credentials !== 'object' ||
      credentials === null ||
      typeof credentials.accessKeyId !== 'string' ||
      typeof credentials.secretAccessKey !== 'string' ||
      credentials.accessKeyId === '' ||
      credentials.secretAccessKey === '')
  ) {
    throw invalid('credentials must be { accessKeyId, secretAccessKey }, two non-empty strings.');
  }
  const { port } = options;
  if (port !== undefined && (!Number.isSafeInteger(port) || port < 0 || port > 65_535)) {
    throw invalid(`port must be a whole number from 0 to 65535, not ${shownValue(port)}.`);
  }
  if (options.agent !== undefined && (typeof options.agent !== 'object' || options.agent === null)) {
    throw invalid(`agent must be an object, not ${shownValue(options.agent)}.`);
  }
}
