/**
 * The real service is reached over `wss://`: the data channel over TLS, against a local TLS endpoint that
 * terminates TLS in front of the agent emulator (the certificate in ./tls is self-signed for 127.0.0.1).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { connectDataChannel } from 'ssm-channel';
import { type AgentEmulator, deterministicBytes, startAgentEmulator } from 'ssm-channel/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const tlsDir = new URL('./tls/', import.meta.url);
let agent: AgentEmulator;
let proxy: Server;
let port: number;
const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  agent = await startAgentEmulator({ mode: 'echo', handshake: true });
  const upstream = new URL(agent.url);
  proxy = createTlsServer(
    { key: readFileSync(new URL('key.pem', tlsDir)), cert: readFileSync(new URL('cert.pem', tlsDir)) },
    (secure) => {
      const plain = connectTcp(Number(upstream.port), '127.0.0.1');
      secure.pipe(plain).pipe(secure);
      secure.on('error', () => plain.destroy());
      plain.on('error', () => secure.destroy());
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  port = (proxy.address() as { port: number }).port;
  // The test certificate is self-signed; this process only ever connects to 127.0.0.1.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
});

afterAll(async () => {
  if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
  await new Promise((resolve) => proxy.close(resolve));
  await agent.close();
});

it('echoes 1 MB over wss:// through TLS, byte for byte', async () => {
  const secureUrl = agent.url.replace(/^ws:\/\/127\.0\.0\.1:\d+/, `wss://127.0.0.1:${port}`);
  const channel = await connectDataChannel({ streamUrl: secureUrl, tokenValue: agent.tokenValue });
  const input = deterministicBytes(12, 1024 * 1024);
  const received: Buffer[] = [];
  let length = 0;
  const done = new Promise<void>((resolve, reject) => {
    channel.on('data', (chunk: Buffer) => {
      received.push(chunk);
      length += chunk.length;
      if (length >= input.length) resolve();
    });
    channel.once('error', reject);
  });
  channel.write(input);
  await done;
  const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
  expect(sha(Buffer.concat(received))).toBe(sha(input));
  channel.destroy();
  expect((await channel.whenClosed).reason).toBe('local');
});
