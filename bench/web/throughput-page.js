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
