/** Types of emulator-process.js, for the tests. */
import type { AgentEmulatorOptions, EmulatorStats } from 'ssm-channel/testing';

export interface EmulatorProcess {
  /** The sessions, in order. */
  readonly sessions: readonly { url: string; tokenValue: string }[];
  /** Every session's stats, in order. */
  stats(): Promise<EmulatorStats[]>;
  close(): Promise<void>;
}

export function startEmulatorProcess(
  sessions: number,
  options: AgentEmulatorOptions,
): Promise<EmulatorProcess>;
