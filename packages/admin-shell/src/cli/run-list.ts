import { listStreamSessions, type StreamSessionListing } from '../list-stream-sessions.js';
import { ExitCode } from './exit-codes.js';
import { type CliContext, sharedApi, sharedClient } from './session-options.js';

/** `45s`, `3m12s`, `2h05m`, `3d04h`: the age of something created `seconds` ago. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3_600)).padStart(2, '0')}h`;
}

function ageSeconds(item: StreamSessionListing, now: number): number | undefined {
  return item.createdAt === undefined
    ? undefined
    : Math.max(0, Math.floor((now - item.createdAt.getTime()) / 1000));
}

/** The table `ls` prints: a header, then one row per session, columns padded to their widest cell. */
export function formatTable(items: readonly StreamSessionListing[], now: number): string {
  const rows = [
    ['STREAM SESSION', 'STATUS', 'AGE', 'LOCATION', 'ADMIN SHELL'],
    ...items.map((item) => {
      const age = ageSeconds(item, now);
      const status = item.statusReason === undefined ? item.status : `${item.status} (${item.statusReason})`;
      return [
        item.streamSessionId,
        status,
        age === undefined ? '-' : formatAge(age),
        item.location ?? '-',
        item.adminShell ? 'yes' : 'no',
      ];
    }),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** One JSON object per session, one a line, as `ls --json` prints them. */
export function formatJsonLines(items: readonly StreamSessionListing[], now: number): string {
  return items
    .map((item) => {
      const age = ageSeconds(item, now);
      return `${JSON.stringify({
        streamSessionId: item.streamSessionId,
        arn: item.arn,
        status: item.status,
        ...(item.statusReason === undefined ? {} : { statusReason: item.statusReason }),
        ...(item.createdAt === undefined ? {} : { createdAt: item.createdAt.toISOString() }),
        ...(age === undefined ? {} : { ageSeconds: age }),
        ...(item.lastUpdatedAt === undefined ? {} : { lastUpdatedAt: item.lastUpdatedAt.toISOString() }),
        ...(item.location === undefined ? {} : { location: item.location }),
        adminShell: item.adminShell,
      })}\n`;
    })
    .join('');
}

/** Oldest first; sessions without a creation time last, by ID. */
export function byAge(items: readonly StreamSessionListing[]): StreamSessionListing[] {
  return [...items].sort(
    (a, b) =>
      (a.createdAt?.getTime() ?? Number.POSITIVE_INFINITY) -
        (b.createdAt?.getTime() ?? Number.POSITIVE_INFINITY) ||
      a.streamSessionId.localeCompare(b.streamSessionId),
  );
}

/** `ls --stream-group SG`: the group's sessions, oldest first, as a table or JSON lines. */
export async function runList(ctx: CliContext): Promise<number> {
  const { args, io } = ctx;
  const client = sharedClient(ctx);
  try {
    const items = byAge(
      await listStreamSessions({
        streamGroupId: args.streamGroup as string,
        api: sharedApi(ctx, client),
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        ...(ctx.logger === undefined ? {} : { logger: ctx.logger }),
      }),
    );
    const now = Date.now();
    if (args.json) io.stdout.write(formatJsonLines(items, now));
    else if (items.length === 0) ctx.diag.say(`stream group ${args.streamGroup} has no stream sessions.`);
    else io.stdout.write(formatTable(items, now));
    return ExitCode.OK;
  } finally {
    client.destroy();
  }
}
