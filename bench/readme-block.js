// Writes a benchmark's latest table into bench/README.md between its markers (BENCH_WRITE=0: leave it).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** `Node v20…, 2 × CPU, 24 GiB`: the machine a figure was measured on. */
export function machine() {
  const list = cpus();
  return `Node ${process.version}, ${list.length} × ${list[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/**
 * Replaces the block between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in bench/README.md with `body`
 * (dated), or appends it under `heading` when the markers are missing.
 */
export function writeReadmeBlock(name, heading, body) {
  if (process.env.BENCH_WRITE === '0') return undefined;
  const readme = new URL('./README.md', import.meta.url);
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  let text;
  try {
    text = readFileSync(readme, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const block = `${begin}\n${body}; ${new Date().toISOString().slice(0, 10)}.\n${end}`;
  text = text.includes(begin)
    ? text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length)
    : `${text.trimEnd()}\n\n## ${heading}\n\nLatest run (written by the script):\n\n${block}\n`;
  writeFileSync(readme, text);
  return readme.pathname;
}

/** The `q` quantile (0–1) of `values`. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** `1,234.5`. */
export function fmt(value, digits = 1) {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
