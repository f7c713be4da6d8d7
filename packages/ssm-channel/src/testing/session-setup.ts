import { readMessageType } from '../codec/message-type.js';
import type { AgentHandshakeOptions } from '../protocol/agent/agent-options.js';
import type { EmulatedSessionOptions, EmulatorStats } from './emulator-options.js';

/** The MessageType of a frame, or undefined when it has none. */
export function frameType(frame: Uint8Array): string | undefined {
  if (frame.length < 36) return undefined;
  try {
    return readMessageType(frame);
  } catch {
    return undefined;
  }
}

/** The agent engine's handshake options for the emulator's `handshake` option. */
export function handshakeOf(option: EmulatedSessionOptions['handshake']): AgentHandshakeOptions | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return {};
  const hs: AgentHandshakeOptions = {};
  if (option.sessionType !== undefined) hs.sessionType = option.sessionType;
  if (option.properties !== undefined) hs.properties = option.properties;
  if (option.kms === true) hs.kmsKeyId = 'arn:aws:kms:us-east-1:000000000000:key/emulator';
  if (option.customerMessage !== undefined) hs.customerMessage = option.customerMessage;
  if (option.timeoutMs !== undefined) hs.timeoutMs = option.timeoutMs;
  return hs;
}

/** The counters a session keeps itself (the rest of {@link EmulatorStats} comes from the engine). */
export type SessionCounters = Omit<
  EmulatorStats,
  'acksIn' | 'acksOut' | 'retransmissions' | 'sink' | 'agent'
>;

/** Counters at zero. */
export function emptyCounters(): SessionCounters {
  return {
    connections: 0,
    authFailures: 0,
    framesIn: 0,
    bytesIn: 0,
    framesOut: 0,
    bytesOut: 0,
    inputBytes: 0,
    outputBytes: 0,
    inputWhilePaused: 0,
    resizes: 0,
    lastSize: undefined,
    faults: {
      dropped: 0,
      duplicated: 0,
      reordered: 0,
      garbage: 0,
      cuts: 0,
      stalls: 0,
      stalledFrames: 0,
      uplinkPauses: 0,
    },
  };
}
