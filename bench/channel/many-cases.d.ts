/** Types of many-cases.js, for the bench slice test. */
export interface ManyChannelsResult {
  count: number;
  bytes: number;
  openMs: number;
  busyMs: number;
  closeMs: number;
  /** Both directions, MB/s of payload. */
  mbPerS: number;
  heapPerChannel: number;
  /** Channels whose echo came back complete and equal. */
  intact: number;
  /** Messages resent (nothing is lost on loopback: each one's ack came later than the timeout). */
  retransmissions: number;
  agentInputOk: boolean;
  openDelay: { p99: number; max: number };
  busyDelay: { p50: number; p99: number; max: number };
  closeDelayMax: number;
}

export function manyChannels(options: {
  count: number;
  bytes: number;
  timeoutMs?: number;
}): Promise<ManyChannelsResult>;

/** Figures of {@link manyBareSockets}. */
export interface ManyBareResult {
  count: number;
  bytes: number;
  busyMs: number;
  mbPerS: number;
  intact: number;
  busyDelay: { p50: number; p99: number; max: number };
}

/** The same pattern with bare `ws` clients against a bare echo: the ceiling. */
export function manyBareSockets(options: {
  count: number;
  bytes: number;
  timeoutMs?: number;
}): Promise<ManyBareResult>;
