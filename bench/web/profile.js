// Where the page's main thread spends its time while connectWebDataChannel reads output in headless
// Chromium: a V8 CPU profile (DevTools protocol, Profiler domain) of one stream from the benchmark's fast
// agent, summarised as self time per function and per message. The page is bundled unminified so that the
// names are readable. Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and a build.
//
//   node bench/web/profile.js   (PROFILE_CASE=channel or bare, PROFILE_REPLY_BYTES=299, PROFILE_MESSAGES=8000,
//                                PROFILE_INTERVAL_US=50, PROFILE_TOP=30,
//                                PROFILE_OUT=file.cpuprofile to keep the raw profile for DevTools,
//                                PROFILE_DEVTOOLS_NETWORK=1 to profile with DevTools' Network domain on)
import { writeFileSync } from 'node:fs';
import { startAgentProcess } from '../channel/agent-process.js';
import { launchChromium } from './chromium.js';
import { servePage } from './page-server.js';

const MESSAGES = Number(process.env.PROFILE_MESSAGES ?? 8000);
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US ?? 50);
const TOP = Number(process.env.PROFILE_TOP ?? 30);
const PAYLOAD = 1024;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** `channel` (connectWebDataChannel), or `bare` (a bare WebSocket answering each message with REPLY_BYTES). */
const CASE = process.env.PROFILE_CASE ?? 'channel';
/** The size of the bare answer: an ack frame's (120-byte header, 179 bytes of JSON); 0 for none. */
const REPLY_BYTES = Number(process.env.PROFILE_REPLY_BYTES ?? 299);

const { url: pageUrl, server } = await servePage({ minify: false });

const agent = await startAgentProcess({ lifetimeMs: 300_000 });
const browser = await launchChromium(CHROMIUM);
try {
  const page = await browser.newPage(pageUrl);
  await page.waitForTitle('ready');
  // What Playwright (and an open DevTools window) does: every WebSocket message is reported to DevTools.
  if (process.env.PROFILE_DEVTOOLS_NETWORK === '1') await page.send('Network.enable');
  let ids = 0;
  const read = (messages) => {
    const url = agent.url(`/blast?id=prof-${ids++}&messages=${messages}&payload=${PAYLOAD}`);
    return CASE === 'bare'
      ? page.evaluate((u, m, p, r) => globalThis.readBare(u, m, p, r), url, messages, PAYLOAD, REPLY_BYTES)
      : page.evaluate((u, n) => globalThis.readOutput(u, 'bench-token', n), url, messages * PAYLOAD);
  };
  await read(2000); // warm-up: let V8 optimise before sampling
  await page.send('Profiler.enable');
  await page.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  await page.send('Profiler.start');
  const result = await read(MESSAGES);
  const { profile } = await page.send('Profiler.stop');
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));

  // Self time per node from the samples and their time deltas.
  const self = new Map();
  for (const [i, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url === '' ? '' : ` ${url.split('/').pop()}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${file}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const idle = byFunction.get('(idle)') ?? 0;
  const busy = total - idle;
  const fmt = (us) => (us / MESSAGES).toFixed(2).padStart(8);
  console.log(
    `${CASE}${CASE === 'bare' ? ` (reply ${REPLY_BYTES} B)` : ''}: ${MESSAGES} messages of ${PAYLOAD} B at ${result.mbPerS.toFixed(1)} MB/s; profile ${(total / 1000).toFixed(0)} ms, ` +
      `busy ${(busy / 1000).toFixed(0)} ms = ${(busy / MESSAGES).toFixed(1)} µs per message, idle ${((100 * idle) / total).toFixed(0)}%`,
  );
  console.log(' µs/msg  share  self time of');
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [key, us] of rows) {
    if (key === '(idle)') continue;
    console.log(`${fmt(us)} ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
  }
} finally {
  await browser.close();
  server.close();
  await agent.close();
}
