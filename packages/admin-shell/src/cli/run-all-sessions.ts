import type { Writable } from 'node:stream';
import type { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import { runAdminShellCommand } from '../command/run-admin-shell-command.js';
import { AdminShellError, commandLineMessage, isAdminShellError } from '../errors.js';
import { listStreamSessions, type StreamSessionListing } from '../list-stream-sessions.js';
import type { ApiOptions } from '../open-admin-shell.js';
import { sayAgentMessage } from './agent-message.js';
import { DEFAULT_PARALLEL } from './args.js';
import { DEFAULT_TERMINAL_SIZE } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { byAge } from './run-list.js';
import { type CliContext, sharedApi, sharedClient, shellOptions } from './session-options.js';
import { bytesField, LinePrefixer, TruncatingCollector } from './session-streams.js';

/** With --json, the most bytes of each stream kept per session. */
export const MAX_JSON_OUTPUT_BYTES = 1024 * 1024;

/** Where one session's work writes, and how it reports its exit status. */
export interface SessionWork {
  readonly session: StreamSessionListing;
  /** The session's stdout: lines prefixed with its ID, or collected for --json. */
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The API settings shared by every session (one client). */
  readonly api: ApiOptions;
}

/** What one session's work ends with: an exit status, and fields for its --json object. */
export interface SessionDone {
  readonly exitCode: number;
  readonly details?: Record<string, unknown>;
}

/** How one session went. */
interface Outcome {
  readonly streamSessionId: string;
  readonly exitCode?: number;
  readonly details?: Record<string, unknown>;
  readonly error?: AdminShellError;
  readonly startedAt: Date;
  readonly durationMs: number;
}

/** Runs `work` for each item with at most `parallel` at once; stops starting new ones when `signal` aborts. */
async function eachWithLimit<T>(
  items: readonly T[],
  parallel: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && signal?.aborted !== true) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

/** The sessions of the group whose status allows an admin shell; says on stderr which were left out. */
async function targetSessions(
  ctx: CliContext,
  client: GameLiftStreamsClient,
): Promise<StreamSessionListing[]> {
  const all = byAge(
    await listStreamSessions({
      streamGroupId: ctx.args.streamGroup as string,
      api: sharedApi(ctx, client),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.logger === undefined ? {} : { logger: ctx.logger }),
    }),
  );
  const usable = all.filter((s) => s.adminShell);
  const skipped = all.length - usable.length;
  if (skipped > 0) {
    const counts = new Map<string, number>();
    for (const s of all) if (!s.adminShell) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const which = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
    ctx.diag.say(
      `skipping ${skipped} session${skipped === 1 ? '' : 's'} whose status allows no admin shell (${which}).`,
    );
  }
  if (usable.length === 0) {
    ctx.diag.say(`stream group ${ctx.args.streamGroup} has no session whose status allows an admin shell.`);
  }
  return usable;
}

function failureSummary(failed: readonly Outcome[], total: number): string {
  const shown = failed.slice(0, 10).map((o) => {
    const why = o.error === undefined ? `exit ${o.exitCode}` : o.error.code;
    return `${o.streamSessionId} (${why})`;
  });
  const more = failed.length > shown.length ? `, and ${failed.length - shown.length} more` : '';
  return `${failed.length} of ${total} session${total === 1 ? '' : 's'} failed: ${shown.join(', ')}${more}.`;
}

/**
 * Does `work` on every session of --stream-group whose status allows an admin shell, --parallel at a time
 * (one failing never stops the others): output lines prefixed with the session ID, or with --json one JSON
 * object per session on stdout as each ends.
 * @returns 0 when every session's work returned 0, 1 otherwise (130 when interrupted).
 */
