import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { StreamCredentials } from '../channel-types.js';
import { Flag, MessageType } from '../codec/constants.js';
import type { OpenDataChannel } from '../codec/payloads/open-data-channel.js';
import type { SsmChannelError } from '../errors.js';
import { type AgentEngine, createAgentEngine } from '../protocol/agent/agent-engine.js';
import { encodeChannelClosedFrame, encodePublicationFrame } from '../protocol/agent/service-frames.js';
import type { EngineIo } from '../protocol/engine-io.js';
import type { BackendHost, SessionBackend } from './backends/backend.js';
import { ClientLink } from './client-link.js';
import {
  type EmulatedSession,
  type EmulatedSessionEvents,
  REFUSAL_CLOSE_CODE,
} from './emulated-session-api.js';
import {
  EMULATOR_DEFAULTS,
  type EmulatedSessionOptions,
  type EmulatorStats,
  type SessionEndInfo,
} from './emulator-options.js';
import { ByteTrigger, FrameFaults } from './frame-faults.js';
import { GARBAGE_KINDS, type GarbageKind, makeGarbageFrame } from './garbage-frames.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { emptyCounters, frameType, handshakeOf } from './session-setup.js';
import type { TokenRegistry } from './token-registry.js';

/** What the emulator server gives a session. */
export interface SessionContext {
  url: string;
  tokens: TokenRegistry;
  createBackend(host: BackendHost): SessionBackend;
}

type SessionState = 'running' | 'finishing' | 'ended';

/** The implementation behind {@link EmulatedSession}; the server calls `admit` and `shutdown`. */
export class EmulatedSessionImpl implements EmulatedSession {
  readonly sessionId: string;
  readonly url: string;
  readonly tokenValue: string;
  readonly events = new EventEmitter<EmulatedSessionEvents>();
  readonly ended: Promise<SessionEndInfo>;
  readonly #options: EmulatedSessionOptions;
  readonly #tokens: TokenRegistry;
  readonly #engine: AgentEngine;
  readonly #backend: SessionBackend;
  readonly #io: EngineIo;
  readonly #random: SeededRandom;
  readonly #faults: FrameFaults;
  readonly #cut: ByteTrigger | undefined;
  readonly #stall: { trigger: ByteTrigger; durationMs: number | undefined } | undefined;
  readonly #counters = emptyCounters();
  #resolveEnded!: (info: SessionEndInfo) => void;
  #link: ClientLink | undefined;
  #state: SessionState = 'running';
  #endInfo: SessionEndInfo | undefined;
  #closeOutput: string;
  #closePending = false;
  #clientPaused = false;
  #timer: NodeJS.Timeout | undefined;
  #timerDeadline: number | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #closeSocketTimer: NodeJS.Timeout | undefined;
  readonly #sinkTally: (() => { bytes: number; sha256: string }) | undefined;

