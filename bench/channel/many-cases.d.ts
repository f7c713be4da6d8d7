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
