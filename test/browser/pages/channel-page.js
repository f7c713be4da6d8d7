// The test page of channel-in-chromium.test.ts, bundled by esbuild for browsers: `ssm-channel` resolves to
// its browser build. Each function runs in the page and returns plain data for the test to compare.
import * as ssm from 'ssm-channel';
import messages from '../../../packages/ssm-channel/test/fixtures/messages.json';
import payloads from '../../../packages/ssm-channel/test/fixtures/payloads.json';

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const errorCode = (error) => error?.code ?? `${error?.name}: ${error?.message}`;

const DECODERS = Object.entries(ssm)
  .filter(
    ([name, value]) =>
      name.startsWith('decode') && name !== 'decodeAgentMessage' && typeof value === 'function',
  )
  .sort(([a], [b]) => a.localeCompare(b));

/** Every golden vector through the codec of this page: decode, encode, round trip, digest, payload codecs. */
async function runVectors() {
  const out = { messages: [], payloads: [], digests: [] };
  for (const v of messages.vectors) {
    const f = v.fields;
    try {
      const m = ssm.decodeAgentMessage(fromHex(v.hex));
      const encoded = ssm.encodeAgentMessage({
        messageType: f.messageType,
        schemaVersion: f.schemaVersion,
        createdDate: f.createdDate,
        sequenceNumber: f.sequenceNumber,
        flags: f.flags,
        messageId: f.messageId,
        payloadType: f.payloadType,
        payload: fromHex(f.payloadHex),
      });
      const again = ssm.decodeAgentMessage(ssm.encodeAgentMessage(m));
      out.messages.push({
        id: v.id,
        decoded: { ...m, payload: hex(m.payload), payloadDigest: hex(m.payloadDigest) },
        encodedHex: hex(encoded),
        roundTripHex: hex(ssm.encodeAgentMessage(again)),
      });
    } catch (error) {
      out.messages.push({ id: v.id, error: errorCode(error) });
    }
    // The digest the codec writes (its SHA-256, @noble/hashes here) against the browser's own (WebCrypto).
    const payload = fromHex(f.payloadHex);
    const frame = ssm.encodeAgentMessage({ messageType: 'x', sequenceNumber: 0, payloadType: 1, payload });
    const native = new Uint8Array(await crypto.subtle.digest('SHA-256', payload));
    out.digests.push({ id: v.id, codec: hex(frame.subarray(80, 112)), webCrypto: hex(native) });
  }
  for (const v of payloads.vectors) {
    if (typeof v.json !== 'string') continue;
    const bytes = new TextEncoder().encode(v.json);
    const outcomes = {};
    for (const [name, decode] of DECODERS) {
      try {
        outcomes[name] = JSON.parse(JSON.stringify(decode(bytes)));
      } catch (error) {
        outcomes[name] = { error: errorCode(error) };
      }
    }
    out.payloads.push({ id: v.id, outcomes });
  }
  return out;
}

function connect(url, token, options = {}) {
  return ssm.connectWebDataChannel({ streamUrl: url, tokenValue: token, ...options });
}

/** Writes text, reads it back, resizes, closes. */
async function echoSession(url, token) {
  const channel = await connect(url, token, { terminalSize: { cols: 91, rows: 31 } });
  const writer = channel.writable.getWriter();
  await writer.write(new TextEncoder().encode('hello from chromium'));
  const reader = channel.readable.getReader();
  let text = '';
  while (text.length < 19) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  channel.resize(120, 40);
  await writer.close();
  const stats = channel.stats();
  channel.close();
  return { text, handshake: channel.session?.handshake, closed: (await channel.closed).reason, stats };
}

/** Reads a whole output stream (after `stallMs` without reading), hashing it with WebCrypto. */
async function readSource(url, token, { stallMs = 0, limits } = {}) {
  const channel = await connect(url, token, limits === undefined ? {} : { limits });
  if (stallMs > 0) await new Promise((resolve) => setTimeout(resolve, stallMs));
  const held = channel.stats().bytesIn;
  const chunks = [];
  let bytes = 0;
  const started = performance.now();
  for await (const chunk of channel.readable) {
    chunks.push(chunk);
    bytes += chunk.length;
  }
  const ms = performance.now() - started;
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', all)));
  return { bytes, sha256, held, ms, closed: (await channel.closed).reason };
}

/** The code a connection attempt fails with (or 'connected'). */
async function connectError(url, token, options = {}) {
  try {
    const channel = await connect(url, token, options);
    const info = await channel.closed;
    return info.error?.code ?? info.reason;
  } catch (error) {
    return errorCode(error);
  }
}

/** Aborts a live channel: how the reader and `closed` see it. */
async function abortSession(url, token) {
  const controller = new AbortController();
  const channel = await connect(url, token, { signal: controller.signal });
  const reading = channel.readable
    .getReader()
    .read()
    .then(
      () => 'read',
      (error) => errorCode(error),
    );
  controller.abort();
  return { reader: await reading, closed: (await channel.closed).reason };
}

/**
 * Sends 8 KiB, then keeps the page busy past every retransmission timeout while the agent's acks arrive:
 * how many frames were resent.
 */
async function busySession(url, token, blockMs) {
  const channel = await connect(url, token);
  const writer = channel.writable.getWriter();
  const reader = channel.readable.getReader();
  const input = new Uint8Array(8 * 1024).fill(0x78);
  void writer.write(input);
  // The frames leave; then a long task of the page's own (a big render, a synchronous parse).
  await new Promise((resolve) => setTimeout(resolve, 0));
  const until = performance.now() + blockMs;
  while (performance.now() < until) {
    // Busy.
  }
  let echoed = 0;
  while (echoed < input.length) {
    const { value, done } = await reader.read();
    if (done) break;
    echoed += value.length;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const stats = channel.stats();
  channel.close();
  await channel.closed;
  return { echoed, messagesOut: stats.messagesOut, retransmissions: stats.retransmissions };
}

Object.assign(globalThis, { runVectors, echoSession, readSource, connectError, abortSession, busySession });
document.title = 'ready';
