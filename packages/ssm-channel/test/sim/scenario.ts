/**
 * One deterministic simulation run: the client engine against the agent engine over a simulated link with
 * a seeded schedule of loss, duplication, reordering, delay, garbage frames, publication pauses,
 * disconnects and a slow uplink, in virtual time, read by a fast, slow, stalling or bursty reader.
 * Throws a {@link SimFailure} naming the seed when an invariant breaks.
 *
 * The client is driven as `connectDataChannel` drives it: the reader releases output with `consumed()`,
 * frames reach the client only while it is `receiving` (the others wait, as in TCP buffers), and the
 * client's frames leave through a send queue of limited rate whose `sendFrame` answers false above a
 * high-water mark and which calls `drained()` once it has emptied.
 */

import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { PayloadType } from '../../src/codec/constants.js';
import { type AgentEngine, createAgentEngine } from '../../src/protocol/agent/agent-engine.js';
import { encodeChannelClosedFrame, encodePublicationFrame } from '../../src/protocol/agent/service-frames.js';
import { type ClientEngine, createClientEngine } from '../../src/protocol/client-engine.js';
import type { EngineCloseInfo } from '../../src/protocol/client-options.js';
import { EventQueue } from './event-queue.js';
import { createPrng, type Prng } from './prng.js';

/** The test file that replays a seed. */
export const SIM_TEST_FILE = 'packages/ssm-channel/test/protocol/simulation.test.ts';

/** An invariant broke; the message carries the seed and a replay command. */
export class SimFailure extends Error {
  override name = 'SimFailure';
  constructor(
    readonly seed: number,
    detail: string,
    readonly trace: readonly string[],
  ) {
    super(
      `simulation seed ${seed}: ${detail}\n  replay: SIM_SEED=${seed} npx vitest run ${SIM_TEST_FILE}\n` +
        `  last events:\n    ${trace.slice(-15).join('\n    ')}`,
    );
  }
}

/** Parameters drawn from the seed. */
export interface ScenarioParams {
  loss: number;
  duplicate: number;
  baseDelayMs: number;
  jitterMs: number;
  garbage: number;
  disconnects: number;
  handshake: boolean;
  inputBytes: number;
  outputBytes: number;
  stderrBytes: number;
  readerDelayMs: number;
  /** The reader stops releasing output this many times, for up to 3 s each. */
  readerStalls: number;
  /** The reader releases output in bursts this far apart (0: as it goes). */
  readerBurstMs: number;
  /** Bytes per ms the client's frames leave at (Infinity: at once). */
  uplinkBytesPerMs: number;
  publicationPauses: number;
  client: {
    maxUnackedMessages: number;
    maxUnackedBytes: number;
    maxReorderMessages: number;
    maxReorderBytes: number;
    receiveBudgetBytes: number;
  };
  agent: {
    maxUnackedMessages: number;
    maxUnackedBytes: number;
    maxReorderMessages: number;
    maxReorderBytes: number;
    maxRetransmitBurst: number;
  };
}

/** What a successful run measured. */
export interface ScenarioResult {
  params: ScenarioParams;
  virtualMs: number;
  events: number;
  clientRetransmissions: number;
  agentRetransmissions: number;
  clientDuplicates: number;
  clientDroppedFrames: number;
  /** Times the client's send queue answered full, then drained. */
  uplinkDrains: number;
  /** Frames that waited in the socket because the client was not receiving. */
  framesLeftUnread: number;
}

/** Upper bound of a session's virtual duration. */
export const MAX_VIRTUAL_MS = 2 * 60_000;
const MAX_EVENTS = 2_000_000;
const MAX_PAYLOAD = 1024;
const FRAME_OVERHEAD = 120;
/** The client's send queue answers full at this many bytes (the transport's is 256 KiB; scaled down). */
const UPLINK_HIGH_WATER_MARK = 4096;

