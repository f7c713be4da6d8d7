/** Types of cases.js, for the bench slice test (packages/ssm-channel/test/channel/bench-slice.test.ts). */
import type { DataChannel } from 'ssm-channel';
import type { AgentProcess } from './agent-process.js';

/** Frames in the sender's pre-encoded ring. */
export const RING_FRAMES: number;

export interface Rate {
  /** Payload MB (10^6 bytes) per second. */
  mbPerS: number;
  ms: number;
}

export interface CheckedOutput extends Rate {
  bytes: number;
  streamOk: boolean;
  acks: number;
  acksOk: boolean;
}

export interface CheckedInput extends Rate {
  received: number;
  streamOk: boolean;
  duplicates: number;
}

export interface EchoSession {
  /** `count` one-byte round trips, in ms each. */
  sample(count: number, timeoutMs?: number): Promise<number[]>;
  close(): Promise<void>;
}

export function outputOurs(
  agent: AgentProcess,
  options: { messages: number; payload?: number; verify: true; timeoutMs?: number },
): Promise<CheckedOutput>;
export function outputOurs(
  agent: AgentProcess,
  options: { messages: number; payload?: number; verify?: false; timeoutMs?: number },
): Promise<Rate>;
export function outputBare(
  agent: AgentProcess,
  options: { messages: number; payload?: number; timeoutMs?: number },
): Promise<Rate>;
export function inputOurs(
  agent: AgentProcess,
  options: { bytes: number; chunk?: number; verify: true; timeoutMs?: number },
): Promise<CheckedInput>;
export function inputOurs(
  agent: AgentProcess,
  options: { bytes: number; chunk?: number; verify?: false; timeoutMs?: number },
): Promise<Rate>;
export function inputBare(
  agent: AgentProcess,
  options: { bytes: number; chunk?: number; messageBytes?: number; timeoutMs?: number },
): Promise<Rate>;
export function openEchoOurs(agent: AgentProcess, options?: { timeoutMs?: number }): Promise<EchoSession>;
export function openEchoBare(agent: AgentProcess, options?: { timeoutMs?: number }): Promise<EchoSession>;
export function openIdleChannel(agent: AgentProcess, options?: { timeoutMs?: number }): Promise<DataChannel>;
export function openStalledChannel(
  agent: AgentProcess,
  options: { messages: number; payload?: number; timeoutMs?: number },
): Promise<{ id: string; channel: DataChannel; offered: Promise<number> }>;
export function closeChannel(channel: DataChannel | undefined): Promise<void>;
export function quantile(values: readonly number[], q: number): number;
export function median(values: readonly number[]): number;
