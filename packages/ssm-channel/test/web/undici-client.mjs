// Run by undici-web-socket.test.ts as `node --experimental-websocket undici-client.mjs ARGS_JSON`: the
// built `ssm-channel` (its `node` export, found by self-reference) with Node's own WHATWG WebSocket
// (undici), taken from the global as a browser page would, with no WebSocket option.
import { connectWebDataChannel } from 'ssm-channel';

const { echo, source, refused } = JSON.parse(process.argv[2]);
const result = {};

const channel = await connectWebDataChannel({
  streamUrl: echo.url,
  tokenValue: echo.tokenValue,
  terminalSize: { cols: 90, rows: 33 },
});
const writer = channel.writable.getWriter();
await writer.write(new TextEncoder().encode('through undici'));
const reader = channel.readable.getReader();
let text = '';
while (text.length < 'through undici'.length) {
  const { value, done } = await reader.read();
  if (done) break;
  text += new TextDecoder().decode(value);
}
result.echo = text;
channel.resize(120, 40);
await writer.close();
channel.close();
result.echoClosed = (await channel.closed).reason;

const big = await connectWebDataChannel({ streamUrl: source.url, tokenValue: source.tokenValue });
const hash = (await import('node:crypto')).createHash('sha256');
let bytes = 0;
for await (const chunk of big.readable) {
  hash.update(chunk);
  bytes += chunk.length;
}
result.source = { bytes, sha256: hash.digest('hex'), closed: (await big.closed).reason };

try {
  await connectWebDataChannel({ streamUrl: refused.url, tokenValue: 'wrong-token' });
  result.refused = 'connected';
} catch (error) {
  result.refused = error.code;
}
process.stdout.write(JSON.stringify(result));
