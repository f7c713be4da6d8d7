// Many channels at once: `count` data channels against agent emulators in another process, all busy at the
// same time (each writes `bytes` bytes and reads them back echoed, SHA-256 checked). Measures the time to open
// and to close them all, the heap per open channel, and the event-loop delay while they run.
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectDataChannel } from 'ssm-channel';
import WebSocket from 'ws';
import { startAgentProcess } from './agent-process.js';
import { startEmulatorProcess } from './emulator-process.js';

const CHUNK = 4096;
/** The channel carries input and output in messages of at most 1 KiB; the bare client sends the same. */
const MESSAGE = 1024;
/** Channels being opened at once. */
const OPEN_PARALLEL = 100;
/** The event-loop delay is sampled by a 1 ms timer; what it records past that is the delay. */
const SAMPLE_MS = 1;

/** A percentile of the delay histogram, in ms past the sampling interval. */
function lagMs(histogram, percentile) {
  const value = percentile === 'max' ? histogram.max : histogram.percentile(percentile);
  return Math.max(0, value / 1e6 - SAMPLE_MS);
}

/** The garbage collector, without --expose-gc on the command line. */
function collector() {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}

/** `bytes` of a pattern that differs per channel. */
function pattern(index, bytes) {
  const data = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i += 1) data[i] = (i * 31 + index * 7 + (i >> 12)) & 0xff;
  return data;
}

/**
 * Echoes `data` through `channel` a chunk at a time, each written once the previous one came back (a busy
 * interactive channel rather than one bulk write), and resolves with the SHA-256 of all that came back.
 */
function echoThrough(channel, data) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let received = 0;
    let sent = 0;
    const next = () => {
      const chunk = data.subarray(sent, sent + CHUNK);
      sent += chunk.length;
      channel.write(chunk);
    };
    channel.on('data', (chunk) => {
      hash.update(chunk);
      received += chunk.length;
      if (received >= data.length) resolve({ received, sha256: hash.digest('hex') });
      else if (received === sent) next();
    });
    channel.once('error', reject);
    next();
  });
}

/** {@link echoThrough} for a bare `ws` client: each 4 KiB chunk goes as 1 KiB messages, as the channel's do. */
function bareEchoThrough(ws, data) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let sent = 0;
    let received = 0;
    const next = () => {
      const end = Math.min(sent + CHUNK, data.length);
      for (let at = sent; at < end; at += MESSAGE) ws.send(data.subarray(at, Math.min(at + MESSAGE, end)));
      sent = end;
    };
    ws.on('message', (chunk) => {
      hash.update(chunk);
      received += chunk.length;
      if (received >= data.length) resolve(hash.digest('hex'));
      else if (received === sent) next();
    });
    ws.once('close', () => reject(new Error('a bare echo closed early')));
    next();
  });
}

/** Runs `make(i)` for i in 0..count-1, `parallel` at a time; resolves with the results in order. */
async function inWaves(count, parallel, make) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

/**
 * @param {{ count: number, bytes: number, timeoutMs?: number }} options
 * @returns the figures of one run; throws when a channel fails or a stream comes back wrong.
 */
export async function manyChannels({ count, bytes, timeoutMs = 300_000 }) {
  const gc = collector();
  const emulators = await startEmulatorProcess(count, { mode: 'echo', handshake: true });
  const delay = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  const channels = [];
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    delay.enable();
    let t = performance.now();
    // Opened OPEN_PARALLEL at a time, as a fleet tool would.
    const opened = await inWaves(count, OPEN_PARALLEL, async (i) => {
      const s = emulators.sessions[i];
      const channel = await connectDataChannel({
        streamUrl: s.url,
        tokenValue: s.tokenValue,
        signal: deadline,
      });
      channels.push(channel);
      return channel;
    });
    const openMs = performance.now() - t;
    delay.disable();
    gc();
    const heapPerChannel = (process.memoryUsage().heapUsed - heapBefore) / count;
    const openDelay = { p99: lagMs(delay, 99), max: lagMs(delay, 'max') };

    // The data and its digests are made before the clock starts: only the channels' work is measured.
    const inputs = opened.map((_, i) => pattern(i, bytes));
    const wanted = inputs.map((input) => createHash('sha256').update(input).digest('hex'));
    delay.reset();
    delay.enable();
    t = performance.now();
    const results = await Promise.all(opened.map((channel, i) => echoThrough(channel, inputs[i])));
    const busyMs = performance.now() - t;
    delay.disable();
    const busyDelay = { p50: lagMs(delay, 50), p99: lagMs(delay, 99), max: lagMs(delay, 'max') };
    // Nothing is lost on loopback: every retransmission is one whose ack came later than the timeout.
    const retransmissions = opened.reduce((n, channel) => n + channel.stats().retransmissions, 0);
    let intact = 0;
    for (let i = 0; i < count; i += 1) {
      if (results[i].received === bytes && results[i].sha256 === wanted[i]) intact += 1;
    }

    delay.reset();
    delay.enable();
    t = performance.now();
    await Promise.all(
      opened.map((channel) => {
        channel.destroy();
        return channel.whenClosed;
      }),
    );
    const closeMs = performance.now() - t;
    delay.disable();
    const stats = await emulators.stats();
    const agentIn = stats.reduce((n, s) => n + s.inputBytes, 0);
    return {
      count,
      bytes,
      openMs,
      busyMs,
      closeMs,
      mbPerS: (2 * count * bytes) / busyMs / 1000,
      heapPerChannel,
      intact,
      retransmissions,
      agentInputOk: agentIn === count * bytes,
      openDelay,
      busyDelay,
      closeDelayMax: lagMs(delay, 'max'),
    };
  } finally {
    delay.disable();
    for (const channel of channels) channel.destroy();
    await emulators.close();
  }
}

/**
 * The ceiling: the same pattern (`count` connections from this process, all busy, each echoing `bytes` in
 * 4 KiB round trips of 1 KiB messages) with bare `ws` clients and a bare echo in another process: no
 * protocol, no acks, no digests. Reports the time for all to echo and the event-loop delay meanwhile.
 * @param {{ count: number, bytes: number, timeoutMs?: number }} options
 */
export async function manyBareSockets({ count, bytes, timeoutMs = 300_000 }) {
  const agent = await startAgentProcess();
  const sockets = [];
  const delay = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  try {
    await inWaves(count, OPEN_PARALLEL, async (i) => {
      const ws = new WebSocket(agent.url(`/bare-echo?id=many-${i}`), { perMessageDeflate: false });
      sockets.push(ws);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      // The bare echo starts on the first text frame.
      ws.send('{"bare":true}');
    });
    const inputs = sockets.map((_, i) => pattern(i, bytes));
    const wanted = inputs.map((input) => createHash('sha256').update(input).digest('hex'));
    let timer;
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the bare echoes took over ${timeoutMs} ms`)), timeoutMs);
    });
    delay.enable();
    const t = performance.now();
    const echoes = Promise.all(sockets.map((ws, i) => bareEchoThrough(ws, inputs[i])));
    const digests = await Promise.race([timedOut, echoes]).finally(() => clearTimeout(timer));
    const busyMs = performance.now() - t;
    delay.disable();
    return {
      count,
      bytes,
      busyMs,
      mbPerS: (2 * count * bytes) / busyMs / 1000,
      intact: digests.filter((digest, i) => digest === wanted[i]).length,
      busyDelay: { p50: lagMs(delay, 50), p99: lagMs(delay, 99), max: lagMs(delay, 'max') },
    };
  } finally {
    delay.disable();
    for (const ws of sockets) ws.terminate();
    await agent.close();
  }
}
