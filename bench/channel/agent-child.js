// The benchmark's agent, run as a child process (started by agent-process.js) so that the client under
// test has its own process: a minimal `ws` server on 127.0.0.1 that speaks just enough of the agent side.
// It waits for the client's first text frame (OpenDataChannel, or any text from a bare client), then, by
// URL path:
//   /blast?id&messages=N&payload=1024  N pre-encoded output_stream_data frames, seq 0..N-1, written straight
//                                      to the socket in 64 KiB chunks with TCP backpressure; acks counted
//                                      and otherwise ignored (no retransmission)
//   /sink?id&verify=1                  acks every input_stream_data, counts (and hashes) its payload
//   /echo?id                           acks input and sends each Output payload back as output
//   /idle?id                           one output frame (a prompt) to start the session, then nothing
//   /bare-sink?id&bytes=N&verify=1     raw bytes, no protocol: counts binary messages, text 'done' at N
//   /bare-echo?id                      raw bytes, no protocol: sends each binary message back (text ignored)
// IPC to the parent: { type: 'ready', port }, { type: 'blast-done', id, frames }, and { type: 'result' }
// answers to { type: 'query', reqId, id }. It exits on { type: 'stop' }, when the parent goes away, or
// after argv[2] ms (default 600000) whatever happens.
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';
import {
  ackFrame,
  buildRing,
  HEADER,
  outputFrame,
  patchSeq,
  readPayloadType,
  readSeq,
  readType,
} from './wire.js';

const FRAMES_PER_CHUNK = 56;
const RING_CHUNKS = 8;
const lifetime = setTimeout(() => process.exit(3), Number(process.argv[2] ?? 600_000));
lifetime.unref();
process.on('disconnect', () => process.exit(0));

/** Per-connection figures, by the `id` the client put in its URL. */
const results = new Map();
/** Idle pre-encoded rings by payload size (one per concurrent blast; only seq bytes are patched). */
const rings = new Map();

function takeRing(payloadSize) {
  const free = rings.get(payloadSize) ?? [];
  rings.set(payloadSize, free);
  return free.pop() ?? buildRing({ payloadSize, framesPerChunk: FRAMES_PER_CHUNK, chunks: RING_CHUNKS });
}

function giveRing(payloadSize, ring) {
  rings.get(payloadSize).push(ring);
}

function blast(ws, result, messages, payloadSize) {
  const socket = ws._socket;
  const ring = takeRing(payloadSize);
  let sent = 0;
  let chunk = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    giveRing(payloadSize, ring);
    result.framesSent = sent;
    process.send?.({ type: 'blast-done', id: result.id, frames: sent });
  };
  const pump = () => {
    while (sent < messages && !socket.destroyed) {
      const n = Math.min(ring.framesPerChunk, messages - sent);
      const first = (chunk % ring.chunks) * ring.framesPerChunk;
      for (let k = 0; k < n; k += 1) patchSeq(ring, first + k, sent + k);
      sent += n;
      chunk += 1;
      // A chunk is patched again only RING_CHUNKS chunks later; a write over the high-water mark waits for
      // 'drain', by which time the kernel has every earlier byte, so no queued byte is ever patched.
      const view = ring.buffer.subarray(first * ring.stride, (first + n) * ring.stride);
      result.framesSent = sent;
      if (!socket.write(view)) {
        socket.once('drain', pump);
        return;
      }
    }
    finish();
  };
  socket.once('close', finish);
  pump();
}

/** `acknowledge` (a cheap first look at the MessageType field, bytes 4..). */
function isAck(data) {
  return data.length > 120 && data[4] === 0x61 && data[5] === 0x63 && readType(data) === 'acknowledge';
}

function onAgentFrame(ws, result, data, echo) {
  if (isAck(data)) {
    result.acks += 1;
    return;
  }
  if (readType(data) !== 'input_stream_data') return;
  const seq = readSeq(data);
  // The ack and the echo leave in one segment: the agent side costs one system call per input frame.
  ws._socket.cork();
  ws.send(ackFrame(data));
  process.nextTick(() => ws._socket.uncork());
  if (seq < result.expectedSeq) {
    result.duplicates += 1;
    return;
  }
  if (seq > result.expectedSeq) result.gaps += 1;
  result.expectedSeq = seq + 1;
  result.inputMessages += 1;
  if (readPayloadType(data) !== 1) return;
  const payload = data.subarray(HEADER);
  result.inputBytes += payload.length;
  result.hash?.update(payload);
  if (echo) ws.send(outputFrame(result.outSeq++, payload));
}

function serve(ws, url) {
  const id = url.searchParams.get('id') ?? 'anonymous';
  const verify = url.searchParams.get('verify') === '1';
  const result = {
    id,
    mode: url.pathname.slice(1),
    framesSent: 0,
    acks: 0,
    inputMessages: 0,
    inputBytes: 0,
    duplicates: 0,
    gaps: 0,
    expectedSeq: 0,
    outSeq: 0,
    closed: false,
    hash: verify ? createHash('sha256') : undefined,
  };
  results.set(id, result);
  ws.on('close', () => {
    result.closed = true;
  });
  ws.on('error', () => undefined);
  ws.once('message', (_open, isBinary) => {
    if (isBinary) {
      ws.close(1008, 'expected a text frame first');
      return;
    }
    switch (result.mode) {
      case 'blast': {
        ws.on('message', (data) => {
          if (isAck(data)) result.acks += 1;
        });
        blast(
          ws,
          result,
          Number(url.searchParams.get('messages')),
          Number(url.searchParams.get('payload') ?? 1024),
        );
        return;
      }
      case 'sink':
      case 'echo':
      case 'idle': {
        const echo = result.mode === 'echo';
        ws.on('message', (data, binary) => {
          if (binary) onAgentFrame(ws, result, data, echo);
        });
        ws.send(outputFrame(result.outSeq++, Buffer.from('$ ')));
        return;
      }
      case 'bare-echo':
        ws.on('message', (data, binary) => {
          if (binary) ws.send(data, { binary });
        });
        return;
      case 'bare-sink': {
        const bytes = Number(url.searchParams.get('bytes'));
        ws.on('message', (data) => {
          result.inputBytes += data.length;
          result.inputMessages += 1;
          result.hash?.update(data);
          if (result.inputBytes >= bytes) ws.send('done');
        });
        return;
      }
      default:
        ws.close(1008, 'unknown mode');
    }
  });
}

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  maxPayload: 1 << 20,
});
server.on('connection', (ws, request) => serve(ws, new URL(request.url ?? '/', 'ws://127.0.0.1')));
server.on('listening', () => process.send?.({ type: 'ready', port: server.address().port }));

process.on('message', (message) => {
  if (message?.type === 'stop') {
    for (const client of server.clients) client.terminate();
    server.close(() => process.exit(0));
    return;
  }
  if (message?.type === 'query') {
    const r = results.get(message.id);
    const { hash, ...rest } = r ?? {};
    const result = r === undefined ? undefined : { ...rest, sha256: hash?.copy().digest('hex') };
    process.send?.({ type: 'result', reqId: message.reqId, result });
  }
});
