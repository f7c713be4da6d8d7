/** Types of run.js, for the benchmark slice test. */
import type { GameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

export function measureStart(
  em: GameLiftStreamsEmulator,
  runs?: number,
): Promise<{ key: string; name: string; median: number; p90: number }[]>;
