/**
 * The agent engine's interface, for the agent emulator and the simulations.
 */
import type { AgentEnginePhase, AgentEngineStats } from './agent-options.js';
import type { ChannelClosedInit } from './service-frames.js';

/** The agent engine. Create it with `createAgentEngine`. */
export interface AgentEngine {
  /** The current lifecycle phase. */
  readonly phase: AgentEnginePhase;
  /** True when a send now would go into the window at once. */
  readonly writable: boolean;
  /** The link to the client is up: the first call starts the session; later ones resend everything unacked. */
  transportUp(): void;
  /** The link is gone: keep state, send nothing. */
  transportDown(): void;
  /** Handles one frame from the client. Never throws; bad frames are counted and dropped. */
  receive(frame: Uint8Array): void;
  /**
   * Queues terminal output (PayloadType 1), cut into payloads of at most `maxPayloadBytes`; held until the
   * session is ready. Returns false when the window is full (wait for `onWritable`).
   * @throws {SsmChannelError} `CHANNEL_CLOSED` after the end; `BUFFER_LIMIT_EXCEEDED` when more than
   * `maxPendingOutputBytes` already wait.
   */
  sendOutput(bytes: Uint8Array): boolean;
  /** Like {@link sendOutput} for StdErr (PayloadType 11). @throws {SsmChannelError} as sendOutput */
  sendStderr(bytes: Uint8Array): boolean;
  /** Queues an ExitCode payload `EXIT_CODE: <code>` (PayloadType 12). @throws {SsmChannelError} as sendOutput */
  sendExitCode(code: number): boolean;
  /** Queues a Flag payload (PayloadType 10). @throws {SsmChannelError} as sendOutput */
  sendFlag(flag: number): boolean;
  /** Refuse input (true) like a pty that is not ready: no ack, the client retransmits. */
  setInputPaused(paused: boolean): void;
  /** Act as if the service sent pause_publication (true) or start_publication (false) to the agent. */
  setPublicationPaused(paused: boolean): void;
  /** Sends channel_closed to the client (the service's part when a session ends) and ends the engine. */
  closeChannel(init?: ChannelClosedInit): void;
  /** Ends the engine without sending anything. */
  close(): void;
  /** When `onTimer()` next has work (absolute, in the `now()` clock), or undefined. */
  nextDeadline(): number | undefined;
  /** Runs due work: retransmission, handshake timeout, give-up. */
  onTimer(): void;
  /** Counters and gauges. */
  stats(): AgentEngineStats;
}
