/**
 * StdErr (PayloadType 11) on the channel's `stderr` readable, against an agent engine that separates the
 * streams (the emulator's shell mode merges them, as a pty does).
 */
import { connectDataChannel } from 'ssm-channel';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createAgentEngine } from '../../src/protocol/agent/index.js';

let server: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** An agent that sends stdout, 5000 bytes of stderr and stdout again, then closes the channel. */
async function separatingAgent(): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  server.on('connection', (ws) => {
    let closing = false;
    const engine = createAgentEngine({
      sendFrame: (frame) => ws.send(frame),
      onReady: () => {
        engine.sendOutput(Buffer.from('hello\n'));
        engine.sendStderr(Buffer.alloc(5000, 0x65));
        engine.sendOutput(Buffer.from('bye\n'));
        closing = true;
      },
      onDrained: () => {
        if (!closing) return;
        closing = false;
        engine.closeChannel({ sessionId: 's', output: '' });
      },
    });
    let opened = false;
    ws.on('message', (data: Buffer) => {
      if (!opened) {
        opened = true; // the OpenDataChannel text frame
        engine.transportUp();
        return;
      }
      engine.receive(new Uint8Array(data));
    });
    const timer = setInterval(() => engine.onTimer(), 20);
    ws.on('close', () => clearInterval(timer));
  });
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

it('keeps stderr apart from stdout and delivers all of it even when it is read after the channel closed', async () => {
  const channel = await connectDataChannel({ streamUrl: await separatingAgent(), tokenValue: 'token' });
  let stdout = '';
  channel.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const info = await channel.whenClosed;
  expect(info.reason).toBe('channel_closed');
  await new Promise((resolve) => setTimeout(resolve, 100)); // the stream is destroyed once stdout ended
  expect(stdout).toBe('hello\nbye\n');
  let stderr = 0;
  channel.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.length;
  });
  await new Promise((resolve) => channel.stderr.once('end', resolve));
  expect(stderr).toBe(5000);
});
