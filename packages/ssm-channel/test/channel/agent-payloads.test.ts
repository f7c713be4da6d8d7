/**
 * StdErr (11), ExitCode (12) and Flag (10) payloads through the channel, against an agent engine that sends
 * them (the emulator's shell mode merges stderr into the pty, as a real terminal does).
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
        engine.sendFlag(3);
        engine.sendExitCode(7);
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

it('keeps stderr apart, delivers all of it even when read after the close, and surfaces flags and the exit code', async () => {
  const channel = await connectDataChannel({ streamUrl: await separatingAgent(), tokenValue: 'token' });
  let stdout = '';
  const flags: number[] = [];
  channel.on('flag', (flag: number) => flags.push(flag));
  channel.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const info = await channel.whenClosed;
  expect(info).toEqual({ reason: 'channel_closed', exitCode: 7 });
  expect(flags).toEqual([3]);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the stream is destroyed once stdout ended
  expect(stdout).toBe('hello\nbye\n');
  let stderr = 0;
  channel.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.length;
  });
  await new Promise((resolve) => channel.stderr.once('end', resolve));
  expect(stderr).toBe(5000);
});
