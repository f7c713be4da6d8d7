import { SsmChannelError } from '../errors.js';
import {
  type AgentEmulatorOptions,
  EMULATOR_DEFAULTS,
  type EmulatedSessionOptions,
  type EmulatorMode,
} from './emulator-options.js';

const MODES: ReadonlySet<EmulatorMode> = new Set(['shell', 'echo', 'source', 'sink']);

function fail(name: string, rule: string): never {
  throw new SsmChannelError('INVALID_ARGUMENT', `${name} must be ${rule}`);
}

function checkInteger(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min))
    fail(name, `an integer >= ${min}`);
}

function checkProbability(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) fail(name, 'a probability in [0, 1]');
}

/**
 * Checks a fixed token (the `tokenValue` option): 1 to 4096 visible ASCII characters. The error never
 * quotes the value.
 * @throws {SsmChannelError} `INVALID_ARGUMENT`.
 */
export function validateTokenValue(value: unknown): void {
  const max = EMULATOR_DEFAULTS.maxTokenLength;
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > max ||
    !/^[\x21-\x7e]+$/.test(value)
  ) {
    fail('tokenValue', `a string of 1 to ${max} visible ASCII characters (! to ~)`);
  }
}

/**
 * Checks the per-session options.
 * @throws {SsmChannelError} `INVALID_ARGUMENT` naming the first bad option.
 */
export function validateSessionOptions(options: EmulatedSessionOptions): void {
  if (options.mode !== undefined && !MODES.has(options.mode))
    fail('mode', "'shell', 'echo', 'source' or 'sink'");
  if (options.sessionId !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(options.sessionId)) {
    fail('sessionId', '1 to 128 characters of [A-Za-z0-9._-]');
  }
  if (options.tokenValue !== undefined) validateTokenValue(options.tokenValue);
  checkInteger('source.bytes', options.source?.bytes, 0);
  checkInteger('source.seed', options.source?.seed, 0);
  checkInteger('drainTimeoutMs', options.drainTimeoutMs, 1);
  checkInteger('closeSocketDelayMs', options.closeSocketDelayMs, 0);
  if (options.greeting !== undefined && typeof options.greeting !== 'string') fail('greeting', 'a string');
  for (const key of ['sendExitCode', 'keepSessionOnClientClose'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') fail(key, 'a boolean');
  }
  if (typeof options.handshake === 'object')
    checkInteger('handshake.timeoutMs', options.handshake.timeoutMs, 1);
  const faults = options.faults;
  if (faults === undefined) return;
  if (typeof faults !== 'object' || faults === null) fail('faults', 'an object (or left out)');
  checkInteger('faults.seed', faults.seed, 0);
  for (const key of ['drop', 'duplicate', 'reorder', 'garbage'] as const)
    checkProbability(`faults.${key}`, faults[key]);
  checkInteger('faults.reorderHoldMs', faults.reorderHoldMs, 1);
  checkInteger('faults.cut.afterBytes', faults.cut?.afterBytes, 1);
  checkInteger('faults.cut.times', faults.cut?.times, 1);
  checkInteger('faults.stall.afterBytes', faults.stall?.afterBytes, 1);
  checkInteger('faults.stall.times', faults.stall?.times, 1);
  checkInteger('faults.stall.durationMs', faults.stall?.durationMs, 1);
  checkInteger('faults.uplinkBytesPerSecond', faults.uplinkBytesPerSecond, 1);
  if (faults.direction !== undefined && !['both', 'to-client', 'to-agent'].includes(faults.direction)) {
    fail('faults.direction', "'both', 'to-client' or 'to-agent'");
  }
}

/**
 * Checks the emulator options (server settings and the defaults for every session).
 * @throws {SsmChannelError} `INVALID_ARGUMENT` naming the first bad option.
 */
export function validateEmulatorOptions(options: AgentEmulatorOptions): void {
  validateSessionOptions(options);
  checkInteger('port', options.port, 0);
  if (options.port !== undefined && options.port > 65_535) fail('port', 'at most 65535');
  checkInteger('tokenValidityMs', options.tokenValidityMs, 1);
  checkInteger('openTimeoutMs', options.openTimeoutMs, 1);
  checkInteger('maxPayload', options.maxPayload, 1);
  checkInteger('maxSessions', options.maxSessions, 1);
}
