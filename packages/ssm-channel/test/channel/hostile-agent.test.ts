/**
 * The channel against a scripted agent on a raw `ws` server: frames that arrive together with the session's
 * start, text frames that are not UTF-8, oversized handshakes, tiny messages to a stalled reader, and a
 * `reconnect` callback that never answers.
 */
import type { Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  connectDataChannel,
  encodeAgentMessage,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  MessageType,
  PayloadType,
  type RequestedClientAction,
} from 'ssm-channel';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';

let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Starts an agent that runs `script` once the client's OpenDataChannel frame arrived; returns its URL. */
async function scriptedAgent(script: (ws: WebSocket, socket: Socket) => void): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  server.on('connection', (ws, request) => {
    ws.once('message', () => script(ws, request.socket));
  });
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

function output(seq: number, payloadType: number, payload: Uint8Array | string): Buffer {
  return Buffer.from(
    encodeAgentMessage({
      messageType: MessageType.OutputStreamData,
      sequenceNumber: seq,
      payloadType,
      payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    }),
  );
}

function handshakeRequest(actions: RequestedClientAction[]): Buffer {
  return output(
    0,
    PayloadType.HandshakeRequest,
    encodeHandshakeRequest({ agentVersion: '3.3.0.0', requestedClientActions: actions }),
  );
}

const SESSION_TYPE: RequestedClientAction = {
  actionType: 'SessionType',
  actionParameters: { SessionType: 'Standard_Stream', Properties: null },
};

/** One unmasked server frame (FIN, `opcode`) around `payload`, as raw bytes. */
function serverFrame(payload: Buffer, opcode = 2): Buffer {
  const length = payload.length;
  if (length < 126) return Buffer.concat([Buffer.from([0x80 | opcode, length]), payload]);
  const head = Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  return Buffer.concat([head, payload]);
}

describe('frames that arrive with the start of the session', () => {
  it('rejects connectDataChannel() with a coded error when garbage follows HandshakeComplete in the same read', async () => {
    const url = await scriptedAgent((ws, socket) => {
      ws.send(handshakeRequest([SESSION_TYPE]));
      ws.once('message', () => {
        const complete = output(
          1,
          PayloadType.HandshakeComplete,
          encodeHandshakeComplete({ handshakeTimeToComplete: 1, customerMessage: '' }),
        );
        // A frame with RSV1 set (no extension was negotiated): ws ends the connection on it.
        socket.write(Buffer.concat([serverFrame(complete), Buffer.from([0xc2, 0x01, 0x00])]));
      });
    });
    // Before the fix, the stream's 'error' was emitted before the caller could listen: an uncaught error.
    await expect(connectDataChannel({ streamUrl: url, tokenValue: 'token' })).rejects.toMatchObject({
      code: 'CONNECTION_LOST',
    });
  });

  it('still resolves, with the output readable, when channel_closed comes in the same read as the first output', async () => {
    const url = await scriptedAgent((_ws, socket) => {
      const closed = Buffer.from(
        encodeAgentMessage({
          messageType: MessageType.ChannelClosed,
          sequenceNumber: 0,
          payloadType: 0,
          payload: Buffer.from(
            '{"MessageId":"m","CreatedDate":"1","DestinationId":"d","SessionId":"s","MessageType":"channel_closed","SchemaVersion":1,"Output":""}',
          ),
        }),
      );
      socket.write(Buffer.concat([serverFrame(output(0, PayloadType.Output, 'bye\n')), serverFrame(closed)]));
    });
    const channel = await connectDataChannel({ streamUrl: url, tokenValue: 'token' });
    let text = '';
    for await (const chunk of channel) text += String(chunk);
    expect(text).toBe('bye\n');
    expect((await channel.whenClosed).reason).toBe('channel_closed');
  });
});

