/**
 * Round-trip time estimation and retransmission timeout (Jacobson/Karels, as in the protocol reference §10),
 * with the official constants. Karn's rule is applied by the caller: samples are only fed for messages
 * that were sent exactly once.
 */

/** Constants of the retransmission timer (protocol reference §10 and §17). All durations in ms. */
export const RetransmitConstants = {
  /** Initial smoothed round-trip time (`DefaultRoundTripTime`). */
  initialRttMs: 100,
  /** Initial round-trip time variation. */
  initialRttVarMs: 0,
  /** Initial retransmission timeout (`DefaultTransmissionTimeout`). */
  initialRtoMs: 200,
  /** Clock granularity G (`ClockGranularity`). */
  clockGranularityMs: 10,
  /** Gain of the smoothed round-trip time, α (`RTTConstant`). */
  alpha: 1 / 8,
  /** Gain of the round-trip variation, β (`RTTVConstant`). */
  beta: 1 / 4,
  /** Upper bound of the timeout (`MaxTransmissionTimeout`). */
  maxRtoMs: 1000,
  /** Scheduler tick of the official implementations (`ResendSleepInterval`). */
  tickMs: 100,
} as const;

/** The estimator's state, in milliseconds. */
export interface RttState {
  /** Smoothed round-trip time. */
  rttMs: number;
  /** Round-trip time variation. */
  rttVarMs: number;
  /** Current retransmission timeout. */
  rtoMs: number;
}

/** A Jacobson/Karels estimator. Mutable; one per sending direction. */
export interface RttEstimator {
  /** The current estimate (a live view; do not mutate). */
  readonly state: Readonly<RttState>;
  /**
   * Feed one round-trip sample (ms, ≥ 0) taken from a message that was transmitted only once:
   * `rttVar = (1-β)·rttVar + β·|rtt − sample|` (old rtt), `rtt = (1-α)·rtt + α·sample`,
   * `rto = min(rtt + max(G, 4·rttVar), maxRto)`.
   */
  sample(sampleMs: number): void;
  /**
   * A retransmission timer expired: double the timeout (Karn's back-off), up to `maxRto`. The next
   * valid sample recomputes it from the smoothed values.
   */
  backOff(): void;
}

/** Options of {@link createRttEstimator}. */
export interface RttEstimatorOptions {
  /** @default RetransmitConstants.maxRtoMs (1000) */
  maxRtoMs?: number;
}

/** Creates an estimator in the official initial state (rtt 100 ms, rttVar 0, rto 200 ms). */
export function createRttEstimator(options: RttEstimatorOptions = {}): RttEstimator {
  const maxRto = options.maxRtoMs ?? RetransmitConstants.maxRtoMs;
  const { alpha, beta, clockGranularityMs } = RetransmitConstants;
  const state: RttState = {
    rttMs: RetransmitConstants.initialRttMs,
    rttVarMs: RetransmitConstants.initialRttVarMs,
    rtoMs: Math.min(RetransmitConstants.initialRtoMs, maxRto),
  };
  return {
    state,
    sample(sampleMs: number): void {
      const s = Math.max(sampleMs, 0);
      state.rttVarMs = (1 - beta) * state.rttVarMs + beta * Math.abs(state.rttMs - s);
      state.rttMs = (1 - alpha) * state.rttMs + alpha * s;
      const rto = state.rttMs + Math.max(clockGranularityMs, 4 * state.rttVarMs);
      state.rtoMs = Math.min(rto, maxRto);
    },
    backOff(): void {
      state.rtoMs = Math.min(state.rtoMs * 2, maxRto);
    },
  };
}
