/**
 * The reconnection loop of a data channel: fresh credentials from the caller's `reconnect.credentials`, a new
 * connection, bounded attempts with backoff and a rate limit.
 */
import type { ChannelLogger, StreamCredentials } from '../channel-types.js';
import { SsmChannelError } from '../errors.js';
import { checkCredentials } from './options.js';
import { AttemptBudget, type ReconnectPolicy, reconnectDelay, sleep } from './reconnect-policy.js';

/**
 * A connection that stayed up this long counts as healthy even without progress: the attempts of the
 * next loss start from 1.
 */
export const STABLE_CONNECTION_MS = 10_000;

/** What the loop drives. */
export interface ReconnectorHooks {
  /** Opens a connection with these credentials; rejects when it cannot. */
  connect(credentials: StreamCredentials): Promise<void>;
  /** Ends the channel: reconnection is over. */
  fail(error: SsmChannelError): void;
  /** Monotonic clock in ms. */
  now(): number;
  /** A count that grows whenever the session makes progress (messages received, input acknowledged). */
  progress(): number;
  /** Aborted when the channel ends: stops the loop. */
  signal: AbortSignal;
  logger?: ChannelLogger | undefined;
}

/**
 * Reconnects after each connection loss. Attempts are counted across losses until a connection has been
 * useful: the session made progress on it (a message received in order, input acknowledged) or it stayed up
 * for {@link STABLE_CONNECTION_MS}. So a service that accepts and drops at once (a refused token, a broken
 * relay, garbage) cannot make the loop run forever, while a link cut often but working goes on. Whatever
 * the progress, attempts are rate-limited over the channel's life (`RECONNECT_RATE`). A rejection of
 * `credentials` is final (the callback owns its own retries, and may know that the session is gone), and so
 * is a call that does not settle within `credentialsTimeoutMs`, or credentials that fail the URL policy.
 */
export class Reconnector {
  readonly #policy: ReconnectPolicy;
  readonly #hooks: ReconnectorHooks;
  #attempts = 0;
  #connectedAt = Number.NEGATIVE_INFINITY;
  #progressAtConnect = 0;
  #reconnects = 0;
  readonly #budget = new AttemptBudget();

  constructor(policy: ReconnectPolicy, hooks: ReconnectorHooks) {
    this.#policy = policy;
    this.#hooks = hooks;
  }

  /** Successful reconnections so far. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** Records that a connection (the first one or a later one) is up. */
  connected(): void {
    this.#connectedAt = this.#hooks.now();
    this.#progressAtConnect = this.#hooks.progress();
  }

  /** Runs the loop after `lost` ended the current connection. */
  async run(lost: SsmChannelError): Promise<void> {
    const { signal, logger } = this.#hooks;
    const useful =
      this.#hooks.progress() > this.#progressAtConnect ||
      this.#hooks.now() - this.#connectedAt >= STABLE_CONNECTION_MS;
    if (useful) this.#attempts = 0;
    let last: unknown = lost;
    while (this.#attempts < this.#policy.maxAttempts) {
      this.#attempts += 1;
      const attempt = this.#attempts;
      let credentials: StreamCredentials;
      try {
        const backoff = reconnectDelay(this.#policy, attempt, Math.random);
        const rateLimited = this.#budget.take(this.#hooks.now() + backoff);
        if (rateLimited > 0) logger?.info?.('reconnection rate-limited', { waitMs: Math.round(rateLimited) });
        await sleep(backoff + rateLimited, signal);
        credentials = await this.#askForCredentials(attempt);
        checkCredentials(credentials);
      } catch (error) {
        if (!signal.aborted) this.#hooks.fail(reconnectFailed(lost, error));
        return;
      }
      try {
        await this.#hooks.connect(credentials);
        this.#reconnects += 1;
        logger?.info?.('data channel reconnected', { attempt });
        return;
      } catch (error) {
        if (signal.aborted) return;
        last = error;
        logger?.warn?.('reconnection attempt failed', {
          attempt,
          code: error instanceof SsmChannelError ? error.code : 'UNKNOWN',
        });
      }
    }
    this.#hooks.fail(reconnectFailed(lost, last));
  }

  /**
   * Calls the caller's `credentials` with a signal that aborts when the channel ends or after
   * `credentialsTimeoutMs`; a callback still pending then counts as a rejection.
   */
  async #askForCredentials(attempt: number): Promise<StreamCredentials> {
    const { signal } = this.#hooks;
    const timeoutMs = this.#policy.credentialsTimeoutMs;
    const call = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop = (): void => undefined;
    // Settles when the channel ends or the time is up, whether or not the callback honours its signal.
    const cutShort = new Promise<never>((_resolve, reject) => {
      const end = (error: unknown): void => {
        call.abort(error);
        reject(error);
      };
      stop = () => end(new SsmChannelError('ABORTED', 'the channel closed while reconnecting'));
      timer = setTimeout(() => {
        end(
          new SsmChannelError(
            'RECONNECT_FAILED',
            `reconnect.credentials did not answer within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    try {
      return await Promise.race([this.#policy.credentials({ attempt, signal: call.signal }), cutShort]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }
}

function reconnectFailed(lost: SsmChannelError, cause: unknown): SsmChannelError {
  return new SsmChannelError('RECONNECT_FAILED', `could not reconnect the data channel after ${lost.code}`, {
    cause,
  });
}
