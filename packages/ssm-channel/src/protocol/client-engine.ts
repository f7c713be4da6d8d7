/**
 * The client side of the SSM data channel as a sans-IO state machine: no sockets, no timers. The I/O layer
 * feeds it frames and transport events, writes the frames it emits, and calls {@link ClientEngine.onTimer}
 * at {@link ClientEngine.nextDeadline}.
 *
 * Wiring, in order:
 * 1. on every WebSocket open: `ws.send(engine.openFrame(token))` (text frame), then `engine.transportUp()`
 *    (which resends every unacknowledged message at once);
 * 2. every binary or text message: `engine.receive(bytes)`; on socket loss: `engine.transportDown()`;
 * 3. after each call, (re)arm one timer at `engine.nextDeadline()` (absolute, in the `now()` clock) and call
 *    `engine.onTimer()` when it fires, once the socket reads already waiting are handled (under Node, in a
 *    `setImmediate`: expired timers run before sockets are read; in a browser, in a task queued behind the
 *    WebSocket messages already queued): acks that came while the process was busy must count before
 *    anything is resent;
 * 4. `write(bytes)` returns false when the window is full: complete the Duplex write on `onWritable`;
 * 5. flow control, both ways: release output with `consumed(n)` as the reader takes it; have `sendFrame`
 *    answer false while the socket's send queue is above its high-water mark and call `drained()` once it
 *    has drained; and read the socket only while `receiving` is true (check it after every call).
 */
import { type AgentFrame, decodeAgentFrame } from '../codec/agent-frame.js';
import { MessageType, PayloadType } from '../codec/constants.js';
import { decodeAcknowledge } from '../codec/payloads/acknowledge.js';
import { decodeChannelClosed } from '../codec/payloads/channel-closed.js';
import { decodeExitCode } from '../codec/payloads/exit-code.js';
import { decodeFlag } from '../codec/payloads/flag.js';
import { decodeHandshakeComplete } from '../codec/payloads/handshake-complete.js';
import { decodeHandshakeRequest, type HandshakeRequest } from '../codec/payloads/handshake-request.js';
import { encodeHandshakeResponse } from '../codec/payloads/handshake-response.js';
import { encodeOpenDataChannel } from '../codec/payloads/open-data-channel.js';
import { encodeTerminalSize } from '../codec/payloads/terminal-size.js';
import { SsmChannelError, SsmProtocolError } from '../errors.js';
import { assertNever } from './assert-never.js';
import type { ClientEngine } from './client-engine-api.js';
import {
  answerHandshakeRequest,
  type HandshakeAnswer,
  type HandshakeCompleteInfo,
  handshakeRefusal,
  MAX_HANDSHAKE_ACTIONS,
  sessionStartInfo,
} from './client-handshake.js';
import {
  type ClientEngineOptions,
  checkTerminalSize,
  type EngineCloseInfo,
  type ResolvedClientOptions,
  resolveClientOptions,
} from './client-options.js';
import {
  type ClientCounters,
  type ClientEnginePhase,
  type ClientEngineStats,
  newClientCounters,
} from './client-stats.js';
import { StreamLink } from './stream-link.js';

export type { ClientEngine } from './client-engine-api.js';

/**
 * Creates a client engine.
 * @throws {SsmChannelError} `INVALID_ARGUMENT` for missing callbacks or bad bounds.
 */
export function createClientEngine(options: ClientEngineOptions): ClientEngine {
  return new ClientEngineImpl(options);
}

class ClientEngineImpl implements ClientEngine {
  readonly clientId: string;
  #phase: ClientEnginePhase = 'starting';
  readonly #o: ResolvedClientOptions;
  readonly #cb: ClientEngineOptions;
  readonly #counters: ClientCounters = newClientCounters();
  readonly #link: StreamLink;
  #startDeadline: number | undefined;
  #handshake: HandshakeAnswer | undefined;
  #desiredSize: { cols: number; rows: number } | undefined;
  #sentSize: { cols: number; rows: number } | undefined;
  #unconsumed = 0;
  #exitCode: number | undefined;
  /** Set while channel_closed hands over kept output regardless of the receive budget. */
  #flushing = false;

