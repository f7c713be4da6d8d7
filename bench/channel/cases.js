// The measured cases: each one runs our data channel (`connectDataChannel`) or a bare `ws` client against
// the agent process (agent-process.js), returns its figures, and never leaves a socket or timer behind:
// every case has a deadline that destroys its connection and rejects.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connectDataChannel } from 'ssm-channel';
import { WebSocket } from 'ws';
import { expectedStreamHash, HEADER } from './wire.js';

const TOKEN = 'bench-token';
/** Frames in the sender's ring (agent-child.js: 56 per chunk, 8 chunks). */
export const RING_FRAMES = 56 * 8;
let ids = 0;
const nextId = (what) => `${what}-${process.pid}-${ids++}`;

/** Runs `body(abortSignal)` with a deadline; `cleanup` always runs afterwards. */
async function bounded(what, timeoutMs, body, cleanup) {
  const controller = new AbortController();
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${what} did not finish within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([body(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

function connectOurs(agent, path, signal, options = {}) {
  return connectDataChannel({ streamUrl: agent.url(path), tokenValue: TOKEN, signal, ...options });
}

function openBare(agent, path) {
  const ws = new WebSocket(agent.url(path), { perMessageDeflate: false });
  ws.on('error', () => undefined);
  return ws;
}

async function closeBare(ws) {
  if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
  const closed = once(ws, 'close');
  ws.terminate();
  await closed;
}

async function closeOurs(channel) {
  if (channel === undefined) return;
  channel.destroy();
  await channel.whenClosed;
}

/** Waits until the agent saw connection `id` close, and returns its figures. */
async function finalResult(agent, id) {
  for (let i = 0; i < 100; i += 1) {
    const result = await agent.query(id);
    if (result?.closed) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the agent never saw connection ${id} close`);
}

/**
 * Output throughput: the agent blasts `messages` pre-encoded frames of `payload` bytes; the rate is taken
 * from the first to the last byte read. With `verify`, the stream's SHA-256 and the agent's ack count
 * (one per message) are checked too (hashing slows the reader, so timed runs leave it off).
 */
export async function outputOurs(agent, { messages, payload = 1024, verify = false, timeoutMs = 60_000 }) {
  const id = nextId('out');
  let channel;
  return bounded(
    'output throughput (ours)',
    timeoutMs,
    async (signal) => {
      channel = await connectOurs(agent, `/blast?id=${id}&messages=${messages}&payload=${payload}`, signal);
      const total = messages * payload;
      const hash = verify ? createHash('sha256') : undefined;
      const timing = await new Promise((resolve, reject) => {
        let got = 0;
        let first = 0;
        let t0 = 0;
        let c0;
        channel.on('data', (chunk) => {
          if (got === 0) {
            t0 = performance.now();
            c0 = process.cpuUsage();
            first = chunk.length;
          }
          got += chunk.length;
          hash?.update(chunk);
          if (got >= total) resolve({ t0, t1: performance.now(), cpu: process.cpuUsage(c0), got, first });
        });
        channel.once('error', reject);
        channel.once('end', () => reject(new Error(`the output ended after ${got} of ${total} bytes`)));
      });
      const figures = rate(timing);
      if (!verify) return figures;
      // The last ack goes out right after the last 'data' event: close after it.
      await new Promise((resolve) => setImmediate(resolve));
      await closeOurs(channel);
      const result = await finalResult(agent, id);
      return {
        ...figures,
        bytes: timing.got,
        streamOk: hash.digest('hex') === expectedStreamHash(messages, payload, RING_FRAMES),
        acks: result.acks,
        acksOk: result.acks === messages,
      };
    },
    () => closeOurs(channel),
  );
}

/** The same blast read by a bare `ws` client (counts payload bytes; sends no acks). */
export async function outputBare(agent, { messages, payload = 1024, timeoutMs = 60_000 }) {
  const id = nextId('out-bare');
  let ws;
  return bounded(
    'output throughput (bare ws)',
    timeoutMs,
    async () => {
      ws = openBare(agent, `/blast?id=${id}&messages=${messages}&payload=${payload}`);
      const total = messages * payload;
      const timing = await new Promise((resolve, reject) => {
        let got = 0;
        let first = 0;
        let t0 = 0;
        let c0;
        ws.once('open', () => ws.send('{"bare":true}'));
        ws.on('message', (data) => {
          const n = data.length - HEADER;
          if (got === 0) {
            t0 = performance.now();
            c0 = process.cpuUsage();
            first = n;
          }
          got += n;
          if (got >= total) resolve({ t0, t1: performance.now(), cpu: process.cpuUsage(c0), got, first });
        });
        ws.once('close', () => reject(new Error(`the blast ended after ${got} of ${total} bytes`)));
      });
      return rate(timing);
    },
    () => closeBare(ws),
  );
}

/**
 * MB/s of payload from the first to the last byte read, and the CPU time this process spent per MB meanwhile
 * (user + system, ms per 10^6 bytes): unlike the rate, it hardly moves when other work shares the machine.
 */
function rate({ t0, t1, cpu, got, first }) {
  const ms = t1 - t0;
  const mb = (got - first) / 1e6;
  return {
    mbPerS: (mb / ms) * 1000,
    ms,
    cpuMsPerMB: cpu === undefined ? undefined : (cpu.user + cpu.system) / 1000 / mb,
  };
}

/** `bytes` of a fixed pattern, in `chunk`-byte pieces. */
function inputPattern(chunk) {
  const data = Buffer.allocUnsafe(chunk);
  for (let i = 0; i < chunk; i += 1) data[i] = (i * 29 + (i >> 10)) & 0xff;
  return data;
}

function inputHash(bytes, chunk) {
  const data = inputPattern(chunk);
  const hash = createHash('sha256');
  for (let done = 0; done < bytes; done += chunk)
    hash.update(data.subarray(0, Math.min(chunk, bytes - done)));
  return hash.digest('hex');
}

/**
 * Input throughput: `bytes` written in `chunk`-byte writes (honouring `write()`'s backpressure), timed
 * until `end()` completes, i.e. until the agent acknowledged every byte.
 */
export async function inputOurs(agent, { bytes, chunk = 64 * 1024, verify = false, timeoutMs = 60_000 }) {
  const id = nextId('in');
  let channel;
  return bounded(
    'input throughput (ours)',
    timeoutMs,
    async (signal) => {
      channel = await connectOurs(agent, `/sink?id=${id}&verify=${verify ? 1 : 0}`, signal);
      channel.resume();
      const data = inputPattern(chunk);
      const failed = new Promise((_, reject) => channel.once('error', reject));
      const t0 = performance.now();
      const write = async () => {
        for (let done = 0; done < bytes; done += chunk) {
          if (!channel.write(data.subarray(0, Math.min(chunk, bytes - done)))) await once(channel, 'drain');
        }
        await new Promise((resolve, reject) => channel.end((error) => (error ? reject(error) : resolve())));
      };
      await Promise.race([write(), failed]);
      const ms = performance.now() - t0;
      const figures = { mbPerS: bytes / ms / 1000, ms };
      if (!verify) return figures;
      await closeOurs(channel);
      const result = await finalResult(agent, id);
      return {
        ...figures,
        received: result.inputBytes,
        streamOk: result.inputBytes === bytes && result.sha256 === inputHash(bytes, chunk),
        duplicates: result.duplicates,
      };
    },
    () => closeOurs(channel),
  );
}

/** The same bytes sent by a bare `ws` client as `messageBytes`-byte binary messages to a counting sink. */
export async function inputBare(
  agent,
  { bytes, chunk = 64 * 1024, messageBytes = 1024, timeoutMs = 60_000 },
) {
  const id = nextId('in-bare');
  let ws;
  return bounded(
    'input throughput (bare ws)',
    timeoutMs,
    async () => {
      ws = openBare(agent, `/bare-sink?id=${id}&bytes=${bytes}`);
      const closed = once(ws, 'close').then(() => {
        throw new Error('the bare sink closed early');
      });
      await Promise.race([once(ws, 'open'), closed]);
      const done = Promise.race([once(ws, 'message'), closed]);
      ws.send('{"bare":true}');
      const data = inputPattern(chunk);
      const socket = ws._socket;
      const t0 = performance.now();
      for (let sent = 0; sent < bytes; ) {
        const end = Math.min(sent + chunk, bytes);
        for (let at = sent; at < end; at += messageBytes) {
          ws.send(data.subarray(at - sent, Math.min(at + messageBytes, end) - sent), { binary: true });
        }
        sent = end;
        if (ws.bufferedAmount > 256 * 1024) await Promise.race([once(socket, 'drain'), closed]);
      }
      await done;
      const ms = performance.now() - t0;
      return { mbPerS: bytes / ms / 1000, ms };
    },
    () => closeBare(ws),
  );
}

/**
 * An echo session for keystroke latency: `sample(n)` writes one byte n times, each after the previous
 * one came back, and returns the round-trip times in ms: from the write to the 'data' event (the moment a
 * reader sees the byte; the event handler takes the time).
 */
export async function openEchoOurs(agent, { timeoutMs = 10_000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('echo session setup timed out')), timeoutMs);
  const channel = await connectOurs(agent, `/echo?id=${nextId('echo')}`, controller.signal).finally(() =>
    clearTimeout(timer),
  );
  let waiter;
  let skip = 2; // the "$ " prompt that started the session
  channel.on('data', (chunk) => {
    const n = Math.min(skip, chunk.length);
    skip -= n;
    if (chunk.length > n) waiter?.(chunk.length - n, performance.now());
  });
  const failure = new Promise((_, reject) => channel.once('error', reject));
  failure.catch(() => undefined);
  return {
    sample: (count, sampleTimeoutMs = 30_000) =>
      roundTrips(count, sampleTimeoutMs, failure, (byte, arrived) => {
        waiter = arrived;
        channel.write(byte);
      }),
    close: () => closeOurs(channel),
  };
}

/** The bare `ws` echo round trip, for comparison. */
export async function openEchoBare(agent, { timeoutMs = 10_000 } = {}) {
  const ws = openBare(agent, `/bare-echo?id=${nextId('echo-bare')}`);
  const closed = once(ws, 'close').then(() => {
    throw new Error('the bare echo closed');
  });
  closed.catch(() => undefined);
  let timer;
  try {
    await Promise.race([
      once(ws, 'open'),
      closed,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('bare echo setup timed out')), timeoutMs);
      }),
    ]);
  } catch (error) {
    await closeBare(ws);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  ws.send('{"bare":true}');
  let waiter;
  ws.on('message', (data) => waiter?.(data.length, performance.now()));
  return {
    sample: (count, sampleTimeoutMs = 30_000) =>
      roundTrips(count, sampleTimeoutMs, closed, (byte, arrived) => {
        waiter = arrived;
        ws.send(byte, { binary: true });
      }),
    close: () => closeBare(ws),
  };
}

async function roundTrips(count, timeoutMs, failure, send) {
  const samples = [];
  const keys = Buffer.from('abcdefghijklmnopqrstuvwxyz');
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`echo round trips did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    for (let i = 0; i < count; i += 1) {
      const byte = keys.subarray(i % keys.length, (i % keys.length) + 1);
      const t0 = performance.now();
      let t1 = 0;
      const back = new Promise((resolve) =>
        send(byte, (bytes, at) => {
          t1 = at;
          resolve(bytes);
        }),
      );
      const n = await Promise.race([back, failure, deadline]);
      samples.push(t1 - t0);
      if (n !== 1) throw new Error(`expected 1 byte back, got ${n}`);
    }
    return samples;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An idle channel for the memory case: connected, started by the agent's prompt (read and dropped), then
 * nothing. Returns the channel; close it with `closeChannel`.
 */
export async function openIdleChannel(agent, { timeoutMs = 10_000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('idle channel setup timed out')), timeoutMs);
  try {
    const channel = await connectOurs(agent, `/idle?id=${nextId('idle')}`, controller.signal);
    channel.resume();
    return channel;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A channel whose reader never reads, offered `messages` output frames by a sender that ignores acks.
 * Returns the channel and a promise of the frames written once the sender has written them all.
 */
export async function openStalledChannel(agent, { messages, payload = 1024, timeoutMs = 10_000 }) {
  const id = nextId('stall');
  const offered = agent.whenBlastDone(id);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('stalled channel setup timed out')), timeoutMs);
  try {
    const channel = await connectOurs(
      agent,
      `/blast?id=${id}&messages=${messages}&payload=${payload}`,
      controller.signal,
    );
    return { id, channel, offered };
  } finally {
    clearTimeout(timer);
  }
}

/** Destroys a channel and waits until it released its socket. */
export const closeChannel = closeOurs;

/** The `q`-quantile (0..1) of `values`. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at];
}

export function median(values) {
  return quantile(values, 0.5);
}