export async function forEachSession(
  ctx: CliContext,
  work: (job: SessionWork) => Promise<SessionDone>,
): Promise<number> {
  const { args, io, diag } = ctx;
  const client = sharedClient(ctx);
  try {
    const sessions = await targetSessions(ctx, client);
    const api = sharedApi(ctx, client);
    const outcomes: Outcome[] = [];
    await eachWithLimit(sessions, args.parallel ?? DEFAULT_PARALLEL, ctx.signal, async (session) => {
      const id = session.streamSessionId;
      const startedAt = new Date();
      const started = performance.now();
      const prefixed = !args.json;
      const stdout = prefixed
        ? new LinePrefixer(`${id}: `, io.stdout)
        : new TruncatingCollector(MAX_JSON_OUTPUT_BYTES);
      const stderr = prefixed
        ? new LinePrefixer(`${id}: `, io.stderr)
        : new TruncatingCollector(MAX_JSON_OUTPUT_BYTES);
      let outcome: Outcome;
      try {
        const done = await work({ session, stdout, stderr, api });
        outcome = {
          streamSessionId: id,
          exitCode: done.exitCode,
          ...(done.details === undefined ? {} : { details: done.details }),
          startedAt,
          durationMs: performance.now() - started,
        };
      } catch (caught) {
        const error = isAdminShellError(caught)
          ? caught
          : new AdminShellError('CHANNEL_FAILED', (caught as Error).message ?? String(caught), {
              cause: caught,
            });
        outcome = { streamSessionId: id, error, startedAt, durationMs: performance.now() - started };
        if (prefixed) diag.say(`${id}: ${commandLineMessage(error)}`);
      }
      outcomes.push(outcome);
      if (stdout instanceof LinePrefixer && stderr instanceof LinePrefixer) {
        await stdout.flushLine();
        await stderr.flushLine();
      } else if (stdout instanceof TruncatingCollector && stderr instanceof TruncatingCollector) {
        io.stdout.write(`${jsonLine(outcome, stdout, stderr)}\n`);
      }
    });
    if (ctx.signal?.aborted) return ExitCode.INTERRUPTED;
    const failed = outcomes.filter((o) => o.error !== undefined || o.exitCode !== 0);
    if (failed.length > 0) diag.say(failureSummary(failed, outcomes.length));
    else if (ctx.logger !== undefined) diag.say(`all ${outcomes.length} sessions succeeded.`);
    return failed.length === 0 ? ExitCode.OK : 1;
  } finally {
    client.destroy();
  }
}

function jsonLine(outcome: Outcome, stdout: TruncatingCollector, stderr: TruncatingCollector): string {
  return JSON.stringify({
    streamSessionId: outcome.streamSessionId,
    ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
    ...outcome.details,
    ...(outcome.error === undefined
      ? {}
      : { error: { code: outcome.error.code, message: commandLineMessage(outcome.error) } }),
    ...bytesField('stdout', stdout.bytes()),
    ...(stdout.dropped > 0 ? { stdoutDroppedBytes: stdout.dropped } : {}),
    ...bytesField('stderr', stderr.bytes()),
    ...(stderr.dropped > 0 ? { stderrDroppedBytes: stderr.dropped } : {}),
    startedAt: outcome.startedAt.toISOString(),
    durationMs: Math.round(outcome.durationMs),
  });
}

/** `--all-sessions --command CMD`: the command on every session (see {@link forEachSession}). */
export function runAllSessions(ctx: CliContext): Promise<number> {
  const command = ctx.args.command as string;
  return forEachSession(ctx, async ({ session, stdout, stderr, api }) => {
    const target = {
      streamGroupId: ctx.args.streamGroup as string,
      streamSessionId: session.streamSessionId,
    };
    const result = await runAdminShellCommand(
      shellOptions(ctx, target, api, DEFAULT_TERMINAL_SIZE),
      command,
      {
        stdout,
        stderr,
        onOpen: (shell) => sayAgentMessage(shell, ctx.diag, `${session.streamSessionId}: `),
      },
    );
    return { exitCode: result.exitCode };
  });
}
