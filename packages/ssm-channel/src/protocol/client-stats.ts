/**
 * Counters and gauges of the client engine.
 */

/** The client engine's lifecycle phase. */
export type ClientEnginePhase =
  /** Waiting for a HandshakeRequest or the first output (nothing is sent but acks). */
  | 'starting'
  /** HandshakeResponse sent; waiting for HandshakeComplete (only handshake messages are sent). */
  | 'handshaking'
  /** Session running: input, terminal size and acks flow. */
  | 'open'
  /** Ended without an error (channel_closed or `close()`); every input is refused. */
  | 'closed'
  /** Ended by a fatal error; every input is refused. */
  | 'failed';

/** A snapshot of the engine's counters (totals since creation) and gauges (current values). */
export interface ClientEngineStats {
  phase: ClientEnginePhase;
  /** Smoothed round-trip time, ms. */
  rttMs: number;
  /** Round-trip variation, ms. */
  rttVarMs: number;
  /** Current retransmission timeout, ms. */
  rtoMs: number;
  /** Stream messages sent (input, size, handshake), retransmissions excluded. */
  messagesOut: number;
  /** Payload bytes of those messages. */
  bytesOut: number;
  /** Frames resent. */
  retransmissions: number;
  /** Well-formed frames received (any type). */
  framesIn: number;
  /** Output stream messages consumed in order. */
  messagesIn: number;
  /** Output and stderr bytes delivered. */
  bytesIn: number;
  /** Acks that removed an input message. */
  acksIn: number;
  /** Acks for unknown or already acknowledged messages, or with a different MessageId. */
  acksIgnored: number;
  /** Acks sent. */
  acksOut: number;
  /** Output messages received again (re-acked). */
  duplicates: number;
  /** Output messages kept out of order (or while the reader was behind). */
  outOfOrder: number;
  /** Output messages refused (reader behind, reorder buffer full) and left unacked. */
  refused: number;
  /** Frames that failed to decode (garbage, bad lengths, bad digest). */
  droppedFrames: number;
  /** Output messages beyond the reorder bounds, dropped unacked. */
  droppedMessages: number;
  /** Frames or payloads ignored: unknown types, frames after the end, handshake messages out of place. */
  ignored: number;
  /** Control payloads (ack, flag, exit code, channel_closed, HandshakeComplete JSON) that failed to decode. */
  badPayloads: number;
  /** Gauge: unacknowledged input messages. */
  unackedMessages: number;
  /** Gauge: unacknowledged input frame bytes. */
  unackedBytes: number;
  /** Gauge: written bytes waiting for window room. */
  pendingInputBytes: number;
  /** Gauge: output messages held in the reorder buffer. */
  reorderMessages: number;
  /** Gauge: output payload bytes held in the reorder buffer. */
  reorderBytes: number;
  /** Gauge: delivered output bytes not yet released by `consumed()`. */
  unconsumedBytes: number;
}

/** The counters the engine increments (the rest of {@link ClientEngineStats} is read from its parts). */
export type ClientCounters = Pick<
  ClientEngineStats,
  | 'framesIn'
  | 'messagesIn'
  | 'bytesIn'
  | 'acksOut'
  | 'duplicates'
  | 'outOfOrder'
  | 'refused'
  | 'droppedFrames'
  | 'droppedMessages'
  | 'ignored'
  | 'badPayloads'
>;

/** Fresh zeroed counters. */
export function newClientCounters(): ClientCounters {
  return {
    framesIn: 0,
    messagesIn: 0,
    bytesIn: 0,
    acksOut: 0,
    duplicates: 0,
    outOfOrder: 0,
    refused: 0,
    droppedFrames: 0,
    droppedMessages: 0,
    ignored: 0,
    badPayloads: 0,
  };
}
