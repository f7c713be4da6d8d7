// A data channel straight to an agent emulator session in `source` or `sink` mode, in its own process (like
// the command): `node raw-client.js <url> <token> download|upload <bytes>`. Prints `{"bytes","ms"}`.
import { connectDataChannel } from 'ssm-channel';

const [url, tokenValue, direction, total] = process.argv.slice(2);
const bytes = Number(total);
const started = performance.now();
const channel = await connectDataChannel({ streamUrl: url, tokenValue });
channel.on('error', () => {});
let moved = 0;
if (direction === 'download') {
  channel.on('data', (chunk) => {
    moved += chunk.length;
  });
  await channel.whenClosed;
} else {
  const block = Buffer.alloc(64 * 1024, 0x61);
  while (moved < bytes) {
    const piece = block.subarray(0, Math.min(block.length, bytes - moved));
    moved += piece.length;
    if (!channel.write(piece)) await new Promise((resolve) => channel.once('drain', resolve));
  }
  await new Promise((resolve) => channel.end(resolve));
  channel.destroy();
}
process.stdout.write(`${JSON.stringify({ bytes: moved, ms: performance.now() - started })}\n`, () =>
  process.exit(0),
);
