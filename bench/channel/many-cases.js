// Many channels at once: `count` data channels against agent emulators in another process, all busy at the
// same time (each writes `bytes` bytes and reads them back echoed, SHA-256 checked). Measures the time to open
// and to close them all, the heap per open channel, and the event-loop delay while they run.
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectDataChannel } from 'ssm-channel';
import { startEmulatorProcess } from './emulator-process.js';

const CHUNK = 4096;
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
