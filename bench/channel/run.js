// Data channel benchmark: our `connectDataChannel` against a bare `ws` client, both fed by the same cheap
// agent in another process (agent-child.js), plus the memory cases (memory.js, its own process).
//
//   node bench/channel/run.js          (after `pnpm run build`; imports the built `ssm-channel`)
//
// Environment: BENCH_ROUNDS (default 7) interleaved rounds per throughput case, BENCH_OUT_MB (32) and
// BENCH_IN_MB (16) per round, BENCH_ECHO_SAMPLES (2000) round trips per side, BENCH_ONLY (comma list of
// output,input,echo,memory), BENCH_WRITE=0 leaves bench/README.md untouched. Rates are medians over the
// rounds; ratios are medians of the per-round ratios (ours and bare alternate, so load hits both alike).
import { fork } from 'node:child_process';
import { createHash, hash as oneShotHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { decodeAgentMessage, encodeAcknowledge, encodeAgentMessage } from 'ssm-channel';
import { startAgentProcess } from './agent-process.js';
import {
  inputBare,
  inputOurs,
  median,
  openEchoBare,
  openEchoOurs,
  outputBare,
  outputOurs,
  quantile,
} from './cases.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PAYLOAD = 1024;
const OUT_MESSAGES = Math.round((Number(process.env.BENCH_OUT_MB ?? 32) * 1e6) / PAYLOAD);
const IN_BYTES = Math.round(Number(process.env.BENCH_IN_MB ?? 16) * 1e6);
const ECHO_SAMPLES = Number(process.env.BENCH_ECHO_SAMPLES ?? 2000);
const ECHO_BLOCK = 250;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'output,input,echo,memory').split(','));
const MEMORY_TIMEOUT_MS = 240_000;

const TARGETS = {
  output: 0.15,
  echoP99ExtraMs: 0.5,
  idleHeapKB: 64,
  stallRssMB: 32,
};

const log = (...args) => console.log(...args);
const fmt = (value, digits = 1) =>
  value === undefined || Number.isNaN(value)
    ? '—'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * The codec work every conforming client does per output message, through the public codec, alone in this
 * process: decode and verify a 1 KiB frame, then encode its ack (JSON and frame, with its digest). No I/O,
 * no engine, no stream. The channel itself writes acks by a faster path (`protocol/ack-frame.ts`).
 */
function codecFloor(ms = 250) {
  const frames = Array.from({ length: 256 }, (_, i) =>
    encodeAgentMessage({
      messageType: 'output_stream_data',
      sequenceNumber: i,
      payloadType: 1,
      payload: new Uint8Array(PAYLOAD).fill(i),
    }),
  );
  let count = 0;
  let bytes = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const frame of frames) {
      const m = decodeAgentMessage(frame);
      const ack = encodeAgentMessage({
        messageType: 'acknowledge',
        sequenceNumber: 0,
        payloadType: 0,
        flags: 3,
        payload: encodeAcknowledge({
          acknowledgedMessageType: m.messageType,
          acknowledgedMessageId: m.messageId,
          acknowledgedMessageSequenceNumber: m.sequenceNumber,
        }),
      });
      bytes += ack.length;
    }
    count += frames.length;
  }
  return { mbPerS: (count * PAYLOAD) / (performance.now() - start) / 1000, bytes };
}

const sha256 =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('sha256', data, 'latin1')
    : (data) => createHash('sha256').update(data).digest('latin1');

/**
 * The two SHA-256 every conforming client computes per output message, alone: the 1 KiB payload's (to
 * verify its digest) and its ack's JSON payload (for the ack's digest). What a client on `ws` cannot avoid
 * adding to the bare client's work.
 */
function digestFloor(ms = 250) {
  const payloads = Array.from({ length: 256 }, (_, i) => new Uint8Array(PAYLOAD).fill(i));
  const ackPayload = encodeAcknowledge({
    acknowledgedMessageType: 'output_stream_data',
    acknowledgedMessageId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    acknowledgedMessageSequenceNumber: 123_456,
  });
  let count = 0;
  let chars = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const payload of payloads) chars += sha256(payload).length + sha256(ackPayload).length;
    count += payloads.length;
  }
  return { mbPerS: (count * PAYLOAD) / (performance.now() - start) / 1000, chars };
}

