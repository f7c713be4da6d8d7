/** Types of cases.js, for the benchmark slice test. */
import type { GameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

export function allSessionsRun(em: GameLiftStreamsEmulator, parallel: number): Promise<{ ms: number }>;
