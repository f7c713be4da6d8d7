/**
 * The injected clock, id source and frame output that make the engines pure and deterministic.
 */
import { randomUUID } from '#platform';

/** Injected clock, ids and output shared by the engines. */
export interface EngineIo {
  /** Monotonic time in ms, for timers. */
  now(): number;
  /** Wall-clock time in ms since the epoch, for CreatedDate (an integer ≥ 1). */
  wallClock(): number;
  /** A fresh random UUID v4 (lower-case canonical form). */
  randomId(): string;
  /**
   * Writes one binary frame to the peer; false means its queue is above the high-water mark (see the
   * engines' `drained()`). Must not call back into the engine synchronously.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a frame writer may return nothing (room left) or false
  sendFrame(frame: Uint8Array): boolean | void;
  /**
   * True when `randomId` is the default (not injected). A frame whose MessageId nobody refers back to (an
   * ack) then lets the encoder draw a random id from its pool instead of formatting a UUID string and
   * parsing it back; with an injected `randomId` every id comes from it, so runs stay reproducible.
   */
  readonly defaultIds?: boolean;
}

/** The engine's time and ids, as options; what is left out takes the default. */
export interface EngineIoOptions {
  /** Monotonic time in ms. @default performance.now */
  now?: () => number;
  /** Wall-clock ms since the epoch, for CreatedDate. @default Date.now */
  wallClock?: () => number;
  /** A fresh random UUID v4. @default a random UUID v4 from the platform's random source */
  randomId?: () => string;
  /** Writes one binary frame to the peer; false means its queue is full until `drained()`. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a frame writer may return nothing (room left) or false
  sendFrame(frame: Uint8Array): boolean | void;
}

/** Applies the defaults of {@link EngineIoOptions}. */
export function resolveEngineIo(options: EngineIoOptions): EngineIo {
  // Called as methods of `options`, so callbacks written as object methods keep their `this`.
  const o = options;
  return {
    now: o.now === undefined ? () => performance.now() : () => o.now!(),
    // CreatedDate is an integer number of ms, never 0.
    wallClock: () => Math.max(1, Math.floor(o.wallClock === undefined ? Date.now() : o.wallClock())),
    randomId: o.randomId === undefined ? randomUUID : () => o.randomId!(),
    sendFrame: (frame) => o.sendFrame(frame),
    defaultIds: o.randomId === undefined,
  };
}
