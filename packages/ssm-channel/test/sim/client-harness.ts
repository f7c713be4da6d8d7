/**
 * A client engine on a manual clock with every callback recorded, and builders for the frames an agent (or
 * the service) would send it.
 */
import type { AgentMessage } from '../../src/codec/agent-message.js';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';
import { encodeHandshakeComplete } from '../../src/codec/payloads/handshake-complete.js';
import {
  encodeHandshakeRequest,
  type RequestedClientAction,
} from '../../src/codec/payloads/handshake-request.js';
import type { SsmChannelError } from '../../src/errors.js';
import { type ClientEngine, createClientEngine } from '../../src/protocol/client-engine.js';
import type {
  ClientEngineOptions,
  EngineCloseInfo,
  SessionStartInfo,
} from '../../src/protocol/client-options.js';

/** Deterministic UUIDs: 00000000-0000-4000-8000-<counter>. */
export function counterIds(prefix = 0): () => string {
  let n = 0;
  return () => {
    n += 1;
    const tail = (prefix * 1_000_000 + n).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${tail}`;
  };
}

const agentIds = counterIds(7);
const utf8 = new TextEncoder();

/** Encodes text as UTF-8. */
export function bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** An `output_stream_data` frame as the agent sends it. */
export function outputFrame(
  seq: number,
  payload: Uint8Array | string,
  payloadType: number = PayloadType.Output,
  messageId: string = agentIds(),
): Uint8Array {
  return encodeAgentMessage({
    messageType: MessageType.OutputStreamData,
    sequenceNumber: seq,
    payloadType,
    payload: typeof payload === 'string' ? bytes(payload) : payload,
    flags: seq === 0 ? HeaderFlag.Syn : 0,
    createdDate: 1_700_000_000_000,
    messageId,
  });
}

/** An ack frame for the client's `input_stream_data` message `seq`. */
export function ackFrame(seq: number, messageId: string): Uint8Array {
  return encodeAgentMessage({
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    payloadType: 0,
    flags: HeaderFlag.Ack,
    payload: encodeAcknowledge({
      acknowledgedMessageType: MessageType.InputStreamData,
      acknowledgedMessageId: messageId,
      acknowledgedMessageSequenceNumber: seq,
    }),
    createdDate: 1_700_000_000_000,
    messageId: agentIds(),
  });
}

/** An unsequenced service or control frame of `messageType` with a raw payload. */
export function controlFrame(messageType: string, payload: Uint8Array | string = '{}'): Uint8Array {
  return encodeAgentMessage({
    messageType,
    sequenceNumber: 0,
    payloadType: 0,
    payload: typeof payload === 'string' ? bytes(payload) : payload,
    createdDate: 1_700_000_000_000,
    messageId: agentIds(),
  });
}

/** A HandshakeRequest frame (seq 0 unless given). */
export function handshakeRequestFrame(actions: RequestedClientAction[], seq = 0): Uint8Array {
  return outputFrame(
    seq,
    encodeHandshakeRequest({ agentVersion: '3.3.0.0', requestedClientActions: actions }),
    PayloadType.HandshakeRequest,
  );
}

/** The SessionType action of a HandshakeRequest. */
export function sessionTypeAction(
  sessionType = 'Standard_Stream',
  properties: unknown = null,
): RequestedClientAction {
  return {
    actionType: 'SessionType',
    actionParameters: { SessionType: sessionType, Properties: properties },
  };
}

/** A HandshakeComplete frame. */
export function handshakeCompleteFrame(seq: number, customerMessage = ''): Uint8Array {
  return outputFrame(
    seq,
    encodeHandshakeComplete({ handshakeTimeToComplete: 246_993_163, customerMessage }),
    PayloadType.HandshakeComplete,
  );
}

/** A client engine with a manual clock and recorded callbacks. */
export interface ClientHarness {
  engine: ClientEngine;
  /** Frames the engine sent, decoded, in order. */
  sent: AgentMessage[];
  /** Raw frames the engine sent. */
  raw: Uint8Array[];
  stdout: Uint8Array[];
  stderr: Uint8Array[];
  flags: number[];
  starts: SessionStartInfo[];
  closes: EngineCloseInfo[];
  errors: SsmChannelError[];
  writable: number;
  /** While true, `sendFrame` takes the frame and answers false (the socket's send queue is full). */
  uplinkFull: boolean;
  /** Current manual time. */
  now(): number;
  /** Moves the clock and runs every due timer on the way (as an I/O layer would). */
  advance(ms: number): void;
  /** Moves the clock without running timers. */
  tick(ms: number): void;
  /** Removes and returns what was sent since the last call. */
  take(): AgentMessage[];
  /** The stream messages (`input_stream_data`) among {@link take}. */
  takeData(): AgentMessage[];
  /** Concatenated stdout text. */
  text(): string;
}

/** Creates a client engine on a manual clock, transport up unless `up: false`. */
export function clientHarness(options: Partial<ClientEngineOptions> & { up?: boolean } = {}): ClientHarness {
  let time = 0;
  const h: ClientHarness = {
    engine: undefined as unknown as ClientEngine,
    sent: [],
    raw: [],
    stdout: [],
    stderr: [],
    flags: [],
    starts: [],
    closes: [],
    errors: [],
    writable: 0,
    uplinkFull: false,
    now: () => time,
    advance(ms) {
      const end = time + ms;
      for (let guard = 0; ; guard++) {
        if (guard > 100_000) throw new Error('the engine keeps asking for timers without progress');
        const deadline = h.engine.nextDeadline();
        if (deadline === undefined || deadline > end) break;
        time = Math.max(time, deadline);
        h.engine.onTimer();
      }
      time = end;
    },
    tick(ms) {
      time += ms;
    },
    take() {
      const out = h.sent.splice(0);
      return out;
    },
    takeData() {
      return h.take().filter((m) => m.messageType === MessageType.InputStreamData);
    },
    text() {
      return Buffer.concat(h.stdout).toString('utf8');
    },
  };
  const { up, ...rest } = options;
  h.engine = createClientEngine({
    now: () => time,
    wallClock: () => 1_700_000_000_000 + time,
    randomId: counterIds(1),
    sendFrame: (frame) => {
      h.raw.push(frame);
      h.sent.push(decodeAgentMessage(frame));
      return !h.uplinkFull;
    },
    onOutput: (b) => h.stdout.push(b.slice()),
    onStderr: (b) => h.stderr.push(b.slice()),
    onFlag: (f) => h.flags.push(f),
    onStart: (info) => h.starts.push(info),
    onWritable: () => {
      h.writable += 1;
    },
    onClose: (info) => h.closes.push(info),
    onError: (error) => h.errors.push(error),
    ...rest,
  });
  if (up !== false) h.engine.transportUp();
  return h;
}

/** Parses a JSON payload. */
export function json(message: AgentMessage): Record<string, unknown> {
  return JSON.parse(Buffer.from(message.payload).toString('utf8')) as Record<string, unknown>;
}

/** Starts a no-handshake session by delivering a first output message (seq 0). */
export function startShell(h: ClientHarness, text = '$ '): void {
  h.engine.receive(outputFrame(0, text));
}
