/** Types of agent-process.js, for the bench slice test. */
/** Figures the agent process keeps per connection (by the `id` in the URL). */
export interface AgentConnectionResult {
  id: string;
  mode: string;
  framesSent: number;
  acks: number;
  inputMessages: number;
  inputBytes: number;
  duplicates: number;
  gaps: number;
  closed: boolean;
  sha256: string | undefined;
}

/** The benchmark's agent, running in a child process. */
export interface AgentProcess {
  readonly port: number;
  readonly pid: number | undefined;
  /** `ws://127.0.0.1:<port><path>` */
  url(path: string): string;
  /** The child's figures for connection `id` (undefined if it never connected). */
  query(id: string, timeoutMs?: number): Promise<AgentConnectionResult | undefined>;
  /** Resolves with the frames written once the blast for `id` has ended (register before connecting). */
  whenBlastDone(id: string): Promise<number>;
  /** Stops the child (killed after 2 s). */
  close(): Promise<void>;
}

/** Starts agent-child.js; it ends itself after `lifetimeMs` (default 600000) whatever happens. */
export function startAgentProcess(options?: {
  lifetimeMs?: number;
  startTimeoutMs?: number;
}): Promise<AgentProcess>;