function drawParams(rng: Prng): ScenarioParams {
  return {
    loss: rng.chance(0.2) ? 0 : rng.range(0, 0.25),
    duplicate: rng.chance(0.3) ? 0 : rng.range(0, 0.1),
    baseDelayMs: rng.int(1, 40),
    jitterMs: rng.chance(0.3) ? 0 : rng.int(1, 80),
    garbage: rng.chance(0.5) ? 0 : rng.range(0, 0.03),
    disconnects: rng.chance(0.4) ? 0 : rng.int(1, 3),
    handshake: rng.chance(0.5),
    inputBytes: rng.chance(0.1) ? 0 : rng.int(1, 12_000),
    outputBytes: rng.int(0, 48_000),
    stderrBytes: rng.chance(0.6) ? 0 : rng.int(1, 6_000),
    readerDelayMs: rng.chance(0.4) ? 0 : rng.int(1, 300),
    readerStalls: rng.chance(0.7) ? 0 : rng.int(1, 3),
    readerBurstMs: rng.chance(0.7) ? 0 : rng.int(10, 500),
    uplinkBytesPerMs: rng.chance(0.7) ? Number.POSITIVE_INFINITY : rng.range(5, 50),
    publicationPauses: rng.chance(0.7) ? 0 : rng.int(1, 2),
    client: {
      maxUnackedMessages: rng.int(1, 48),
      maxUnackedBytes: rng.int(1500, 48_000),
      maxReorderMessages: rng.int(1, 48),
      maxReorderBytes: rng.int(1100, 48_000),
      receiveBudgetBytes: rng.int(1, 24_000),
    },
    agent: {
      maxUnackedMessages: rng.int(1, 48),
      maxUnackedBytes: rng.int(1500, 48_000),
      maxReorderMessages: rng.int(1, 48),
      maxReorderBytes: rng.int(1100, 48_000),
      maxRetransmitBurst: rng.chance(0.5) ? 1 : rng.int(2, 16),
    },
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Runs the scenario of `seed`. @throws {SimFailure} when an invariant breaks. */
export function runScenario(seed: number): ScenarioResult {
  const rng = createPrng(seed);
  const ids = createPrng(seed ^ 0x5bd1e995);
  const params = drawParams(rng);
  // A shell without a handshake always prints something (its prompt) before the client may type.
  if (!params.handshake && params.outputBytes === 0) params.outputBytes = 1;
  const q = new EventQueue();
  const trace: string[] = [];
  const log = (line: string): void => {
    trace.push(`${q.now.toFixed(0)}ms ${line}`);
    if (trace.length > 60) trace.splice(0, 20);
  };
  const fail = (detail: string): never => {
    if (process.env.SIM_VERBOSE) {
      trace.push(`at ${q.now} ms after ${q.executed} events; params ${JSON.stringify(params)}`);
      trace.push(`client ${JSON.stringify(client.stats())}`);
      trace.push(`agent ${JSON.stringify(agent.stats())}`);
    }
    throw new SimFailure(seed, detail, trace);
  };

  const input = rng.bytes(params.inputBytes);
  const output = rng.bytes(params.outputBytes);
  const stderr = rng.bytes(params.stderrBytes);
  const exitCode = rng.int(-1, 255);
  const token = `token-${seed}`;

  let up = false;
  let epoch = 0;
  const io = {
    now: () => q.now,
    wallClock: () => 1_700_000_000_000 + Math.floor(q.now),
    randomId: () => ids.uuid(),
  };

  // ---- the link ----
  let client!: ClientEngine;
  let agent!: AgentEngine;
  const transmit = (toClientSide: boolean, frame: Uint8Array): void => {
    if (!up) fail(`${toClientSide ? 'agent' : 'client'} sent a frame while the transport was down`);
    if (rng.chance(params.loss)) return;
    const copies = rng.chance(params.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const sentIn = epoch;
      const delay = params.baseDelayMs + (params.jitterMs > 0 ? rng.int(0, params.jitterMs) : 0);
      schedule(q.now + delay, () => {
        if (sentIn !== epoch || !up) return;
        if (toClientSide) toClient(frame);
        else agent.receive(frame);
      });
    }
  };
  /** Service frames travel on the client's socket itself: delivered (after the delay) unless it drops. */
  const fromService = (frame: Uint8Array): void => {
    const sentIn = epoch;
    schedule(q.now + params.baseDelayMs, () => {
      if (sentIn === epoch && up) toClient(frame);
    });
  };
  /** A frame arriving at the client: read now, or left in the socket while the client is not receiving. */
  const unread: Uint8Array[] = [];
  let framesLeftUnread = 0;
  const toClient = (frame: Uint8Array): void => {
    if (client.receiving && unread.length === 0) {
      client.receive(frame);
      return;
    }
    unread.push(frame);
    framesLeftUnread += 1;
  };
  const readUnread = (): void => {
    while (up && unread.length > 0 && client.receiving) client.receive(unread.shift()!);
  };

  // ---- the client's send queue: frames leave at uplinkBytesPerMs ----
  const uplink = { frames: [] as Uint8Array[], bytes: 0, full: false, leaving: false, drains: 0 };
  const uplinkSend = (frame: Uint8Array): boolean => {
    if (!up) fail('client sent a frame while the transport was down');
    if (!Number.isFinite(params.uplinkBytesPerMs)) {
      transmit(false, frame);
      return true;
    }
    uplink.frames.push(frame);
    uplink.bytes += frame.length;
    if (!uplink.leaving) leaveNext();
    if (uplink.bytes >= UPLINK_HIGH_WATER_MARK) uplink.full = true;
    return !uplink.full;
  };
  const leaveNext = (): void => {
    const frame = uplink.frames[0];
    if (frame === undefined) {
      uplink.leaving = false;
      if (uplink.full) {
        uplink.full = false;
        uplink.drains += 1;
        client.drained();
      }
      return;
    }
    uplink.leaving = true;
    const sentIn = epoch;
    schedule(q.now + frame.length / params.uplinkBytesPerMs, () => {
      if (sentIn !== epoch) return;
      uplink.frames.shift();
      uplink.bytes -= frame.length;
      transmit(false, frame);
      leaveNext();
    });
  };

  // ---- timers ----
  const armed = { client: undefined as number | undefined, agent: undefined as number | undefined };
  const tokens = { client: 0, agent: 0 };
  const arm = (which: 'client' | 'agent'): void => {
    const engine = which === 'client' ? client : agent;
    const deadline = engine.nextDeadline();
    if (deadline === armed[which]) return;
    if (process.env.SIM_TRACE_TIMERS) log(`${which} deadline ${deadline}`);
    armed[which] = deadline;
    const t = ++tokens[which];
    if (deadline === undefined) return;
    if (!Number.isFinite(deadline)) fail(`${which} returned a non-finite deadline`);
    q.at(deadline, () => {
      if (t !== tokens[which]) return;
      armed[which] = undefined;
      tokens[which] += 1;
      engine.onTimer();
      afterEvent();
    });
  };
  function schedule(at: number, run: () => void): void {
    q.at(at, () => {
      run();
      afterEvent();
    });
  }

  // ---- client side ----
  const received: Uint8Array[] = [];
  const receivedErr: Uint8Array[] = [];
  let closeInfo: EngineCloseInfo | undefined;
  let started = false;
  let waitingClientWritable = false;
  let inOffset = 0;
  let lastSize = { cols: 80, rows: 24 };
  // The reader: releases output as it goes, after a delay, in bursts, and stops now and then.
  let unreleased = 0;
  let readerStalledUntil = 0;
  let burstDue = false;
  const releaseNow = (): void => {
    if (q.now < readerStalledUntil) {
      schedule(readerStalledUntil, releaseNow);
      return;
    }
    const n = unreleased;
    unreleased = 0;
    burstDue = false;
    if (n > 0 && closeInfo === undefined) client.consumed(n);
  };
  const release = (n: number): void => {
    unreleased += n;
    if (params.readerBurstMs > 0) {
      if (!burstDue) {
        burstDue = true;
        schedule(q.now + params.readerBurstMs, releaseNow);
      }
    } else if (params.readerDelayMs === 0 && q.now >= readerStalledUntil) {
      releaseNow();
    } else {
      schedule(Math.max(readerStalledUntil, q.now + rng.int(0, params.readerDelayMs)), releaseNow);
    }
  };
  for (let i = 0; i < params.readerStalls; i++) {
    const at = rng.int(0, 5000);
    const length = rng.int(100, 3000);
    schedule(at, () => {
      readerStalledUntil = Math.max(readerStalledUntil, q.now + length);
    });
  }
  client = createClientEngine({
    ...io,
    sendFrame: uplinkSend,
    onOutput: (bytes) => {
      received.push(bytes.slice());
      release(bytes.length);
    },
    onStderr: (bytes) => {
      receivedErr.push(bytes.slice());
      release(bytes.length);
    },
    onStart: (info) => {
      if (started) fail('onStart called twice');
      if (info.handshake !== params.handshake) fail(`onStart handshake=${info.handshake}`);
      started = true;
      log('client started');
    },
    onWritable: () => {
      if (!waitingClientWritable) return;
      waitingClientWritable = false;
      schedule(q.now, writeInput);
    },
    onClose: (info) => {
      if (closeInfo !== undefined) fail('onClose called twice');
      closeInfo = info;
      log(`client closed ${JSON.stringify(info)}`);
    },
    onError: (error) => fail(`client failed: ${error.code} ${error.message}`),
    terminalSize: lastSize,
    ...params.client,
    maxPendingInputBytes: 4096,
    startTimeoutMs: 60_000,
    giveUpAfterMs: 60_000,
  });
  const writeInput = (): void => {
    while (inOffset < input.length && client.phase !== 'closed') {
      if (rng.chance(0.1)) {
        lastSize = { cols: rng.int(20, 22), rows: rng.int(10, 11) };
        client.resize(lastSize.cols, lastSize.rows);
      }
      const n = Math.min(rng.int(1, 3000), input.length - inOffset);
      const ok = client.write(input.subarray(inOffset, inOffset + n));
      inOffset += n;
      if (!ok) {
        waitingClientWritable = true;
        return;
      }
      if (rng.chance(0.5)) {
        schedule(q.now + rng.int(0, 40), writeInput);
        return;
      }
    }
  };

  // ---- agent side ----
  const agentInput: Uint8Array[] = [];
  let agentInputBytes = 0;
  let agentSize: { cols: number; rows: number } | undefined;
  let outOffset = 0;
  let errOffset = 0;
  let waitingAgentWritable = false;
  let exitSent = false;
  let closing = false;
  agent = createAgentEngine({
    ...io,
    sendFrame: (frame) => transmit(true, frame),
    ...(params.handshake
      ? { handshake: { customerMessage: rng.chance(0.5) ? 'hello' : '', timeoutMs: 60_000 } }
      : {}),
    ...params.agent,
    maxPendingOutputBytes: 4096,
    giveUpAfterMs: 60_000,
    onInput: (bytes) => {
      agentInput.push(bytes.slice());
      agentInputBytes += bytes.length;
      maybeFinish();
    },
    onSize: (size) => {
      agentSize = size;
    },
    onReady: () => {
      log('agent ready');
      schedule(q.now + rng.int(0, 30), writeOutput);
    },
    onWritable: () => {
      if (!waitingAgentWritable) return;
      waitingAgentWritable = false;
      schedule(q.now, writeOutput);
    },
    onDrained: () => {
      if (exitSent && !closing) {
        closing = true;
        log('agent drained; closing');
        closeWhenUp();
      }
    },
    onError: (error) => fail(`agent failed: ${error.code} ${error.message}`),
  });
  const writeOutput = (): void => {
    while ((outOffset < output.length || errOffset < stderr.length) && agent.phase === 'ready') {
      const useErr = errOffset < stderr.length && (outOffset >= output.length || rng.chance(0.3));
      const data = useErr ? stderr : output;
      const at = useErr ? errOffset : outOffset;
      const n = Math.min(rng.int(1, 4000), data.length - at);
      const chunk = data.subarray(at, at + n);
      if (useErr) errOffset += n;
      else outOffset += n;
      const ok = useErr ? agent.sendStderr(chunk) : agent.sendOutput(chunk);
      if (!ok) {
        waitingAgentWritable = true;
        return;
      }
      if (rng.chance(0.5)) {
        schedule(q.now + rng.int(0, 40), writeOutput);
        return;
      }
    }
    maybeFinish();
  };
  const maybeFinish = (): void => {
    if (exitSent || agent.phase !== 'ready') return;
    if (outOffset < output.length || errOffset < stderr.length || agentInputBytes < input.length) return;
    exitSent = true;
    log('agent sends exit code');
    agent.sendExitCode(exitCode);
  };
  /** The service tells the client; if the socket drops first, it tells it again on the next one. */
  const closeWhenUp = (): void => {
    agent.close();
    if (!up) {
      schedule(q.now + 50, closeWhenUp);
      return;
    }
    const sentIn = epoch;
    const frame = encodeChannelClosedFrame(io, { sessionId: `s-${seed}`, output: 'bye' });
    schedule(q.now + params.baseDelayMs, () => {
      if (sentIn === epoch && up) client.receive(frame);
      else closeWhenUp();
    });
  };

  // ---- faults ----
  const connect = (): void => {
    up = true;
    const open = JSON.parse(client.openFrame(token)) as Record<string, unknown>;
    if (open.ClientId !== client.clientId || open.TokenValue !== token) fail('bad OpenDataChannel frame');
    if (requestIds.has(String(open.RequestId))) fail('RequestId reused');
    requestIds.add(String(open.RequestId));
    log('connected');
    client.transportUp();
    agent.transportUp();
  };
  const requestIds = new Set<string>();
  const disconnect = (downMs: number): void => {
    if (!up) return;
    up = false;
    epoch += 1;
    // The socket is gone with what waited in it, both ways.
    unread.length = 0;
    uplink.frames.length = 0;
    uplink.bytes = 0;
    uplink.full = false;
    uplink.leaving = false;
    log(`disconnect for ${downMs}ms`);
    client.transportDown();
    agent.transportDown();
    schedule(q.now + downMs, connect);
  };
  for (let i = 0; i < params.disconnects; i++) {
    schedule(rng.int(0, 4000), () => disconnect(rng.int(50, 3000)));
  }
  for (let i = 0; i < params.publicationPauses; i++) {
    const at = rng.int(0, 3000);
    const length = rng.int(10, 2000);
    schedule(at, () => {
      if (up) fromService(encodePublicationFrame(io, true));
      if (agent.phase === 'ready' && rng.chance(0.5)) agent.setPublicationPaused(true);
    });
    schedule(at + length, () => {
      if (up) fromService(encodePublicationFrame(io, false));
      agent.setPublicationPaused(false);
    });
  }
  const injectGarbage = (): void => {
    if (q.now > 8000 || closeInfo !== undefined) return;
    if (up && rng.chance(params.garbage * 20)) {
      const target = rng.chance(0.5) ? client : agent;
      if (rng.chance(0.5)) {
        target.receive(rng.bytes(rng.int(0, 300)));
      } else {
        // A well-formed frame whose payload was damaged: the digest no longer matches.
        const frame = encodeAgentMessage({
          messageType: target === client ? 'output_stream_data' : 'input_stream_data',
          sequenceNumber: rng.int(0, 5),
          payloadType: PayloadType.Output,
          payload: rng.bytes(rng.int(1, 50)),
          createdDate: 1,
          messageId: ids.uuid(),
        });
        frame[frame.length - 1]! ^= 0xff;
        target.receive(frame);
      }
    }
    schedule(q.now + 100, injectGarbage);
  };
  if (params.garbage > 0) schedule(50, injectGarbage);

  // ---- invariants after every event ----
  const c = params.client;
  const a = params.agent;
  function afterEvent(): void {
    readUnread();
    arm('client');
    arm('agent');
    // The send queue: its high-water mark, plus what one call may add past it (a flush of the window, an ack).
    if (uplink.bytes > UPLINK_HIGH_WATER_MARK + c.maxUnackedBytes + 2 * (MAX_PAYLOAD + FRAME_OVERHEAD) + 400)
      fail(`client send queue ${uplink.bytes} B`);
    const cs = client.stats();
    if (cs.phase !== 'closed') {
      if (cs.unackedMessages > c.maxUnackedMessages) fail(`client window ${cs.unackedMessages} messages`);
      if (cs.unackedBytes > c.maxUnackedBytes + MAX_PAYLOAD + FRAME_OVERHEAD)
        fail(`client window ${cs.unackedBytes} B`);
      if (cs.reorderMessages > c.maxReorderMessages) fail(`client reorder ${cs.reorderMessages} messages`);
      if (cs.reorderBytes > c.maxReorderBytes) fail(`client reorder ${cs.reorderBytes} B`);
      if (cs.unconsumedBytes > c.receiveBudgetBytes + MAX_PAYLOAD)
        fail(`client unconsumed ${cs.unconsumedBytes} B`);
      if (cs.pendingInputBytes > 4096 + 3000) fail(`client pending ${cs.pendingInputBytes} B`);
    }
    const as = agent.stats();
    // HandshakeComplete is never held back, so it may exceed the window by one message.
    const agentMax = a.maxUnackedMessages + (params.handshake ? 1 : 0);
    if (as.unackedMessages > agentMax) fail(`agent window ${as.unackedMessages} messages`);
    if (as.unackedBytes > a.maxUnackedBytes + MAX_PAYLOAD + FRAME_OVERHEAD)
      fail(`agent window ${as.unackedBytes} B`);
    if (as.reorderMessages > a.maxReorderMessages) fail(`agent reorder ${as.reorderMessages} messages`);
    if (as.reorderBytes > a.maxReorderBytes) fail(`agent reorder ${as.reorderBytes} B`);
    if (as.pendingOutputBytes > 4096 + 4000) fail(`agent pending ${as.pendingOutputBytes} B`);
  }

  // ---- run ----
  schedule(0, connect);
  schedule(rng.int(0, 500), writeInput);
  while (closeInfo === undefined) {
    if (!q.step()) fail('no more events but the session has not ended (deadlock)');
    if (q.now > MAX_VIRTUAL_MS) fail(`session still running after ${MAX_VIRTUAL_MS} ms of virtual time`);
    if (q.executed > MAX_EVENTS) fail(`more than ${MAX_EVENTS} events (livelock)`);
  }

  // ---- final checks ----
  const info = closeInfo as EngineCloseInfo;
  if (info.reason !== 'channel_closed' || info.output !== 'bye' || info.sessionId !== `s-${seed}`) {
    fail(`close info ${JSON.stringify(info)}`);
  }
  if (info.exitCode !== exitCode) fail(`exit code ${info.exitCode}, expected ${exitCode}`);
  const compare = (what: string, got: Uint8Array, want: Uint8Array): void => {
    const at = firstDifference(got, want);
    if (at >= 0)
      fail(`${what}: ${got.length} bytes received, ${want.length} written; first difference at ${at}`);
  };
  compare('client stdout', concat(received), output);
  compare('client stderr', concat(receivedErr), stderr);
  compare('agent input', concat(agentInput), input);
  if (input.length > 0 && (agentSize?.cols !== lastSize.cols || agentSize.rows !== lastSize.rows)) {
    fail(`agent size ${JSON.stringify(agentSize)}, client's last ${JSON.stringify(lastSize)}`);
  }
  const cs = client.stats();
  const as = agent.stats();
  return {
    params,
    virtualMs: q.now,
    events: q.executed,
    clientRetransmissions: cs.retransmissions,
    agentRetransmissions: as.retransmissions,
    clientDuplicates: cs.duplicates,
    clientDroppedFrames: cs.droppedFrames,
    uplinkDrains: uplink.drains,
    framesLeftUnread,
  };
}
