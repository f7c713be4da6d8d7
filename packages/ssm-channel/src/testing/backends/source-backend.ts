import { createSeededRandom } from '../seeded-random.js';
import type { BackendHost, SessionBackend } from './backend.js';

/** Bytes generated per output call; a multiple of 4 keeps the seeded sequence continuous. */
const CHUNK_BYTES = 16 * 1024;

/**
 * `source` mode: `total` bytes of the seeded sequence (see `deterministicBytes`), as fast as the output
 * window allows, then finish. Input is ignored.
 */
export function createSourceBackend(host: BackendHost, total: number, seed: number): SessionBackend {
  const random = createSeededRandom(seed);
  let remaining = total;
  let started = false;
  let stopped = false;
  let pumping = false;
  const pump = (): void => {
    if (!started || stopped || pumping) return;
    pumping = true;
    try {
      while (remaining > 0 && !stopped) {
        const chunk = random.fill(new Uint8Array(Math.min(CHUNK_BYTES, remaining)));
        remaining -= chunk.length;
        if (!host.output(chunk)) return;
      }
      if (remaining === 0 && !stopped) {
        stopped = true;
        host.finish({});
      }
    } finally {
      pumping = false;
    }
  };
  return {
    start() {
      started = true;
      pump();
    },
    input() {},
    resize() {},
    writable: pump,
    stop() {
      stopped = true;
      return Promise.resolve();
    },
  };
}