describe('bad input from the agent', () => {
  it('drops a text frame that is not UTF-8 and parses an agent message sent as text', async () => {
    const url = await scriptedAgent((ws, socket) => {
      ws.send(output(0, PayloadType.Output, 'first\n'));
      socket.write(serverFrame(Buffer.from([0xff, 0xfe, 0x80, 0x00]), 1));
      socket.write(serverFrame(output(1, PayloadType.Output, 'second\n'), 1));
    });
    const channel = await connectDataChannel({ streamUrl: url, tokenValue: 'token' });
    let text = '';
    await new Promise<void>((resolve, reject) => {
      channel.on('data', (chunk: Buffer) => {
        text += String(chunk);
        if (text.includes('second')) resolve();
      });
      channel.once('error', reject);
    });
    expect(text).toBe('first\nsecond\n');
    expect(channel.destroyed).toBe(false);
    channel.destroy();
    await channel.whenClosed;
  }, 10_000);

  it('refuses a HandshakeRequest with too many actions without answering it', async () => {
    const frames: Buffer[] = [];
    const actions = Array.from({ length: 1000 }, (_, i) => ({
      actionType: `Action${i}`,
      actionParameters: null,
    }));
    const url = await scriptedAgent((ws) => {
      ws.on('message', (data: Buffer) => frames.push(data));
      ws.send(handshakeRequest([SESSION_TYPE, ...actions]));
    });
    await expect(
      connectDataChannel({ streamUrl: url, tokenValue: 'token', timeouts: { startMs: 5_000 } }),
    ).rejects.toMatchObject({
      code: 'HANDSHAKE_FAILED',
      message: expect.stringContaining('1001 actions'),
    });
    // Nothing but, at most, the ack of the request went out: no answer that grows with the request.
    expect(frames.every((frame) => frame.length < 400)).toBe(true);
  });

  it('holds tiny messages for a stalled reader in compact memory, and reading gets every byte in order', async () => {
    const messages = 40_000;
    const url = await scriptedAgent((ws) => {
      // 1-byte messages, many socket writes; the reader never reads until the end.
      let sent = 0;
      const pump = (): void => {
        if (ws.readyState !== ws.OPEN) return;
        for (let n = 0; n < 200 && sent < messages; n++, sent++) {
          ws.send(output(sent, PayloadType.Output, String.fromCharCode(0x41 + (sent % 26))));
        }
        if (sent < messages) setTimeout(pump, 1);
      };
      pump();
    });
    const gc = collectGarbage();
    gc();
    const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const channel = await connectDataChannel({ streamUrl: url, tokenValue: 'token' });
    while (channel.stats().bytesIn < messages) await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    const held = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
    // Kept as views of their frames, 40,000 messages held about 10 MB (260 bytes each); kept as copies,
    // their 40 kB plus the channel itself.
    expect(held).toBeLessThan(3_000_000);
    const chunks: Buffer[] = [];
    channel.on('data', (chunk: Buffer) => chunks.push(chunk));
    while (Buffer.concat(chunks).length < messages) await new Promise((resolve) => setTimeout(resolve, 10));
    const text = Buffer.concat(chunks).toString('latin1');
    expect(text).toBe(
      Array.from({ length: messages }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join(''),
    );
    channel.destroy();
    await channel.whenClosed;
  });
});

/** The V8 garbage collector, without `--expose-gc` on the command line. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('a reconnect callback that never answers', () => {
  it('ends the channel with RECONNECT_FAILED after reconnect.credentialsTimeoutMs and aborts the call', async () => {
    const url = await scriptedAgent((ws) => {
      ws.send(output(0, PayloadType.Output, '$ '));
      setTimeout(() => ws.terminate(), 50);
    });
    let callSignal: AbortSignal | undefined;
    const channel = await connectDataChannel({
      streamUrl: url,
      tokenValue: 'token',
      reconnect: {
        initialDelayMs: 1,
        credentialsTimeoutMs: 300,
        credentials: ({ signal }) => {
          callSignal = signal;
          return new Promise(() => undefined);
        },
      },
    });
    channel.on('error', () => undefined);
    channel.resume();
    const started = performance.now();
    const info = await channel.whenClosed;
    expect(info.error?.code).toBe('RECONNECT_FAILED');
    expect(String(info.error?.cause)).toContain('did not answer within 300 ms');
    expect(callSignal?.aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
