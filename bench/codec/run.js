// Codec benchmark: encode and decode+verify of agent messages against the SHA-256 floor and ssm-session.
//
//   node bench/codec/run.js            (after `pnpm run build`; imports the built `ssm-channel`)
//
// Environment: BENCH_ROUNDS (default 9) rounds of BENCH_SLICE_MS (default 120) per case, cases interleaved
// so that a busy machine slows every case alike; BENCH_WRITE=0 leaves bench/README.md untouched.
// Rates are medians over the rounds; ratios are medians of the per-round ratios.
import { hash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { decodeAgentMessage, encodeAgentMessage, MessageType, PayloadType } from 'ssm-channel';
import { ssm } from 'ssm-session';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 120);
const SIZES = [
  { label: '64 B', bytes: 64 },
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
];
/** Targets at 1 KiB: minimum ratio of a case's rate to the reference case's rate in the same round. */
const TARGETS = [
  { name: 'encode', over: 'sha256 floor', min: 0.55 },
  { name: 'decode+verify', over: 'sha256 floor', min: 0.6 },
  { name: 'decode+verify', over: 'ssm-session decode', min: 5 },
];

let sink = 0;

/** Operations per second of `op` over one time slice (batches keep the clock out of the loop). */
function measure(op) {
  const batch = 64;
  let count = 0;
  const start = performance.now();
  const end = start + SLICE_MS;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) op(count + i);
    count += batch;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function casesFor(bytes) {
  const payload = new Uint8Array(randomBytes(bytes));
  const init = {
    messageType: MessageType.OutputStreamData,
    sequenceNumber: 1,
    payloadType: PayloadType.Output,
    payload,
  };
  const frame = encodeAgentMessage(init);
  return {
    'sha256 floor': () => {
      sink ^= hash('sha256', payload).length;
    },
    encode: (i) => {
      sink ^= encodeAgentMessage({ ...init, sequenceNumber: i }).length;
    },
    'decode+verify': () => {
      sink ^= decodeAgentMessage(frame).payloadLength;
    },
    'decode (no verify)': () => {
      sink ^= decodeAgentMessage(frame, { verifyDigest: false }).payloadLength;
    },
    'ssm-session decode': () => {
      sink ^= ssm.decode(frame).payloadLength;
    },
  };
}

function run(size) {
  const cases = casesFor(size.bytes);
  const names = Object.keys(cases);
  for (const name of names) measure(cases[name]); // warm-up
  const rates = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so that no case always runs right after another.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      rates[name].push(measure(cases[name]));
    }
  }
  const ratio = (a, b) => median(rates[a].map((rate, i) => rate / rates[b][i]));
  return names.map((name) => ({
    size: size.label,
    name,
    rate: median(rates[name]),
    mbps: (median(rates[name]) * size.bytes) / 1e6,
    toFloor: ratio(name, 'sha256 floor'),
    toSsmSession: ratio(name, 'ssm-session decode'),
  }));
}

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows = SIZES.flatMap(run);
const table = [
  '| payload | case | messages/s | MB/s (payload) | × SHA-256 floor | × ssm-session decode |',
  '|---|---|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.size} | ${r.name} | ${fmt(r.rate)} | ${fmt(r.mbps, 1)} | ${fmt(r.toFloor, 2)} | ${fmt(r.toSsmSession, 1)} |`,
  ),
].join('\n');

const checks = TARGETS.map((t) => {
  const row = rows.find((r) => r.size === '1 KiB' && r.name === t.name);
  const value = t.over === 'sha256 floor' ? row.toFloor : row.toSsmSession;
  return { ...t, value, ok: value >= t.min };
});
const checkLines = checks.map(
  (c) => `- 1 KiB ${c.name} / ${c.over}: ${fmt(c.value, 2)} (target >= ${c.min}) ${c.ok ? 'met' : 'MISSED'}`,
);
const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${ROUNDS} rounds of ${SLICE_MS} ms per case`;

console.log(table);
console.log(`\n${checkLines.join('\n')}\n\n${machine}`);
if (sink === 0.5) console.log(sink); // keeps the results observable

if (process.env.BENCH_WRITE !== '0') {
  const readme = new URL('../README.md', import.meta.url);
  const BEGIN = '<!-- codec-bench:begin -->';
  const END = '<!-- codec-bench:end -->';
  let text;
  try {
    text = readFileSync(readme, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const block = `${BEGIN}\n${table}\n\n${checkLines.join('\n')}\n\n${machine}; ${new Date().toISOString().slice(0, 10)}.\n${END}`;
  text = text.includes(BEGIN)
    ? text.slice(0, text.indexOf(BEGIN)) + block + text.slice(text.indexOf(END) + END.length)
    : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(readme, text);
  console.log(`\nwrote the table to ${readme.pathname}`);
}
