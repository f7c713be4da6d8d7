/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, for the platform seam outside Node: synchronous, as the codec
 * needs, and allocation-free. Every received output message and every ack costs one, so it is on the web
 * receive path: 32-bit words in `Int32Array`s (never a value past 2^31 that V8 would box), the message
 * schedule and state in module-level arrays, the digest left in {@link sha256Words}'s result for the caller
 * to write or compare. Not constant-time; the digests it computes are integrity checks of public data.
 */

/** The round constants K0..K63 (§4.2.2). */
// biome-ignore format: eight per line.
const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);
/** The initial hash value H(0) (§5.3.3). */
// biome-ignore format: one line.
const INITIAL = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

/** The message schedule W0..W63. */
const W = new Int32Array(64);
/** The hash value H0..H7 of the message being hashed, then its digest. */
const H = new Int32Array(8);
/** The last one or two blocks: the bytes past the last whole block, the padding and the length. */
const TAIL = new Uint8Array(128);

/** Hashes the 64-byte blocks of `bytes` from `start` up to `end` (a multiple of 64 past `start`) into H. */
function compress(bytes: Uint8Array, start: number, end: number): void {
  const w = W;
  let h0 = H[0]!;
  let h1 = H[1]!;
  let h2 = H[2]!;
  let h3 = H[3]!;
  let h4 = H[4]!;
  let h5 = H[5]!;
  let h6 = H[6]!;
  let h7 = H[7]!;
  for (let at = start; at < end; at += 64) {
    // W0..W15: the block as big-endian words; then σ1(Wt-2) + Wt-7 + σ0(Wt-15) + Wt-16.
    for (let t = 0, i = at; t < 16; t++, i += 4) {
      w[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (s1 + w[t - 7]! + s0 + w[t - 16]!) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let t = 0; t < 64; t++) {
      // T1 = h + Σ1(e) + Ch(e, f, g) + Kt + Wt; T2 = Σ0(a) + Maj(a, b, c).
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  H[0] = h0;
  H[1] = h1;
  H[2] = h2;
  H[3] = h3;
  H[4] = h4;
  H[5] = h5;
  H[6] = h6;
  H[7] = h7;
}

/**
 * SHA-256 of `data` as eight 32-bit words (digest byte `4i` is the top byte of word `i`). The result is a
 * shared array that the next call overwrites: read it before hashing again.
 */
export function sha256Words(data: Uint8Array): Int32Array {
  H.set(INITIAL);
  const length = data.length;
  const whole = length - (length % 64);
  compress(data, 0, whole);
  // Padding (§5.1.1): the rest, 0x80, zeros, and the length in bits as a big-endian uint64.
  const rest = length - whole;
  const tail = TAIL;
  tail.fill(0);
  for (let i = 0; i < rest; i++) tail[i] = data[whole + i]!;
  tail[rest] = 0x80;
  const end = rest < 56 ? 64 : 128;
  const high = Math.floor(length / 0x20000000);
  const low = length * 8;
  tail[end - 8] = high >>> 24;
  tail[end - 7] = high >>> 16;
  tail[end - 6] = high >>> 8;
  tail[end - 5] = high;
  tail[end - 4] = low >>> 24;
  tail[end - 3] = low >>> 16;
  tail[end - 2] = low >>> 8;
  tail[end - 1] = low;
  compress(tail, 0, end);
  return H;
}
