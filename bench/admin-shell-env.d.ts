/** Types of admin-shell-env.js, for the benchmark slice tests. */
import type { GameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

export const MAIN: string;
export const CREDENTIALS: { accessKeyId: string; secretAccessKey: string };
export function benchEnv(): Record<string, string>;
export function emulatorFlags(em: GameLiftStreamsEmulator, options?: { session?: boolean }): string[];
export function timeRun(
  file: string,
  args: readonly string[],
  options?: { env?: Record<string, string>; collect?: boolean; timeoutMs?: number },
): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }>;
