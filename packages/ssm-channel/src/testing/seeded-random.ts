/** A deterministic pseudo-random source (mulberry32): the same seed gives the same sequence everywhere. */
export interface SeededRandom {
  /** The next number in [0, 1). */
  next(): number;
  /**
   * Fills `target` with the next bytes of the sequence and returns it. Successive calls continue the same
   * byte sequence as one big call when every length but the last is a multiple of 4.
   */
  fill(target: Uint8Array): Uint8Array;
}

/** Creates a {@link SeededRandom} from a 32-bit seed (other numbers are truncated to 32 bits). */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / 0x1_0000_0000,
    fill(target) {
      for (let i = 0; i < target.length; i += 4) {
        const word = nextUint32();
        for (let k = 0; k < 4 && i + k < target.length; k += 1) target[i + k] = (word >>> (8 * k)) & 0xff;
      }
      return target;
    },
  };
}

/**
 * The bytes the emulator's `source` mode sends for `seed`: the first `length` bytes of the seeded sequence.
 * Tests regenerate them to check what a client received.
 */
export function deterministicBytes(seed: number, length: number): Uint8Array {
  return createSeededRandom(seed).fill(new Uint8Array(length));
}
