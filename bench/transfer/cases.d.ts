/** Types of cases.js, for the benchmark slice test. */
import type { GameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

export interface Rate {
  /** MB (10^6 bytes) per second. */
  mbPerS: number;
  ms: number;
}
export function rawChannel(
  em: GameLiftStreamsEmulator,
  direction: 'download' | 'upload',
  bytes: number,
): Promise<Rate>;
export function makeFile(path: string, bytes: number): void;
export function copyRun(
  em: GameLiftStreamsEmulator,
  direction: 'download' | 'upload',
  file: string,
  dir: string,
): Promise<Rate>;
