import { randomBytes } from 'node:crypto';

/** Why a token was refused. */
export type TokenRefusal = 'unknown' | 'expired';

/** Settings of a {@link TokenRegistry}. */
export interface TokenRegistryOptions {
  /** How long a token may open new connections after it was issued, in ms. */
  validityMs: number;
  /** Wall clock in ms. */
  now: () => number;
  /** Most tokens remembered at once; the oldest are forgotten first. */
  maxTokens: number;
  /** A fixed token: every `issue()` returns it, re-armed for a new window. Undefined: random tokens. */
  fixedToken?: string | undefined;
}

/**
 * The service's token check: a token issued by {@link TokenRegistry.issue} opens any number of new
 * connections during `validityMs`, like a StartSession/ResumeSession token (valid for 60 s on the real
 * service). Connections already open are not affected when it expires.
 */
export class TokenRegistry {
  readonly #options: TokenRegistryOptions;
  /** token -> expiry time; insertion order is issue order. */
  readonly #expiries = new Map<string, number>();

  constructor(options: TokenRegistryOptions) {
    this.#options = options;
  }

  /**
   * A fresh opaque token (base64url of 48 random bytes), or the fixed token re-armed: it may open new
   * connections for `validityMs` from now.
   */
  issue(): string {
    const now = this.#options.now();
    const token = this.#options.fixedToken ?? randomBytes(48).toString('base64url');
    // Deleted first so that it moves to the end: insertion order stays issue order.
    this.#expiries.delete(token);
    this.#forgetExpired(now);
    while (this.#expiries.size >= this.#options.maxTokens) {
      const oldest = this.#expiries.keys().next().value;
      if (oldest === undefined) break;
      this.#expiries.delete(oldest);
    }
    this.#expiries.set(token, now + this.#options.validityMs);
    return token;
  }

  /** Undefined when `token` may open a connection now; otherwise why not. */
  check(token: string): TokenRefusal | undefined {
    const expiry = this.#expiries.get(token);
    if (expiry === undefined) return 'unknown';
    return this.#options.now() < expiry ? undefined : 'expired';
  }

  /** Forgets every token (the session ended). */
  revokeAll(): void {
    this.#expiries.clear();
  }

  #forgetExpired(now: number): void {
    // Keep expired tokens for one more window so that their refusal says `expired`, not `unknown`.
    for (const [token, expiry] of this.#expiries) {
      if (expiry + this.#options.validityMs > now) break;
      this.#expiries.delete(token);
    }
  }
}