/** Runs `ours` and `bare` alternately for ROUNDS rounds after one warm-up round of each. */
async function interleaved(name, ours, bare, extra) {
  await ours();
  await bare();
  const rows = [];
  const extras = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const first = round % 2 === 0;
    const a = first ? await ours() : undefined;
    const b = await bare();
    const o = first ? a : await ours();
    rows.push({
      ours: o.mbPerS,
      bare: b.mbPerS,
      ratio: o.mbPerS / b.mbPerS,
      oursCpu: o.cpuMsPerMB,
      bareCpu: b.cpuMsPerMB,
    });
    if (extra !== undefined) extras.push(extra(b.mbPerS));
    const cpu =
      o.cpuMsPerMB === undefined ? '' : ` (CPU ${fmt(o.cpuMsPerMB, 2)} vs ${fmt(b.cpuMsPerMB, 2)} ms/MB)`;
    log(
      `  ${name} round ${round + 1}/${ROUNDS}: ours ${fmt(o.mbPerS)} MB/s, bare ws ${fmt(b.mbPerS)} MB/s${cpu}`,
    );
  }
  const cpuRows = rows.filter((r) => r.oursCpu !== undefined);
  return {
    ours: median(rows.map((r) => r.ours)),
    bare: median(rows.map((r) => r.bare)),
    ratio: median(rows.map((r) => r.ratio)),
    oursCpu: cpuRows.length > 0 ? median(cpuRows.map((r) => r.oursCpu)) : undefined,
    bareCpu: cpuRows.length > 0 ? median(cpuRows.map((r) => r.bareCpu)) : undefined,
    extra:
      extras.length > 0
        ? Object.fromEntries(Object.keys(extras[0]).map((k) => [k, median(extras.map((e) => e[k]))]))
        : undefined,
  };
}

async function echoLatency(agent) {
  const ours = await openEchoOurs(agent);
  const bare = await openEchoBare(agent);
  try {
    await ours.sample(200);
    await bare.sample(200);
    const a = [];
    const b = [];
    for (let done = 0; done < ECHO_SAMPLES; done += ECHO_BLOCK) {
      const n = Math.min(ECHO_BLOCK, ECHO_SAMPLES - done);
      if ((done / ECHO_BLOCK) % 2 === 0) {
        a.push(...(await ours.sample(n)));
        b.push(...(await bare.sample(n)));
      } else {
        b.push(...(await bare.sample(n)));
        a.push(...(await ours.sample(n)));
      }
    }
    return {
      samples: ECHO_SAMPLES,
      ours: { p50: quantile(a, 0.5), p99: quantile(a, 0.99) },
      bare: { p50: quantile(b, 0.5), p99: quantile(b, 0.99) },
    };
  } finally {
    await ours.close();
    await bare.close();
  }
}

