// Many channels at once (issue: fleets of channels from one process):
//   node bench/channel/many.js        (after `pnpm run build`)
// BENCH_CHANNELS (1000), BENCH_MANY_KB per channel each way (64), BENCH_WRITE=0 leaves bench/README.md alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { manyBareSockets, manyChannels } from './many-cases.js';

const COUNT = Number(process.env.BENCH_CHANNELS ?? 1000);
const KB = Number(process.env.BENCH_MANY_KB ?? 64);
const TARGET_P99_MS = 20;
const fmt = (v, d = 1) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

const r = await manyChannels({ count: COUNT, bytes: KB * 1024 });
console.log(r);
// The ceiling, in the same run: the same pattern over bare `ws`, without the protocol.
const bare = await manyBareSockets({ count: COUNT, bytes: KB * 1024 });
console.log(bare);
const delays = (d) => `${fmt(d.p50)} / ${fmt(d.p99)} / ${fmt(d.max)}`;
const rows = [
  '| figure | value | target | met |',
  '|---|---:|---|:-:|',
  `| channels open at once, all busy (each echoes ${KB} KiB each way) | ${COUNT.toLocaleString('en-US')} | | |`,
  `| intact (SHA-256 of every echo) | ${r.intact.toLocaleString('en-US')} | all | ${r.intact === COUNT && r.agentInputOk ? 'yes' : '**no**'} |`,
  `| time to open them all (ms) | ${fmt(r.openMs, 0)} | | |`,
  `| time for all to echo (ms; ${fmt(r.mbPerS)} MB/s both ways in all) | ${fmt(r.busyMs, 0)} | | |`,
  `| time to close them all (ms) | ${fmt(r.closeMs, 0)} | | |`,
  `| heap per open channel (KB) | ${fmt(r.heapPerChannel / 1024)} | | |`,
  `| event-loop delay while busy, p50 / p99 / max (ms) | ${delays(r.busyDelay)} | p99 ≤ ${TARGET_P99_MS} ms | ${r.busyDelay.p99 <= TARGET_P99_MS ? 'yes' : '**no**'} |`,
  `| retransmissions (nothing is lost on loopback: acks later than the timeout) | ${r.retransmissions.toLocaleString('en-US')} of ${(COUNT * KB).toLocaleString('en-US')} messages | | |`,
  `| event-loop delay while opening, p99 / max (ms) | ${fmt(r.openDelay.p99)} / ${fmt(r.openDelay.max)} | | |`,
  `| **ceiling**: bare \`ws\`, same pattern (1 KiB messages, no protocol), time for all to echo (ms; ${fmt(bare.mbPerS)} MB/s) | ${fmt(bare.busyMs, 0)} | | |`,
  `| **ceiling**: bare \`ws\`, event-loop delay while busy, p50 / p99 / max (ms) | ${delays(bare.busyDelay)} | | |`,
];
const cpu = cpus();
const table = `${rows.join('\n')}\n\nNode ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; the agent emulators in one other process; ${new Date().toISOString().slice(0, 10)}.`;
console.log(`\n${table}`);
if (process.env.BENCH_WRITE !== '0') {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const begin = '<!-- many-bench:begin -->';
  const end = '<!-- many-bench:end -->';
  const at = readme.indexOf(begin);
  if (at >= 0) {
    const stop = readme.indexOf(end, at);
    writeFileSync(path, `${readme.slice(0, at + begin.length)}\n${table}\n${readme.slice(stop)}`);
  }
}
