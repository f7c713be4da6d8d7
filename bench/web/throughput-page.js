// The page of throughput.js, bundled for browsers (`ssm-channel` resolves to its browser build): reads a
// whole output stream through connectWebDataChannel as an application would (a reader on `readable`).
import { connectWebDataChannel } from 'ssm-channel';

/** Reads `total` bytes (or to the end); MB/s from the first byte to the last. */
globalThis.readOutput = async (url, tokenValue, total) => {
  const channel = await connectWebDataChannel({ streamUrl: url, tokenValue });
  const reader = channel.readable.getReader();
  let got = 0;
  let first = 0;
  let t0 = 0;
  while (got < total) {
    const { value, done } = await reader.read();
    if (done) break;
    if (got === 0) {
      t0 = performance.now();
      first = value.length;
    }
    got += value.length;
  }
  const ms = performance.now() - t0;
  channel.close();
  await channel.closed;
  return { got, mb: (got - first) / 1e6, ms, mbPerS: (got - first) / 1e3 / ms };
};
document.title = 'ready';

/**
 * The ceiling, no protocol: a bare WebSocket reads `messages` binary messages from the same agent and, when
 * `replyBytes` > 0, answers each with one binary message of that size (what an ack costs the page without
 * building it). MB/s of payload (`payload` bytes per message, the frame's header not counted, as for the
 * channel) from the first message to the last.
 */
globalThis.readBare = (url, messages, payload, replyBytes) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const reply = new Uint8Array(replyBytes);
    let got = 0;
    let t0 = 0;
    ws.onopen = () => ws.send('{"bare":true}');
    ws.onerror = () => reject(new Error('bare WebSocket failed'));
    ws.onclose = () => reject(new Error(`bare WebSocket closed after ${got} of ${messages} messages`));
    let bytes = 0;
    ws.onmessage = (event) => {
      if (got === 0) t0 = performance.now();
      got += 1;
      // As any reader must: the message's bytes (Chromium makes the ArrayBuffer when it is first touched).
      bytes += event.data.byteLength;
      if (replyBytes > 0) ws.send(reply);
      if (got === messages) {
        const ms = performance.now() - t0;
        ws.onmessage = null;
        ws.onclose = null;
        ws.close();
        resolve({ got: got * payload, bytes, ms, mbPerS: ((got - 1) * payload) / 1e3 / ms });
      }
    };
  });