  constructor(sessionId: string, options: EmulatedSessionOptions, context: SessionContext) {
    this.sessionId = sessionId;
    this.url = context.url;
    this.#options = options;
    this.#tokens = context.tokens;
    this.tokenValue = this.#tokens.issue();
    this.#closeOutput = options.channelClosedOutput ?? '';
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    const faults = options.faults ?? {};
    this.#random = createSeededRandom(faults.seed ?? EMULATOR_DEFAULTS.faultSeed);
    this.#faults = new FrameFaults(
      faults,
      this.#random,
      this.#counters.faults,
      faults.reorderHoldMs ?? EMULATOR_DEFAULTS.reorderHoldMs,
    );
    this.#cut = faults.cut && new ByteTrigger(faults.cut.afterBytes, faults.cut.times ?? 1);
    this.#stall = faults.stall && {
      trigger: new ByteTrigger(faults.stall.afterBytes, faults.stall.times ?? 1),
      durationMs: faults.stall.durationMs,
    };
    this.#io = {
      now: () => performance.now(),
      wallClock: Date.now,
      randomId: randomUUID,
      sendFrame: (frame) => this.#toClient(frame),
    };
    const handshake = handshakeOf(options.handshake);
    this.#engine = createAgentEngine({
      ...options.agent,
      ...(handshake === undefined ? {} : { handshake }),
      ...this.#io,
      onInput: (bytes) => {
        this.#counters.inputBytes += bytes.length;
        this.#backend.input(bytes);
        this.events.emit('input', bytes);
      },
      onSize: (size) => {
        this.#counters.resizes += 1;
        this.#counters.lastSize = size;
        this.#backend.resize(size);
        this.events.emit('resize', size);
      },
      onFlag: (flag) => {
        this.events.emit('flag', flag);
        if (flag === Flag.TerminateSession) {
          void this.#backend.stop();
          this.#finish({ reason: 'client-terminated' });
        }
      },
      onHandshakeResponse: (response) => this.events.emit('handshake-response', response),
      onReady: () => {
        const greeting = options.greeting ?? '';
        if (greeting !== '') host.output(new TextEncoder().encode(greeting));
        this.#backend.start();
        this.events.emit('ready');
      },
      onWritable: () => this.#backend.writable(),
      onDrained: () => this.#closeIfDrained(),
      // Only a client can send channel_closed to this agent; treat it as the client ending the session.
      onClose: () => this.#end({ reason: 'client-terminated' }),
      onError: (error) => this.#fail(error),
    });
    const host: BackendHost = {
      output: (bytes) => {
        if (this.#state === 'ended') return false;
        this.#counters.outputBytes += bytes.length;
        try {
          return this.#engine.sendOutput(bytes);
        } catch {
          return false;
        } finally {
          this.#arm();
        }
      },
      pauseInput: (paused) => {
        this.#engine.setInputPaused(paused);
        this.#arm();
      },
      finish: ({ exitCode }) => {
        const mode = options.mode ?? EMULATOR_DEFAULTS.mode;
        this.#finish(
          mode === 'shell'
            ? { reason: 'exited', ...(exitCode === undefined ? {} : { exitCode }) }
            : { reason: 'completed' },
        );
      },
    };
    const backend = context.createBackend(host);
    this.#backend = backend;
    const tally = (backend as { tally?: { bytes: number; sha256(): string } }).tally;
    this.#sinkTally = tally && (() => ({ bytes: tally.bytes, sha256: tally.sha256() }));
  }

  get connected(): boolean {
    return this.#link?.alive ?? false;
  }

  issueToken(): StreamCredentials {
    return { streamUrl: this.url, tokenValue: this.#tokens.issue() };
  }

  stats(): EmulatorStats {
    const agent = this.#engine.stats();
    return {
      ...this.#counters,
      faults: { ...this.#counters.faults },
      acksIn: agent.acksIn,
      acksOut: agent.acksOut,
      retransmissions: agent.retransmissions,
      sink: this.#sinkTally?.() ?? { bytes: 0, sha256: '' },
      agent,
    };
  }

  pausePublication(): void {
    this.#clientPaused = true;
    this.#link?.write(encodePublicationFrame(this.#io, true));
  }

  startPublication(): void {
    this.#clientPaused = false;
    this.#link?.write(encodePublicationFrame(this.#io, false));
  }

  stall(options: { durationMs?: number } = {}): void {
    this.#link?.stall(options.durationMs);
  }

  unstall(): void {
    this.#link?.unstall();
  }

  disconnect(): void {
    this.#link?.cut();
  }

  sendGarbage(kind: GarbageKind = 'random'): void {
    const link = this.#link;
    if (link === undefined || !link.alive) return;
    this.#counters.faults.garbage += 1;
    link.write(makeGarbageFrame(kind, this.#random, this.#engine.stats().messagesOut).data);
  }

  terminate(output?: string): void {
    if (this.#state === 'ended') return;
    if (output !== undefined) this.#closeOutput = output;
    this.#endInfo = { reason: 'terminated' };
    this.#state = 'finishing';
    void this.#backend.stop();
    if (this.connected) this.#closeChannel();
    else this.#end(this.#endInfo);
  }

  /**
   * Handles a decoded OpenDataChannel: attaches the connection, or refuses it with close code 1008.
   * Returns the refusal reason, if any.
   */
  admit(ws: WebSocket, open: OpenDataChannel): string | undefined {
    const refusal =
      this.#state === 'ended'
        ? 'session terminated'
        : (() => {
            const why = this.#tokens.check(open.tokenValue);
            return why === undefined ? undefined : `token ${why}`;
          })();
    if (refusal !== undefined) {
      this.refuse(ws, refusal);
      return refusal;
    }
    // A new connection replaces the current one, as when a client reconnects over a half-open socket.
    this.#link?.destroy();
    this.#counters.connections += 1;
    const link = new ClientLink(
      ws,
      this.#counters,
      {
        cut: this.#cut,
        stall: this.#stall,
        uplinkBytesPerSecond: this.#options.faults?.uplinkBytesPerSecond,
      },
      {
        onFrame: (frame) => this.#fromClient(link, frame),
        onClose: (clientLeft) => this.#detach(link, clientLeft),
      },
    );
    this.#link = link;
    this.#engine.transportUp();
    this.#arm();
    this.events.emit('connection', {
      connection: this.#counters.connections,
      requestId: open.requestId,
      clientId: open.clientId,
      clientVersion: open.clientVersion,
    });
    if (this.#state === 'finishing') {
      if (this.#closePending) this.#closeChannel();
      else this.#closeIfDrained();
    }
    return undefined;
  }

  /** Refuses a connection (bad OpenDataChannel or token) with close code 1008. */
  refuse(ws: WebSocket, reason: string): void {
    this.#counters.authFailures += 1;
    ws.close(REFUSAL_CLOSE_CODE, reason);
    this.events.emit('auth-failure', reason);
  }

  /** Ends everything at once (the emulator is closing). */
  async shutdown(): Promise<void> {
    if (this.#state !== 'ended') {
      this.#engine.close();
      this.#end({ reason: 'emulator-closed' });
    }
    clearTimeout(this.#closeSocketTimer);
    this.#link?.destroy();
    await this.#backend.stop();
  }

  // ---- frames ----

  #fromClient(link: ClientLink, frame: Uint8Array): void {
    if (link !== this.#link) return;
    if (this.#clientPaused && frameType(frame) === MessageType.InputStreamData)
      this.#counters.inputWhilePaused += 1;
    this.#faults.process('to-agent', frame, (f) => {
      if (link === this.#link) this.#engine.receive(f);
    });
    this.#arm();
  }

  #toClient(frame: Uint8Array): void {
    const link = this.#link;
    if (link === undefined) return;
    const type = frameType(frame);
    if (type !== MessageType.OutputStreamData && type !== MessageType.Acknowledge) {
      link.write(frame);
      return;
    }
    this.#faults.process('to-client', frame, (f) => link.write(f));
    const garbage = this.#options.faults?.garbage ?? 0;
    if (garbage > 0 && this.#random.next() < garbage) {
      const kind = GARBAGE_KINDS[Math.floor(this.#random.next() * GARBAGE_KINDS.length)] ?? 'random';
      // Outside this call: sendFrame must not call back into the engine (its stats() included).
      queueMicrotask(() => this.sendGarbage(kind));
    }
  }

  #detach(link: ClientLink, clientLeft: boolean): void {
    if (link !== this.#link) return;
    if (clientLeft && this.#options.keepSessionOnClientClose !== true && this.#state !== 'ended') {
      // The client said goodbye: like the official plugin's TerminateSession on exit, the session ends.
      this.#link = undefined;
      this.#end({ reason: 'client-left' });
      this.events.emit('disconnect');
      return;
    }
    this.#link = undefined;
    this.#faults.reset();
    if (this.#state !== 'ended') this.#engine.transportDown();
    this.#arm();
    this.events.emit('disconnect');
  }

  // ---- timers ----

  /** Keeps one timer at the engine's next deadline. */
  #arm(): void {
    const deadline = this.#state === 'ended' ? undefined : this.#engine.nextDeadline();
    if (deadline === this.#timerDeadline) return;
    clearTimeout(this.#timer);
    this.#timerDeadline = deadline;
    if (deadline === undefined) return;
    this.#timer = setTimeout(
      () => {
        this.#timerDeadline = undefined;
        this.#engine.onTimer();
        this.#arm();
      },
      Math.max(0, Math.ceil(deadline - performance.now())),
    );
  }

  // ---- end of the session ----

  #finish(info: SessionEndInfo): void {
    if (this.#state !== 'running') return;
    this.#state = 'finishing';
    this.#endInfo = info;
    if (info.exitCode !== undefined && this.#options.sendExitCode === true) {
      try {
        this.#engine.sendExitCode(info.exitCode);
      } catch {
        // The engine ended meanwhile; nothing to send.
      }
    }
    const drainMs = this.#options.drainTimeoutMs ?? EMULATOR_DEFAULTS.drainTimeoutMs;
    this.#drainTimer = setTimeout(() => this.#closeChannel(), drainMs);
    this.#closeIfDrained();
    this.#arm();
  }

  #closeIfDrained(): void {
    if (this.#state !== 'finishing' || !this.connected) return;
    const agent = this.#engine.stats();
    if (agent.unackedMessages === 0 && agent.pendingOutputBytes === 0) this.#closeChannel();
  }

  /** Sends channel_closed (now, or at the next connection when none is attached) and ends the session. */
  #closeChannel(): void {
    if (this.#state === 'ended') return;
    clearTimeout(this.#drainTimer);
    if (!this.connected) {
      this.#closePending = true;
      return;
    }
    this.#engine.closeChannel({ sessionId: this.sessionId, output: this.#closeOutput });
    this.#end(this.#endInfo ?? { reason: 'terminated' });
  }

  #fail(error: SsmChannelError): void {
    if (this.#state === 'ended') return;
    this.#link?.write(
      encodeChannelClosedFrame(this.#io, { sessionId: this.sessionId, output: error.message }),
    );
    this.#end({ reason: 'failed', error });
  }

  #end(info: SessionEndInfo): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#tokens.revokeAll();
    clearTimeout(this.#timer);
    clearTimeout(this.#drainTimer);
    this.#timerDeadline = undefined;
    void this.#backend.stop();
    const link = this.#link;
    if (link !== undefined) {
      const delay = this.#options.closeSocketDelayMs ?? EMULATOR_DEFAULTS.closeSocketDelayMs;
      this.#closeSocketTimer = setTimeout(() => link.close(1000, 'session ended'), delay);
    }
    this.#resolveEnded(info);
    this.events.emit('end', info);
  }
}
