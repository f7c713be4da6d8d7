// Memory cases, run by run.js in a process of their own started with --expose-gc (so the heap holds only
// what these cases create): the heap of 1,000 idle channels, and the RSS of a channel whose reader has
// stalled while the agent offers 200 MB. Sends its figures to the parent over IPC, then exits.
//
//   node --expose-gc bench/channel/memory.js      (prints the figures as JSON when run alone)
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgentProcess } from './agent-process.js';
import { closeChannel, openIdleChannel, openStalledChannel } from './cases.js';

const IDLE_CHANNELS = Number(process.env.BENCH_IDLE_CHANNELS ?? 1000);
const STALL_MB = Number(process.env.BENCH_STALL_MB ?? 200);
const STALL_WINDOW_MS = Number(process.env.BENCH_STALL_WINDOW_MS ?? 3000);
const BATCH = 50;

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

async function collect() {
  for (let i = 0; i < 4; i += 1) {
    globalThis.gc();
    await sleep(10);
  }
  return process.memoryUsage();
}

async function idleChannels(agent) {
  // Warm-up: load and compile everything a channel uses, so that only per-channel memory is counted.
  for (const c of await Promise.all(Array.from({ length: 20 }, () => openIdleChannel(agent))))
    await closeChannel(c);
  const before = await collect();
  const channels = [];
  try {
    while (channels.length < IDLE_CHANNELS) {
      const n = Math.min(BATCH, IDLE_CHANNELS - channels.length);
      channels.push(...(await Promise.all(Array.from({ length: n }, () => openIdleChannel(agent)))));
    }
    await sleep(200);
    const after = await collect();
    const per = (key) => (after[key] - before[key]) / IDLE_CHANNELS;
    return {
      channels: IDLE_CHANNELS,
      heapPerChannel: per('heapUsed'),
      externalPerChannel: per('external'),
      rssPerChannel: per('rss'),
    };
  } finally {
    await Promise.all(channels.map(closeChannel));
  }
}

async function stalledReader(agent) {
  const payload = 1024;
  const messages = Math.ceil((STALL_MB * 1e6) / payload);
  const before = await collect();
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const { id, channel, offered } = await openStalledChannel(agent, { messages, payload });
  try {
    const failed = new Promise((_, reject) => channel.once('error', reject));
    // The sender either gets all of it out (a client that reads and drops) or blocks on TCP backpressure.
    const all = await Promise.race([
      offered.then(() => true),
      failed,
      sleep(STALL_WINDOW_MS).then(() => false),
    ]);
    const offerMs = performance.now() - t0;
    // Let the client finish the frames still in its socket.
    await sleep(500);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    clearInterval(sampler);
    const rssGrowth = peakRss - before.rss;
    const stats = channel.stats();
    const agentView = await agent.query(id);
    const frames = agentView?.framesSent ?? 0;
    const buffered = channel.readableLength;
    // Start reading: what was delivered, plus what was kept (and acked) beyond the budget, comes out.
    let readAfter = 0;
    channel.on('data', (chunk) => {
      readAfter += chunk.length;
    });
    await sleep(300);
    return {
      offeredBytes: messages * payload,
      writtenBytes: frames * payload,
      senderBlocked: !all,
      offerMs,
      rssGrowth,
      bufferedBytes: buffered,
      deliveredBytes: stats.bytesIn,
      ackedMessages: agentView?.acks ?? -1,
      readAfterResume: readAfter,
    };
  } finally {
    clearInterval(sampler);
    await closeChannel(channel);
  }
}

const agent = await startAgentProcess({ lifetimeMs: 300_000 });
let result;
try {
  result = { idle: await idleChannels(agent), stall: await stalledReader(agent) };
} finally {
  await agent.close();
}
if (process.send) process.send(result);
else console.log(JSON.stringify(result, null, 2));
