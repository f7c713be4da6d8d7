// Output throughput of the data channel in headless Chromium (connectWebDataChannel over Chromium's own
// WebSocket) beside Node's (connectDataChannel, the Duplex over ws), in the same run, alternating, against
// two agents each in its own process: the benchmark's fast agent (bench/channel/agent-child.js: pre-encoded
// 1 KiB frames, so that the client is what is measured) and the agent emulator of ssm-channel/testing in
// `source` mode (bench/channel/emulator-process.js; the real agent engine, slower: it is the limit there).
// Client CPU per MB: this process's for Node; the page's main thread for Chromium (DevTools' TaskDuration).
// In the same rounds, the ceiling: a bare Chromium WebSocket, no protocol, reading the fast agent's frames
// and sending nothing, or answering each with one binary message of an ack's size. Chromium runs with no
// DevTools Network domain enabled (see chromium.js). Needs Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium) and a build.
//
//   node bench/web/throughput.js   (BENCH_ROUNDS=5, BENCH_WEB_MB=16, BENCH_EMULATOR_MB=8, BENCH_WRITE=0,
//                                   BENCH_DEVTOOLS_NETWORK=1 to measure with DevTools' Network domain on)
import { connectDataChannel } from 'ssm-channel';
import { startAgentProcess } from '../channel/agent-process.js';
import { median, outputOurs } from '../channel/cases.js';
import { startEmulatorProcess } from '../channel/emulator-process.js';
import { machine, writeReadmeBlock } from '../readme-block.js';
import { launchChromium } from './chromium.js';
import { servePage } from './page-server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAYLOAD = 1024;
/** The bare page's answer to each message: the size of the channel's ack frame (120 + 179 bytes of JSON). */
const ACK_BYTES = 299;
const FAST_MESSAGES = Math.round((Number(process.env.BENCH_WEB_MB ?? 16) * 1e6) / PAYLOAD);
const EMULATOR_BYTES = Math.round(Number(process.env.BENCH_EMULATOR_MB ?? 8) * 1e6);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Enable DevTools' Network domain on the page, as Playwright does (see chromium.js): to show its cost. */
const DEVTOOLS_NETWORK = process.env.BENCH_DEVTOOLS_NETWORK === '1';
const log = (...args) => console.log(...args);
const fmt = (value, digits = 1) =>
  value === undefined || Number.isNaN(value)
    ? '—'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The page's main-thread time so far (s): DevTools' TaskDuration. */
