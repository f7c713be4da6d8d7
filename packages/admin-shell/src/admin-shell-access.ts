import type { InspectOptions } from 'node:util';

/** The key `util.inspect` (and so `console.log`) looks up for a custom view of an object. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';

/**
 * What CreateStreamSessionAdminShell returned. `tokenValue` is secret: it is readable, but not enumerable
 * (a getter on the prototype), so `console.log`, `util.inspect`, `JSON.stringify` and object spread never
 * show or copy it; they see `tokenValue: '[redacted]'` or nothing.
 */
export interface AdminShellAccess {
  /** The Session Manager session ID of the terminal session. */
  readonly sessionId: string;
  /** The WebSocket URL to connect the data channel to. */
  readonly streamUrl: string;
  /** The token of the data channel's OpenDataChannel message. Secret: never log it. */
  readonly tokenValue: string;
  /** `Date.now()` when the answer arrived; the URL is valid for a limited time from then. */
  readonly receivedAt: number;
}

class RedactedAdminShellAccess implements AdminShellAccess {
  readonly sessionId: string;
  readonly streamUrl: string;
  readonly receivedAt: number;
  readonly #tokenValue: string;

  constructor(fields: AdminShellAccess) {
    this.sessionId = fields.sessionId;
    this.streamUrl = fields.streamUrl;
    this.receivedAt = fields.receivedAt;
    this.#tokenValue = fields.tokenValue;
    Object.freeze(this);
  }

  get tokenValue(): string {
    return this.#tokenValue;
  }

  /** The JSON form, with the token redacted. */
  toJSON(): Record<keyof AdminShellAccess, string | number> {
    return {
      sessionId: this.sessionId,
      streamUrl: this.streamUrl,
      tokenValue: REDACTED,
      receivedAt: this.receivedAt,
    };
  }

  [INSPECT](
    _depth: number,
    options: InspectOptions,
    inspect: (value: unknown, options: InspectOptions) => string,
  ): string {
    return `AdminShellAccess ${inspect(this.toJSON(), options)}`;
  }
}

/** Wraps an answer of CreateStreamSessionAdminShell so that its token never shows in logs or JSON. */
export function createAdminShellAccess(fields: AdminShellAccess): AdminShellAccess {
  return new RedactedAdminShellAccess(fields);
}
