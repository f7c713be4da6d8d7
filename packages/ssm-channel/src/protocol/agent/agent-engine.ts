/**
 * The agent side of the SSM data channel as a sans-IO state machine, for emulators and simulations. It
 * behaves like amazon-ssm-agent where the client can tell (protocol reference §9–§12): optional
 * HandshakeRequest (SessionType, optionally KMSEncryption) and HandshakeComplete, `output_stream_data` with
 * Flags 1 on sequence number 0, acks and re-acks of `input_stream_data`, a reorder buffer, head-first RTO
 * retransmission (by default one per 100 ms tick, like the agent), pause handling, and non-handshake input
 * acked and discarded while the handshake runs. Unlike the real agent its outgoing window is bounded:
 * `sendOutput()` returns false when full and `onWritable` says when to go on (pause the pty meanwhile).
 *
 * Wiring: `transportUp()` once the client's OpenDataChannel arrived (the first call starts the session),
 * `receive(frame)` for each client frame, `transportDown()` on socket loss, and a timer at `nextDeadline()`
 * calling `onTimer()`. Service-side frames (channel_closed, publication control) come from
 * `service-frames.ts`, or `closeChannel()`.
 */
import { type AgentFrame, decodeAgentFrame } from '../../codec/agent-frame.js';
import { MessageType, PayloadType } from '../../codec/constants.js';
import { decodeAcknowledge } from '../../codec/payloads/acknowledge.js';
import { encodeExitCode } from '../../codec/payloads/exit-code.js';
import { decodeFlag, encodeFlag } from '../../codec/payloads/flag.js';
import { encodeHandshakeComplete } from '../../codec/payloads/handshake-complete.js';
import { encodeHandshakeRequest } from '../../codec/payloads/handshake-request.js';
import { decodeHandshakeResponse, type HandshakeResponse } from '../../codec/payloads/handshake-response.js';
import { decodeTerminalSize } from '../../codec/payloads/terminal-size.js';
import { SsmChannelError, SsmProtocolError } from '../../errors.js';
import { assertNever } from '../assert-never.js';
import { checkBound } from '../bounds.js';
import { type EngineIo, resolveEngineIo } from '../engine-io.js';
import { StreamLink, type StreamLinkStats } from '../stream-link.js';
import type { AgentEngine } from './agent-api.js';
import { buildHandshakeRequest, judgeHandshakeResponse } from './agent-handshake.js';
import {
  AgentEngineDefaults,
  type AgentEngineOptions,
  type AgentEnginePhase,
  type AgentEngineStats,
  type AgentHandshakeOptions,
} from './agent-options.js';
import { type ChannelClosedInit, encodeChannelClosedFrame } from './service-frames.js';

export type { AgentEngine } from './agent-api.js';

/**
 * Creates an agent engine.
 * @throws {SsmChannelError} `INVALID_ARGUMENT` for bad bounds.
 */
export function createAgentEngine(options: AgentEngineOptions): AgentEngine {
  return new AgentEngineImpl(options);
}

