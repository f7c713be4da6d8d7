import type { TerminalSize } from '../../codec/payloads/terminal-size.js';

/** What a backend may do to its session. */
export interface BackendHost {
  /** Queues output bytes. False: the window is full; stop until {@link SessionBackend.writable}. */
  output(bytes: Uint8Array): boolean;
  /** Refuses (true) or accepts again (false) client input; refused input is not acked and gets resent. */
  pauseInput(paused: boolean): void;
  /** The backend has nothing more to say: the shell exited or the source is exhausted. */
  finish(result: { exitCode?: number }): void;
}

/** The program behind the emulated agent (one of the emulator modes). */
export interface SessionBackend {
  /** The session is ready (handshake done or skipped): start producing output. */
  start(): void;
  /** Input bytes from the client, in order. */
  input(bytes: Uint8Array): void;
  /** A terminal size from the client. */
  resize(size: TerminalSize): void;
  /** The output window has room again after `output()` returned false. */
  writable(): void;
  /** Stops everything the backend runs; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}
