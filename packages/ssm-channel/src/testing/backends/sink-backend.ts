import { createHash } from 'node:crypto';
import type { BackendHost, SessionBackend } from './backend.js';

/** What the sink swallowed so far. */
export interface SinkTally {
  bytes: number;
  /** SHA-256 (hex) of every byte swallowed so far. */
  sha256(): string;
}

/** `sink` mode: input is counted and hashed, nothing is output. */
export function createSinkBackend(_host: BackendHost): SessionBackend & { tally: SinkTally } {
  const hash = createHash('sha256');
  const tally: SinkTally = { bytes: 0, sha256: () => hash.copy().digest('hex') };
  return {
    tally,
    start() {},
    input(bytes) {
      tally.bytes += bytes.length;
      hash.update(bytes);
    },
    resize() {},
    writable() {},
    stop: () => Promise.resolve(),
  };
}