/** memory.js in its own process with --expose-gc, killed if it overruns. */
function memoryCases() {
  const script = fileURLToPath(new URL('./memory.js', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    let result;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the memory cases did not finish within ${MEMORY_TIMEOUT_MS} ms`));
    }, MEMORY_TIMEOUT_MS);
    child.once('message', (message) => {
      result = message;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.off('exit', killOnExit);
      if (result !== undefined) resolve(result);
      else reject(new Error(`the memory cases exited with ${code} and no result`));
    });
  });
}

const results = {};
const agent = await startAgentProcess({ lifetimeMs: 900_000 });
try {
  log(`agent process ${agent.pid} on 127.0.0.1:${agent.port}`);
  if (ONLY.has('output')) {
    results.outputCheck = await outputOurs(agent, { messages: 4096, payload: PAYLOAD, verify: true });
    log('output check:', results.outputCheck);
    results.output = await interleaved(
      'output',
      () => outputOurs(agent, { messages: OUT_MESSAGES, payload: PAYLOAD }),
      () => outputBare(agent, { messages: OUT_MESSAGES, payload: PAYLOAD }),
      (bare) => {
        // Per round: the public codec's rate, and bare ws plus the mandatory digests (per-message times add).
        const digest = digestFloor().mbPerS;
        return { codec: codecFloor().mbPerS / bare, ceiling: 1 / (1 + bare / digest) };
      },
    );
    results.output.codecFloor = codecFloor().mbPerS;
    results.output.digestFloor = digestFloor().mbPerS;
  }
  if (ONLY.has('input')) {
    results.inputCheck = await inputOurs(agent, { bytes: 4_000_000, verify: true });
    log('input check:', results.inputCheck);
    results.input = await interleaved(
      'input',
      () => inputOurs(agent, { bytes: IN_BYTES }),
      () => inputBare(agent, { bytes: IN_BYTES }),
    );
  }
  if (ONLY.has('echo')) {
    results.echo = await echoLatency(agent);
    log('echo:', results.echo);
  }
} finally {
  await agent.close();
}
if (ONLY.has('memory')) {
  results.memory = await memoryCases();
  log('memory:', results.memory);
}

// ---- report ----
const rows = ['| case | ours | bare `ws` | ours vs bare | target | met |', '|---|---:|---:|---:|---|:-:|'];
const checks = [];
const verdict = (ok) => (ok ? 'yes' : '**no**');
if (results.output) {
  const o = results.output;
  const ok = o.ratio >= TARGETS.output;
  rows.push(
    `| output, 1 KiB messages (MB/s) | ${fmt(o.ours)} | ${fmt(o.bare)} | ${fmt(o.ratio, 2)}× | ≥ ${TARGETS.output}× | ${verdict(ok)} |`,
  );
  rows.push(
    `| output: client CPU per MB (ms) | ${fmt(o.oursCpu, 2)} | ${fmt(o.bareCpu, 2)} | ${fmt(o.oursCpu / o.bareCpu, 2)}× | | |`,
  );
  rows.push(
    `| public codec alone per output message (decode, verify, encode the ack; MB/s) | ${fmt(o.codecFloor)} | ${fmt(o.bare)} | ${fmt(o.extra.codec, 2)}× | | |`,
  );
  const ceiling = 1 / (1 / o.bare + 1 / o.digestFloor);
  rows.push(
    `| ceiling: bare \`ws\` + the 2 SHA-256 per message (${fmt(o.digestFloor)} MB/s alone) | ${fmt(ceiling)} | ${fmt(o.bare)} | ${fmt(o.extra.ceiling, 2)}× | | |`,
  );
  const c = results.outputCheck;
  checks.push(
    `- output check (${c.bytes.toLocaleString('en-US')} bytes, SHA-256 of the stream, one ack per message): ` +
      `stream ${c.streamOk ? 'intact' : '**corrupt**'}, ${c.acks.toLocaleString('en-US')} acks ${c.acksOk ? 'as expected' : '**wrong**'}`,
  );
}
if (results.input) {
  const i = results.input;
  rows.push(
    `| input, 64 KiB writes (MB/s, until acked) | ${fmt(i.ours)} | ${fmt(i.bare)} | ${fmt(i.ratio, 2)}× | — | |`,
  );
  const c = results.inputCheck;
  checks.push(
    `- input check (${c.received.toLocaleString('en-US')} bytes into a hashing sink): ` +
      `${c.streamOk ? 'intact' : '**corrupt**'}, ${c.duplicates} retransmitted frames`,
  );
}
if (results.echo) {
  const e = results.echo;
  const extra = e.ours.p99 - e.bare.p99;
  rows.push(
    `| keystroke echo p50 (ms) | ${fmt(e.ours.p50, 3)} | ${fmt(e.bare.p50, 3)} | +${fmt(e.ours.p50 - e.bare.p50, 3)} ms | — | |`,
  );
  rows.push(
    `| keystroke echo p99 (ms) | ${fmt(e.ours.p99, 3)} | ${fmt(e.bare.p99, 3)} | +${fmt(extra, 3)} ms | ≤ +${TARGETS.echoP99ExtraMs} ms | ${verdict(extra <= TARGETS.echoP99ExtraMs)} |`,
  );
}
if (results.memory) {
  const { idle, stall } = results.memory;
  const heapKB = idle.heapPerChannel / 1024;
  rows.push(
    `| heap per idle channel (KB, ${idle.channels.toLocaleString('en-US')} open) | ${fmt(heapKB)} | | | ≤ ${TARGETS.idleHeapKB} KB | ${verdict(heapKB <= TARGETS.idleHeapKB)} |`,
  );
  const growthMB = stall.rssGrowth / 1e6;
  rows.push(
    `| RSS growth, stalled reader offered ${fmt(stall.offeredBytes / 1e6, 0)} MB (MB) | ${fmt(growthMB)} | | | ≤ ${TARGETS.stallRssMB} MB | ${verdict(growthMB <= TARGETS.stallRssMB)} |`,
  );
  checks.push(
    `- idle channels: ${fmt(idle.rssPerChannel / 1024)} KB RSS each (sockets and kernel-side buffers included)`,
    `- stalled reader: ${fmt(stall.deliveredBytes / 1e6, 2)} MB delivered into the unread stream, ` +
      `${stall.ackedMessages.toLocaleString('en-US')} messages acked of ${Math.round(stall.offeredBytes / PAYLOAD).toLocaleString('en-US')} offered; ` +
      `the sender ${stall.senderBlocked ? `blocked on TCP backpressure after ${fmt(stall.writtenBytes / 1e6)} MB` : 'wrote everything'}; ` +
      `reading again resumed the stream (${fmt(stall.readAfterResume / 1e6)} MB in 300 ms)`,
  );
}
const table = rows.join('\n');
const cpuList = cpus();
const machine =
  `Node ${process.version}, ${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'CPU'}, ` +
  `${Math.round(totalmem() / 2 ** 30)} GiB; ${ROUNDS} rounds of ${fmt((OUT_MESSAGES * PAYLOAD) / 1e6, 0)} MB output and ` +
  `${fmt(IN_BYTES / 1e6, 0)} MB input, ${ECHO_SAMPLES} echo round trips per side`;
log(`\n${table}\n\n${checks.join('\n')}\n\n${machine}`);

if (process.env.BENCH_WRITE !== '0') {
  const readme = new URL('../README.md', import.meta.url);
  const BEGIN = '<!-- channel-bench:begin -->';
  const END = '<!-- channel-bench:end -->';
  let text;
  try {
    text = readFileSync(readme, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const block = `${BEGIN}\n${table}\n\n${checks.join('\n')}\n\n${machine}; ${new Date().toISOString().slice(0, 10)}.\n${END}`;
  text = text.includes(BEGIN)
    ? text.slice(0, text.indexOf(BEGIN)) + block + text.slice(text.indexOf(END) + END.length)
    : `${text.trimEnd()}\n\n## Channel (\`bench/channel/run.js\`)\n\nLatest run (written by the script):\n\n${block}\n`;
  writeFileSync(readme, text);
  log(`\nwrote the table to ${readme.pathname}`);
}