class AgentEngineImpl implements AgentEngine {
  #phase: AgentEnginePhase = 'idle';
  readonly #cb: AgentEngineOptions;
  readonly #io: EngineIo;
  readonly #handshake: AgentHandshakeOptions | undefined;
  readonly #handshakeTimeoutMs: number;
  readonly #maxPendingBytes: number;
  readonly #maxPayload: number;
  readonly #link: StreamLink;
  #inputPaused = false;
  #linkAtEnd: StreamLinkStats | undefined;
  #handshakeStartedAt = 0;
  #handshakeDeadline: number | undefined;
  readonly #c = {
    bytesIn: 0,
    messagesIn: 0,
    acksOut: 0,
    duplicates: 0,
    outOfOrder: 0,
    refused: 0,
    droppedFrames: 0,
    droppedMessages: 0,
    discardedDuringHandshake: 0,
    ignored: 0,
  };

  constructor(options: AgentEngineOptions) {
    const d = AgentEngineDefaults;
    this.#cb = options;
    this.#io = resolveEngineIo(options);
    this.#handshake = options.handshake;
    this.#handshakeTimeoutMs = checkBound(
      'handshake.timeoutMs',
      options.handshake?.timeoutMs,
      d.handshakeTimeoutMs,
    );
    this.#maxPendingBytes = checkBound(
      'maxPendingOutputBytes',
      options.maxPendingOutputBytes,
      d.maxPendingOutputBytes,
    );
    this.#maxPayload = checkBound('maxPayloadBytes', options.maxPayloadBytes, d.maxPayloadBytes);
    this.#link = new StreamLink(
      {
        messageType: MessageType.OutputStreamData,
        synOnFirst: true,
        maxMessages: checkBound('maxUnackedMessages', options.maxUnackedMessages, d.maxUnackedMessages),
        maxBytes: checkBound('maxUnackedBytes', options.maxUnackedBytes, d.maxUnackedBytes),
        maxRetransmitBurst: checkBound(
          'maxRetransmitBurst',
          options.maxRetransmitBurst,
          d.maxRetransmitBurst,
        ),
        minRetransmitIntervalMs: checkBound(
          'minRetransmitIntervalMs',
          options.minRetransmitIntervalMs,
          d.minRetransmitIntervalMs,
          { allowZero: true },
        ),
        giveUpAfterMs: checkBound('giveUpAfterMs', options.giveUpAfterMs, d.giveUpAfterMs, {
          allowInfinity: true,
        }),
        maxRtoMs: checkBound('maxRtoMs', options.maxRtoMs, d.maxRtoMs),
      },
      {
        maxMessages: checkBound('maxReorderMessages', options.maxReorderMessages, d.maxReorderMessages),
        maxBytes: checkBound('maxReorderBytes', options.maxReorderBytes, d.maxReorderBytes),
      },
      this.#io,
      this.#c,
      {
        consume: (payloadType, payload) => this.#consume(payloadType, payload),
        pump: () => this.#pump(),
      },
      options,
    );
  }

  get phase(): AgentEnginePhase {
    return this.#phase;
  }

  get writable(): boolean {
    return this.#phase === 'ready' && this.#link.hasRoom;
  }

  transportUp(): void {
    if (this.#ended()) return;
    this.#link.linkUp();
    if (this.#phase === 'idle') this.#start();
    else this.#pump();
  }

  transportDown(): void {
    this.#link.linkDown();
  }

  receive(frame: Uint8Array): void {
    const c = this.#c;
    if (this.#ended()) {
      c.ignored += 1;
      return;
    }
    let message: AgentFrame;
    try {
      // The agent never checks digests; this engine does, so corrupted test frames are dropped.
      message = decodeAgentFrame(frame);
    } catch {
      c.droppedFrames += 1;
      return;
    }
    switch (message.messageType) {
      case MessageType.InputStreamData:
        this.#link.receiveStream(message);
        return;
      case MessageType.Acknowledge: {
        let seq: number;
        let id: string;
        try {
          const ack = decodeAcknowledge(message.payload);
          seq = ack.acknowledgedMessageSequenceNumber;
          id = ack.acknowledgedMessageId;
        } catch {
          c.ignored += 1;
          return;
        }
        if (!this.#link.onAck(seq, id)) return;
        if (this.#phase === 'ready' && this.#link.pending.empty && this.#link.sender.window.count === 0)
          this.#cb.onDrained?.();
        return;
      }
      case MessageType.PausePublication:
        this.setPublicationPaused(true);
        return;
      case MessageType.StartPublication:
        this.setPublicationPaused(false);
        return;
      case MessageType.ChannelClosed:
        this.#end('closed');
        this.#cb.onClose?.();
        return;
      default:
        c.ignored += 1;
    }
  }

  sendOutput(bytes: Uint8Array): boolean {
    return this.#queue(bytes, PayloadType.Output, false);
  }

  sendStderr(bytes: Uint8Array): boolean {
    return this.#queue(bytes, PayloadType.StdErr, false);
  }

  sendExitCode(code: number): boolean {
    return this.#queue(encodeExitCode(code), PayloadType.ExitCode, true);
  }

  sendFlag(flag: number): boolean {
    return this.#queue(encodeFlag(flag), PayloadType.Flag, true);
  }

  setInputPaused(paused: boolean): void {
    this.#inputPaused = paused;
    if (!paused && !this.#ended()) this.#link.receiver.drain();
  }

  setPublicationPaused(paused: boolean): void {
    this.#link.setPublicationPaused(paused);
  }

  closeChannel(init?: ChannelClosedInit): void {
    if (this.#ended()) return;
    if (this.#link.up) this.#io.sendFrame(encodeChannelClosedFrame(this.#io, init));
    this.#end('closed');
  }

  close(): void {
    if (!this.#ended()) this.#end('closed');
  }

  nextDeadline(): number | undefined {
    switch (this.#phase) {
      case 'idle':
      case 'closed':
      case 'failed':
        return undefined;
      case 'handshaking':
        return this.#link.nextDeadline(this.#handshakeDeadline);
      case 'ready':
        return this.#link.nextDeadline(undefined);
      default:
        return assertNever(this.#phase);
    }
  }

  onTimer(): void {
    switch (this.#phase) {
      case 'idle':
      case 'closed':
      case 'failed':
        return;
      case 'handshaking':
        if (this.#handshakeDeadline !== undefined && this.#io.now() >= this.#handshakeDeadline) {
          this.#fail(new SsmChannelError('HANDSHAKE_TIMEOUT', 'Handshake timed out.'));
          return;
        }
        break;
      case 'ready':
        break;
      default:
        assertNever(this.#phase);
    }
    if (this.#link.sender.onTimer() === 'give-up') {
      this.#fail(new SsmProtocolError('RETRANSMIT_GIVE_UP', 'no acknowledgement from the client; giving up'));
    }
  }

  stats(): AgentEngineStats {
    return {
      phase: this.#phase,
      // After the end, the window as it was then: what was never acknowledged shows as lost.
      ...(this.#linkAtEnd ?? this.#link.stats()),
      ...this.#c,
      pendingOutputBytes: this.#link.pending.bytes,
    };
  }

  // ---- receive side ----

  #consume(payloadType: number, payload: Uint8Array): boolean {
    const c = this.#c;
    switch (this.#phase) {
      case 'closed':
      case 'failed':
        return false;
      case 'idle':
      case 'handshaking':
        if (payloadType === PayloadType.HandshakeResponse) this.#onHandshakeResponse(payload);
        else if (payloadType === PayloadType.EncChallengeResponse) c.ignored += 1;
        // Like the agent: anything else before the handshake completes is acked and lost.
        else c.discardedDuringHandshake += 1;
        c.messagesIn += 1;
        return true;
      case 'ready':
        break;
      default:
        assertNever(this.#phase);
    }
    switch (payloadType) {
      case PayloadType.Output:
        if (this.#inputPaused) return false;
        c.messagesIn += 1;
        c.bytesIn += payload.length;
        this.#cb.onInput?.(payload);
        return true;
      case PayloadType.Size:
        c.messagesIn += 1;
        try {
          const size = decodeTerminalSize(payload);
          this.#cb.onSize?.(size);
        } catch {
          c.ignored += 1;
        }
        return true;
      case PayloadType.Flag:
        c.messagesIn += 1;
        try {
          const flag = decodeFlag(payload);
          this.#cb.onFlag?.(flag);
        } catch {
          c.ignored += 1;
        }
        return true;
      default:
        c.messagesIn += 1;
        c.ignored += 1;
        return true;
    }
  }

  // ---- handshake ----

  #start(): void {
    const hs = this.#handshake;
    if (hs === undefined) {
      this.#ready();
      return;
    }
    this.#phase = 'handshaking';
    this.#handshakeStartedAt = this.#io.now();
    this.#handshakeDeadline = this.#handshakeStartedAt + this.#handshakeTimeoutMs;
    this.#link.sender.enqueue(
      PayloadType.HandshakeRequest,
      encodeHandshakeRequest(buildHandshakeRequest(hs, this.#io.randomId)),
    );
  }

  #onHandshakeResponse(payload: Uint8Array): void {
    if (this.#phase !== 'handshaking') {
      this.#c.ignored += 1;
      return;
    }
    let response: HandshakeResponse;
    try {
      response = decodeHandshakeResponse(payload);
    } catch (error) {
      this.#fail(
        new SsmProtocolError('HANDSHAKE_FAILED', 'the HandshakeResponse does not decode', { cause: error }),
      );
      return;
    }
    this.#cb.onHandshakeResponse?.(response);
    if (this.#ended()) return;
    const failure = judgeHandshakeResponse(response, this.#handshake);
    if (failure !== undefined) {
      this.#fail(failure);
      return;
    }
    const elapsedNs = Math.round((this.#io.now() - this.#handshakeStartedAt) * 1e6);
    this.#link.sender.enqueue(
      PayloadType.HandshakeComplete,
      encodeHandshakeComplete({
        handshakeTimeToComplete: elapsedNs,
        customerMessage: this.#handshake?.customerMessage ?? '',
      }),
    );
    this.#ready();
  }

  #ready(): void {
    this.#phase = 'ready';
    this.#handshakeDeadline = undefined;
    this.#cb.onReady?.();
    this.#pump();
  }

  // ---- send side ----

  #queue(bytes: Uint8Array, payloadType: number, atomic: boolean): boolean {
    if (this.#ended()) throw new SsmChannelError('CHANNEL_CLOSED', 'the agent engine has ended');
    if (!(bytes instanceof Uint8Array))
      throw new SsmChannelError('INVALID_ARGUMENT', 'expected a Uint8Array');
    if (this.#link.pending.bytes > this.#maxPendingBytes) {
      throw new SsmChannelError(
        'BUFFER_LIMIT_EXCEEDED',
        `more than ${this.#maxPendingBytes} bytes wait for room`,
      );
    }
    this.#link.queue(bytes, payloadType, atomic);
    return this.#link.noteWritable(this.writable);
  }

  #pump(): void {
    if (this.#phase === 'ready') this.#link.pumpPending(this.#maxPayload);
  }

  // ---- lifecycle ----

  #ended(): boolean {
    return this.#phase === 'closed' || this.#phase === 'failed';
  }

  #end(phase: 'closed' | 'failed'): void {
    this.#phase = phase;
    this.#handshakeDeadline = undefined;
    this.#linkAtEnd = this.#link.stats();
    this.#link.clear();
  }

  #fail(error: SsmChannelError): void {
    if (this.#ended()) return;
    this.#end('failed');
    this.#cb.onError?.(error);
  }
}
