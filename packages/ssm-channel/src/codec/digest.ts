/**
 * SHA-256 of a payload, written into or compared against a frame's PayloadDigest field. The hashing comes
 * from the platform seam (`#platform`): `node:crypto` under Node, `@noble/hashes` elsewhere.
 */
export { sha256Matches, writeSha256 } from '#platform';

/** Size of the PayloadDigest field. */
export const DIGEST_SIZE = 32;