async function taskDuration(page) {
  const { metrics } = await page.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

/** Chromium reads one stream; MB/s and the page's main-thread time per MB. */
async function inChromium(page, url, tokenValue, total) {
  const before = await taskDuration(page);
  const result = await page.evaluate((u, t, n) => globalThis.readOutput(u, t, n), url, tokenValue, total);
  const cpuMs = ((await taskDuration(page)) - before) * 1000;
  if (result.got < total) throw new Error(`Chromium read ${result.got} of ${total} bytes`);
  return { mbPerS: result.mbPerS, cpuMsPerMB: cpuMs / (total / 1e6) };
}

/** The ceiling: a bare WebSocket in the page reads `messages` frames, answering each with `replyBytes`. */
async function bareInChromium(page, url, messages, replyBytes) {
  const before = await taskDuration(page);
  const result = await page.evaluate(
    (u, m, p, r) => globalThis.readBare(u, m, p, r),
    url,
    messages,
    PAYLOAD,
    replyBytes,
  );
  const cpuMs = ((await taskDuration(page)) - before) * 1000;
  return { mbPerS: result.mbPerS, cpuMsPerMB: cpuMs / ((messages * PAYLOAD) / 1e6) };
}

/** Node's Duplex reads one source session of the emulator. */
async function nodeFromEmulator(session, total) {
  const channel = await connectDataChannel({ streamUrl: session.url, tokenValue: session.tokenValue });
  let got = 0;
  let first = 0;
  let t0 = 0;
  let c0;
  await new Promise((resolve, reject) => {
    channel.on('data', (chunk) => {
      if (got === 0) {
        t0 = performance.now();
        c0 = process.cpuUsage();
        first = chunk.length;
      }
      got += chunk.length;
    });
    channel.once('end', resolve);
    channel.once('error', reject);
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await channel.whenClosed;
  if (got !== total) throw new Error(`Node read ${got} of ${total} bytes`);
  const mb = (got - first) / 1e6;
  return { mbPerS: (mb / ms) * 1000, cpuMsPerMB: (cpu.user + cpu.system) / 1000 / mb };
}

const agent = await startAgentProcess({ lifetimeMs: 900_000 });
// One source session per emulator run: the warm-ups and every round, Node's and Chromium's.
const emulator = await startEmulatorProcess(2 + 2 * ROUNDS, {
  mode: 'source',
  source: { bytes: EMULATOR_BYTES },
  // Every session is created now and used later: its token must outlast the whole run (60 s by default).
  tokenValidityMs: 3_600_000,
});
let nextSession = 0;
const served = await servePage({ minify: true });
const browser = await launchChromium(CHROMIUM);
const rows = { fastNode: [], fastWeb: [], emuNode: [], emuWeb: [], bareRead: [], bareReply: [] };
let chromiumVersion;
try {
  chromiumVersion = browser.version;
  const page = await browser.newPage(served.url);
  await page.waitForTitle('ready');
  await page.send('Performance.enable');
  // What Playwright (and an open DevTools window) does: every WebSocket message is reported to DevTools.
  if (DEVTOOLS_NETWORK) await page.send('Network.enable');
  let ids = 0;
  const fastWeb = () =>
    inChromium(
      page,
      agent.url(`/blast?id=web-${ids++}&messages=${FAST_MESSAGES}&payload=${PAYLOAD}`),
      'bench-token',
      FAST_MESSAGES * PAYLOAD,
    );
  const fastNode = () => outputOurs(agent, { messages: FAST_MESSAGES, payload: PAYLOAD });
  const emuWeb = () => {
    const s = emulator.sessions[nextSession++];
    return inChromium(page, s.url, s.tokenValue, EMULATOR_BYTES);
  };
  const emuNode = () => nodeFromEmulator(emulator.sessions[nextSession++], EMULATOR_BYTES);
  const bare = (replyBytes) => () =>
    bareInChromium(
      page,
      agent.url(`/blast?id=bare-${ids++}&messages=${FAST_MESSAGES}&payload=${PAYLOAD}`),
      FAST_MESSAGES,
      replyBytes,
    );
  const cases = { fastNode, fastWeb, emuNode, emuWeb, bareRead: bare(0), bareReply: bare(ACK_BYTES) };
  // One warm-up of each, then rounds in alternating order.
  for (const run of Object.values(cases)) await run();
  for (let round = 0; round < ROUNDS; round += 1) {
    const order =
      round % 2 === 0
        ? ['fastNode', 'fastWeb', 'bareReply', 'bareRead', 'emuNode', 'emuWeb']
        : ['bareRead', 'bareReply', 'fastWeb', 'fastNode', 'emuWeb', 'emuNode'];
    for (const name of order) rows[name].push(await cases[name]());
    log(
      `round ${round + 1}/${ROUNDS}: fast agent: Node ${fmt(rows.fastNode.at(-1).mbPerS)}, Chromium ${fmt(rows.fastWeb.at(-1).mbPerS)} MB/s ` +
        `(bare ${fmt(rows.bareReply.at(-1).mbPerS)} answering, ${fmt(rows.bareRead.at(-1).mbPerS)} reading); ` +
        `emulator: Node ${fmt(rows.emuNode.at(-1).mbPerS)}, Chromium ${fmt(rows.emuWeb.at(-1).mbPerS)} MB/s`,
    );
  }
} finally {
  await browser.close();
  served.server.close();
  await agent.close();
  await emulator.close();
}

const med = (list, key) => median(list.map((r) => r[key]));
const line = (what, node, web) =>
  `| ${what} | ${fmt(med(node, 'mbPerS'))} | ${fmt(med(web, 'mbPerS'))} | ${fmt(med(web, 'mbPerS') / med(node, 'mbPerS'), 2)}× | ${fmt(med(node, 'cpuMsPerMB'), 2)} | ${fmt(med(web, 'cpuMsPerMB'), 2)} |`;
const table = [
  '| output, 1 KiB messages, from | Node `connectDataChannel` (MB/s) | Chromium `connectWebDataChannel` (MB/s) | Chromium vs Node | Node CPU per MB (ms) | Chromium main thread per MB (ms) |',
  '|---|---:|---:|---:|---:|---:|',
  line(
    `the benchmark's fast agent (${fmt((FAST_MESSAGES * PAYLOAD) / 1e6, 0)} MB per run)`,
    rows.fastNode,
    rows.fastWeb,
  ),
  line(
    `the agent emulator, \`source\` mode (${fmt(EMULATOR_BYTES / 1e6, 0)} MB per run)`,
    rows.emuNode,
    rows.emuWeb,
  ),
].join('\n');
const ratios = (name) => {
  const perRound = rows.fastWeb.map((r, i) => r.mbPerS / rows[name][i].mbPerS);
  return fmt(median(perRound), 2);
};
const ceilingLine = (what, name) =>
  `| ${what} | ${fmt(med(rows[name], 'mbPerS'))} | ${fmt(med(rows[name], 'cpuMsPerMB'), 2)} | ${ratios(name)}× |`;
const ceiling = [
  `| ceiling: a bare Chromium \`WebSocket\` (no protocol) reading the fast agent's frames | MB/s (payload) | main thread per MB (ms) | \`connectWebDataChannel\` vs this |`,
  '|---|---:|---:|---:|',
  ceilingLine(`answers each message with one ${ACK_BYTES}-byte binary message (an ack's size)`, 'bareReply'),
  ceilingLine('sends nothing', 'bareRead'),
].join('\n');
const where = `${machine()}, Chromium ${chromiumVersion} (headless); medians of ${ROUNDS} alternating rounds`;
log(`\n${table}\n\n${ceiling}\n\n${where}`);

writeReadmeBlock(
  'web-bench',
  'Browser throughput (`bench/web/throughput.js`)',
  `${table}\n\n${ceiling}\n\n${where}; ratios to the ceiling are medians of the per-round ratios`,
);
