/**
 * The client engine's interface: what the channel layer (`connectDataChannel`) drives.
 */
import type { ClientEnginePhase, ClientEngineStats } from './client-stats.js';

/**
 * The client engine. Create it with `createClientEngine`.
 *
 * Behaviour worth knowing when wiring it:
 * - Nothing but acks (and the HandshakeResponse) is sent before the session starts: at HandshakeComplete, or
 *   at the first non-handshake output when the agent asked for no handshake (a handshake is always the
 *   agent's first stream message). Input written earlier waits; the terminal size (option or `resize()`) is
 *   sent first at the start, then only when it changes.
 * - `pause_publication` holds new and retransmitted input until `start_publication`, an ack, any output
 *   from the agent, or a reconnect (each shows the remote side is active again, as the agent assumes).
 * - KMSEncryption is answered Failed and the engine fails with `KMS_ENCRYPTION_UNSUPPORTED` once the
 *   HandshakeResponse has been handed to `sendFrame` (close the socket gracefully so it leaves).
 * - Flow control has one rule, both ways: the engine wants frames (`receiving`) only while the reader has
 *   released (`consumed()`) all but `receiveBudgetBytes` of the output delivered to it, and while the uplink
 *   takes frames (`sendFrame` did not answer false since the last `drained()`). Output that still arrives
 *   past the budget is kept and acked up to `maxReorderBytes`, then left unacked for the agent to resend
 *   later. On channel_closed whatever was kept is delivered before `onClose`.
 */
export interface ClientEngine {
  /** The ClientId sent in every OpenDataChannel frame of this channel. */
  readonly clientId: string;
  /** The current lifecycle phase. */
  readonly phase: ClientEnginePhase;
  /** True when a `write()` now would be taken into the window at once. */
  readonly writable: boolean;
  /**
   * True while the engine wants the peer's frames: read the socket only then. False once the reader holds
   * `receiveBudgetBytes` of unreleased output, or `sendFrame` answered false and `drained()` has not come,
   * or the engine ended. Frames that arrive anyway (already read) are handled as usual.
   */
  readonly receiving: boolean;
  /**
   * Builds the OpenDataChannel text frame for a new connection: a fresh RequestId, the channel's ClientId,
   * the ClientVersion and `tokenValue` (not stored anywhere by the engine).
   * @throws {SsmChannelError} `INVALID_ARGUMENT` for an empty token; `CHANNEL_CLOSED` after the end.
   */
  openFrame(tokenValue: string): string;
  /** The WebSocket is open and OpenDataChannel was sent: resend everything unacknowledged, start timers. */
  transportUp(): void;
  /** The WebSocket is gone: keep all state, send nothing until {@link transportUp}. */
  transportDown(): void;
  /** Handles one received frame. Never throws for any input; bad frames are counted and dropped. */
  receive(frame: Uint8Array): void;
  /**
   * Queues input bytes (kept by reference, cut into payloads of at most 1024 bytes). Returns true when the
   * window still has room; false means wait for `onWritable` before writing more.
   * @throws {SsmChannelError} `CHANNEL_CLOSED` after the end; `BUFFER_LIMIT_EXCEEDED` when more than
   * `maxPendingInputBytes` were already waiting; `INVALID_ARGUMENT` for a non-Uint8Array.
   */
  write(bytes: Uint8Array): boolean;
  /**
   * Sets the terminal size; a Size message is sent when the session is open and the size differs from the
   * last one sent. No-op after the end.
   * @throws {SsmChannelError} `INVALID_ARGUMENT` unless both are integers in 1..65535.
   */
  resize(cols: number, rows: number): void;
  /**
   * Releases `bytes` of the receive budget (output the application has taken).
   * @throws {SsmChannelError} `INVALID_ARGUMENT` for a negative or non-integer count.
   */
  consumed(bytes: number): void;
  /**
   * The socket's send queue, above its high-water mark since `sendFrame` answered false, has drained:
   * what waited is written, and `receiving` may turn true again.
   */
  drained(): void;
  /** When `onTimer()` next has work (absolute time in the `now()` clock), or undefined for none. */
  nextDeadline(): number | undefined;
  /** Runs due work: retransmissions, the start timeout, the give-up check. */
  onTimer(): void;
  /** Ends the engine locally (reason `local`); calls `onClose` unless already ended. */
  close(): void;
  /** Counters and gauges. */
  stats(): ClientEngineStats;
}
