import type { Writable } from 'node:stream';
import type { CopyProgress } from '../transfer/copy-types.js';

/** A progress line on a terminal: bytes, percentage, rate and time left, redrawn at most every 100 ms. */
export interface ProgressBar {
  update(progress: CopyProgress): void;
  /** Clears the line. Idempotent. */
  done(): void;
}

const REDRAW_MS = 100;
/** The rate is measured over about this long. */
const RATE_WINDOW_MS = 3_000;

/** `12.3 MB`, in decimal units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1_000;
  let unit = 0;
  while (value >= 1_000 && unit < units.length - 1) {
    value /= 1_000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `0:42`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** The text of the progress line (without the carriage return). */
export function progressLine(label: string, progress: CopyProgress, rate: number | undefined): string {
  const { bytes, totalBytes } = progress;
  const parts = [label];
  if (totalBytes !== undefined && totalBytes > 0) {
    const shown = Math.min(bytes, totalBytes);
    const percent = Math.floor((shown / totalBytes) * 100);
    const width = 20;
    const filled = Math.round((shown / totalBytes) * width);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`, `${percent}%`);
    parts.push(`${formatBytes(bytes)} / ${formatBytes(totalBytes)}`);
  } else {
    parts.push(formatBytes(bytes));
  }
  if (rate !== undefined && rate > 0) {
    parts.push(`${formatBytes(rate)}/s`);
    if (totalBytes !== undefined && totalBytes > bytes)
      parts.push(`ETA ${formatDuration((totalBytes - bytes) / rate)}`);
  }
  return parts.join('  ');
}

const SILENT: ProgressBar = { update: () => {}, done: () => {} };

/** A progress bar on `stderr` when it is a terminal; otherwise one that shows nothing. */
export function createProgressBar(
  stderr: Writable & { isTTY?: boolean; columns?: number },
  label: string,
  now: () => number = () => performance.now(),
): ProgressBar {
  if (stderr.isTTY !== true) return SILENT;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;
  const samples: { at: number; bytes: number }[] = [];
  return {
    update(progress) {
      if (finished) return;
      const at = now();
      samples.push({ at, bytes: progress.bytes });
      while (samples.length > 2 && at - (samples[0]?.at ?? at) > RATE_WINDOW_MS) samples.shift();
      if (at - lastDraw < REDRAW_MS) return;
      lastDraw = at;
      const first = samples[0];
      const rate =
        first !== undefined && at - first.at > 200
          ? ((progress.bytes - first.bytes) * 1000) / (at - first.at)
          : undefined;
      const columns = stderr.columns ?? 80;
      stderr.write(`\r${progressLine(label, progress, rate).slice(0, Math.max(10, columns - 1))}\u001b[K`);
      drawn = true;
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawn) stderr.write('\r\u001b[K');
    },
  };
}