  constructor(options: ClientEngineOptions) {
    const o = resolveClientOptions(options);
    this.#o = o;
    this.#cb = options;
    this.clientId = o.clientId;
    this.#desiredSize = o.terminalSize;
    this.#link = new StreamLink(
      {
        messageType: MessageType.InputStreamData,
        synOnFirst: false,
        maxMessages: o.maxUnackedMessages,
        maxBytes: o.maxUnackedBytes,
        maxRetransmitBurst: o.maxRetransmitBurst,
        minRetransmitIntervalMs: 0,
        giveUpAfterMs: o.giveUpAfterMs,
        maxRtoMs: o.maxRtoMs,
      },
      { maxMessages: o.maxReorderMessages, maxBytes: o.maxReorderBytes },
      o.io,
      this.#counters,
      {
        consume: (payloadType, payload) => this.#consume(payloadType, payload),
        pump: () => this.#pump(),
        // As the official client: a handshake message is acknowledged before its answer goes out (§9.2).
        acksFirst: isHandshakePayload,
      },
      options,
    );
  }

  get phase(): ClientEnginePhase {
    return this.#phase;
  }

  get writable(): boolean {
    return this.#phase === 'open' && this.#link.hasRoom;
  }

  get receiving(): boolean {
    return !this.#ended() && !this.#link.sender.blocked && this.#unconsumed < this.#o.receiveBudgetBytes;
  }

  openFrame(tokenValue: string): string {
    this.#refuseIfEnded();
    if (typeof tokenValue !== 'string' || tokenValue === '') {
      throw new SsmChannelError('INVALID_ARGUMENT', 'tokenValue must be a non-empty string');
    }
    return encodeOpenDataChannel({
      requestId: this.#o.io.randomId(),
      tokenValue,
      clientId: this.clientId,
      clientVersion: this.#o.clientVersion,
    });
  }

  transportUp(): void {
    if (this.#ended()) return;
    if (this.#startDeadline === undefined && Number.isFinite(this.#o.startTimeoutMs)) {
      this.#startDeadline = this.#o.io.now() + this.#o.startTimeoutMs;
    }
    this.#link.linkUp();
    this.#pump();
  }

  transportDown(): void {
    this.#link.linkDown();
  }

  receive(frame: Uint8Array): void {
    const c = this.#counters;
    if (this.#ended()) {
      c.ignored += 1;
      return;
    }
    let message: AgentFrame;
    try {
      message = decodeAgentFrame(frame);
    } catch {
      c.droppedFrames += 1;
      return;
    }
    c.framesIn += 1;
    switch (message.messageType) {
      case MessageType.OutputStreamData:
        this.#link.receiveStream(message);
        return;
      case MessageType.Acknowledge:
        this.#onAck(message.payload);
        return;
      case MessageType.ChannelClosed:
        this.#onChannelClosed(message.payload);
        return;
      case MessageType.PausePublication:
        this.#link.setPublicationPaused(true);
        return;
      case MessageType.StartPublication:
        this.#link.setPublicationPaused(false);
        return;
      default:
        // input_stream_data echoes, agent_session_state, control-channel types, anything new.
        c.ignored += 1;
    }
  }

  write(bytes: Uint8Array): boolean {
    this.#refuseIfEnded();
    if (!(bytes instanceof Uint8Array))
      throw new SsmChannelError('INVALID_ARGUMENT', 'write() takes a Uint8Array');
    if (this.#link.pending.bytes > this.#o.maxPendingInputBytes) {
      throw new SsmChannelError(
        'BUFFER_LIMIT_EXCEEDED',
        `more than ${this.#o.maxPendingInputBytes} written bytes are waiting for window room`,
      );
    }
    this.#link.queue(bytes, PayloadType.Output, false);
    return this.#link.noteWritable(this.writable);
  }

  resize(cols: number, rows: number): void {
    checkTerminalSize(cols, rows);
    if (this.#ended()) return;
    this.#desiredSize = { cols, rows };
    this.#pump();
  }

  consumed(bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new SsmChannelError('INVALID_ARGUMENT', 'consumed() takes a non-negative integer');
    }
    this.#unconsumed = Math.max(0, this.#unconsumed - bytes);
    if (this.#ended()) return;
    this.#link.receiver.drain();
    this.#holdReadsAtBudget();
  }

  drained(): void {
    if (!this.#ended()) this.#link.sender.drained();
  }

  nextDeadline(): number | undefined {
    switch (this.#phase) {
      case 'closed':
      case 'failed':
        return undefined;
      case 'starting':
      case 'handshaking':
        return this.#link.nextDeadline(this.#startDeadline);
      case 'open':
        return this.#link.nextDeadline(undefined);
      default:
        return assertNever(this.#phase);
    }
  }

  onTimer(): void {
    switch (this.#phase) {
      case 'closed':
      case 'failed':
        return;
      case 'starting':
      case 'handshaking':
        if (this.#startDeadline !== undefined && this.#o.io.now() >= this.#startDeadline) {
          this.#fail(
            new SsmChannelError(
              'HANDSHAKE_TIMEOUT',
              `the session did not start within ${this.#o.startTimeoutMs} ms (no HandshakeComplete or first output)`,
            ),
          );
          return;
        }
        break;
      case 'open':
        break;
      default:
        assertNever(this.#phase);
    }
    const timer = this.#link.sender.onTimer();
    if (timer === 'give-up' || timer === 'paused-too-long') {
      const why =
        timer === 'give-up'
          ? `no acknowledgement from the agent for ${this.#o.giveUpAfterMs} ms`
          : `the service paused publication for more than ${this.#o.giveUpAfterMs} ms`;
      this.#fail(new SsmProtocolError('RETRANSMIT_GIVE_UP', `${why}; giving up`));
    }
  }

  close(): void {
    if (this.#ended()) return;
    this.#end('closed');
    this.#cb.onClose(this.#closeInfo('local'));
  }

  stats(): ClientEngineStats {
    const link = this.#link;
    return {
      phase: this.#phase,
      rttVarMs: link.sender.rtt.state.rttVarMs,
      ...link.stats(),
      ...this.#counters,
      pendingInputBytes: link.pending.bytes,
      unconsumedBytes: this.#unconsumed,
    };
  }

  // ---- receive side ----

  /** Takes the next in-order output payload (called by the receiver, also for drained ones). */
  #consume(payloadType: number, payload: Uint8Array): boolean {
    if (this.#ended()) return false;
    const c = this.#counters;
    switch (payloadType) {
      case PayloadType.Output:
      case PayloadType.StdErr: {
        if (!this.#flushing && this.#unconsumed >= this.#o.receiveBudgetBytes) return false;
        this.#startIfFirst();
        c.messagesIn += 1;
        c.bytesIn += payload.length;
        this.#unconsumed += payload.length;
        this.#holdReadsAtBudget();
        if (payloadType === PayloadType.StdErr && this.#cb.onStderr !== undefined) this.#cb.onStderr(payload);
        else this.#cb.onOutput(payload);
        return true;
      }
      case PayloadType.HandshakeRequest:
        c.messagesIn += 1;
        this.#onHandshakeRequest(payload);
        return true;
      case PayloadType.HandshakeComplete:
        c.messagesIn += 1;
        this.#onHandshakeComplete(payload);
        return true;
      case PayloadType.ExitCode:
        this.#startIfFirst();
        c.messagesIn += 1;
        try {
          this.#exitCode = decodeExitCode(payload);
        } catch {
          c.badPayloads += 1;
        }
        return true;
      case PayloadType.Flag: {
        this.#startIfFirst();
        c.messagesIn += 1;
        let flag: number;
        try {
          flag = decodeFlag(payload);
        } catch {
          c.badPayloads += 1;
          return true;
        }
        this.#cb.onFlag?.(flag);
        return true;
      }
      default:
        // EncChallengeRequest (KMS is refused, so it cannot be answered) and types not meant for a client.
        if (payloadType !== PayloadType.EncChallengeRequest) this.#startIfFirst();
        c.messagesIn += 1;
        c.ignored += 1;
        return true;
    }
  }

  #onAck(payload: Uint8Array): void {
    let seq: number;
    let id: string;
    try {
      const ack = decodeAcknowledge(payload);
      seq = ack.acknowledgedMessageSequenceNumber;
      id = ack.acknowledgedMessageId;
    } catch {
      this.#counters.badPayloads += 1;
      return;
    }
    this.#link.onAck(seq, id);
  }

  #onChannelClosed(payload: Uint8Array): void {
    // Output kept (and acked) while the reader was behind is handed over before the end: the agent
    // considers it delivered. Bounded by maxReorderBytes.
    this.#flushing = true;
    this.#link.receiver.drain();
    this.#flushing = false;
    if (this.#ended()) return;
    let output = '';
    let sessionId = '';
    try {
      const closed = decodeChannelClosed(payload);
      output = closed.output;
      sessionId = closed.sessionId;
    } catch {
      // The plugin ends the session even when the JSON does not parse.
      this.#counters.badPayloads += 1;
    }
    this.#end('closed');
    const info = this.#closeInfo('channel_closed');
    if (output !== '') info.output = output;
    if (sessionId !== '') info.sessionId = sessionId;
    this.#cb.onClose(info);
  }

  /**
   * While the reader holds the whole budget the socket is not read (see `receiving`), so no ack can come:
   * the sender's retransmissions and give-up clock wait for it.
   */
  #holdReadsAtBudget(): void {
    this.#link.sender.setReadHeld(this.#unconsumed >= this.#o.receiveBudgetBytes);
  }

  // ---- handshake and start ----

  #onHandshakeRequest(payload: Uint8Array): void {
    if (this.#phase !== 'starting') {
      this.#counters.ignored += 1;
      return;
    }
    let request: HandshakeRequest;
    try {
      request = decodeHandshakeRequest(payload);
    } catch (error) {
      this.#fail(
        new SsmProtocolError('HANDSHAKE_FAILED', 'the HandshakeRequest does not decode', { cause: error }),
      );
      return;
    }
    const asked = request.requestedClientActions.length;
    if (asked > MAX_HANDSHAKE_ACTIONS) {
      this.#fail(
        new SsmProtocolError(
          'HANDSHAKE_FAILED',
          `the HandshakeRequest asks for ${asked} actions; at most ${MAX_HANDSHAKE_ACTIONS} are answered`,
        ),
      );
      return;
    }
    const answer = answerHandshakeRequest(request, this.#o.clientVersion);
    this.#handshake = answer;
    this.#phase = 'handshaking';
    // The answer goes out first, so the agent learns why, then a refusal ends this side.
    this.#link.sender.enqueue(PayloadType.HandshakeResponse, encodeHandshakeResponse(answer.response));
    const refusal = handshakeRefusal(answer);
    if (refusal !== undefined) this.#fail(refusal);
  }

  #onHandshakeComplete(payload: Uint8Array): void {
    if (this.#phase !== 'handshaking') {
      this.#counters.ignored += 1;
      return;
    }
    let customerMessage = '';
    let timeNs: number | undefined;
    try {
      const complete = decodeHandshakeComplete(payload);
      customerMessage = complete.customerMessage;
      timeNs = complete.handshakeTimeToComplete;
    } catch {
      this.#counters.badPayloads += 1;
    }
    this.#start({ customerMessage, timeNs });
  }

  /**
   * A handshake always begins with the agent's first stream message (§12.6), so any other first message
   * means there is none: the session starts now (the plugin waits for Output; any type is equivalent).
   */
  #startIfFirst(): void {
    if (this.#phase === 'starting') this.#start(undefined);
  }

  #start(complete: HandshakeCompleteInfo | undefined): void {
    this.#phase = 'open';
    this.#startDeadline = undefined;
    this.#cb.onStart?.(sessionStartInfo(this.#handshake, complete));
    this.#pump();
  }

  // ---- send side ----

  /** Moves the terminal size and pending input into the window while it has room (open phase only). */
  #pump(): void {
    if (this.#phase !== 'open') return;
    const link = this.#link;
    const size = this.#desiredSize;
    if (size !== undefined && link.sender.window.hasRoom()) {
      const sent = this.#sentSize;
      if (sent === undefined || sent.cols !== size.cols || sent.rows !== size.rows) {
        this.#sentSize = size;
        link.sender.enqueue(PayloadType.Size, encodeTerminalSize(size));
      }
    }
    link.pumpPending(this.#o.maxPayloadBytes);
  }

  // ---- lifecycle ----

  #ended(): boolean {
    return this.#phase === 'closed' || this.#phase === 'failed';
  }

  #refuseIfEnded(): void {
    if (this.#ended())
      throw new SsmChannelError(
        'CHANNEL_CLOSED',
        `the channel has ${this.#phase === 'failed' ? 'failed' : 'closed'}`,
      );
  }

  #closeInfo(reason: EngineCloseInfo['reason']): EngineCloseInfo {
    const info: EngineCloseInfo = { reason };
    if (this.#exitCode !== undefined) info.exitCode = this.#exitCode;
    return info;
  }

  #end(phase: 'closed' | 'failed'): void {
    this.#phase = phase;
    this.#startDeadline = undefined;
    this.#link.clear();
  }

  #fail(error: SsmChannelError): void {
    if (this.#ended()) return;
    this.#end('failed');
    this.#cb.onError(error);
  }
}

/** HandshakeRequest (5), HandshakeComplete (7) and EncChallengeRequest (8): acknowledged before handling. */
function isHandshakePayload(payloadType: number): boolean {
  return (
    payloadType === PayloadType.HandshakeRequest ||
    payloadType === PayloadType.HandshakeComplete ||
    payloadType === PayloadType.EncChallengeRequest
  );
}
