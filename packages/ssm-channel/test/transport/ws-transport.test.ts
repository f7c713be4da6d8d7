import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { type AddressInfo, createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { SsmChannelError } from '../../src/errors.js';
import { SsmTransportError } from '../../src/transport/transport-error.js';
import {
  SEND_HIGH_WATER_MARK,
  TRANSPORT_DEFAULTS,
  type TransportOptions,
  type TransportSettings,
} from '../../src/transport/transport-options.js';
import { openTransport as open_, type Transport } from '../../src/transport/ws-transport.js';
import {
  isCollectable,
  leakedSince,
  startSilentTcpServer,
  startWsServer,
  type TestWsServer,
  watchedResources,
} from './helpers.js';

const TOKEN = 'TOKEN-4f1c-do-not-leak';
const OPEN_FRAME = JSON.stringify({ MessageSchemaVersion: '1.0', RequestId: 'r-1', TokenValue: TOKEN });

/** openTransport with the default settings, or some of them changed. */
function openTransport(options: TransportOptions & Partial<TransportSettings>): Promise<Transport> {
  const { connectMs, maxMessageBytes, pingIntervalMs, pongMs, stallMs, ...rest } = options;
  const settings: TransportSettings = { ...TRANSPORT_DEFAULTS };
  if (connectMs !== undefined) settings.connectMs = connectMs;
  if (maxMessageBytes !== undefined) settings.maxMessageBytes = maxMessageBytes;
  if (pingIntervalMs !== undefined) settings.pingIntervalMs = pingIntervalMs;
  if (pongMs !== undefined) settings.pongMs = pongMs;
  if (stallMs !== undefined) settings.stallMs = stallMs;
  return open_(rest, settings);
}

interface Recorder {
  frames: Uint8Array[];
  closed: Promise<SsmChannelError>;
  closeCalls: number;
  drains: number;
}

function recorder(): Recorder & Pick<TransportOptions, 'onFrame' | 'onClose' | 'onDrain'> {
  let resolveClosed!: (error: SsmChannelError) => void;
  const rec = {
    frames: [] as Uint8Array[],
    closed: new Promise<SsmChannelError>((resolve) => {
      resolveClosed = resolve;
    }),
    closeCalls: 0,
    drains: 0,
    onFrame(frame: Uint8Array) {
      rec.frames.push(Uint8Array.from(frame));
    },
    onClose(error: SsmChannelError) {
      rec.closeCalls += 1;
      resolveClosed(error);
    },
    onDrain() {
      rec.drains += 1;
    },
  };
  return rec;
}

async function rejection(promise: Promise<unknown>): Promise<SsmChannelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SsmChannelError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

let before: Map<string, number>;
let server: TestWsServer | undefined;
let transport: Transport | undefined;

beforeEach(() => {
  before = watchedResources();
});

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
  expect(await leakedSince(before)).toEqual([]);
});

describe('openTransport: connecting', () => {
  it('sends the open frame first as text, then exchanges binary frames both ways', async () => {
    server = await startWsServer();
    const rec = recorder();
    const opening = openTransport({ streamUrl: server.url, openFrame: OPEN_FRAME, ...rec });
    const { socket, first } = await server.nextConnection();
    transport = await opening;
    expect(first).toBe(OPEN_FRAME);

    const fromClient = once(socket, 'message');
    expect(transport.send(Uint8Array.of(1, 2, 3))).toBe(true);
    const [data, isBinary] = (await fromClient) as [Buffer, boolean];
    expect(isBinary).toBe(true);
    expect([...data]).toEqual([1, 2, 3]);

    socket.send(Buffer.from([9, 8, 7]));
    socket.send('text frame');
    await waitFor(() => rec.frames.length === 2);
    expect(rec.frames[0]).toEqual(Uint8Array.of(9, 8, 7));
    // Text frames are handed over as bytes like binary ones.
    expect(Buffer.from(rec.frames[1]!).toString()).toBe('text frame');
  });

  it('dials with no subprotocol, no compression and no extra headers', async () => {
    server = await startWsServer();
    const headers = new Promise<Record<string, unknown>>((resolve) => {
      server!.server.once('connection', (_socket, request) => resolve({ ...request.headers }));
    });
    transport = await openTransport({ streamUrl: server.url, openFrame: OPEN_FRAME, ...recorder() });
    const seen = await headers;
    expect(seen['sec-websocket-protocol']).toBeUndefined();
    expect(seen['sec-websocket-extensions']).toBeUndefined();
    expect(Object.keys(seen).sort()).toEqual(
      ['connection', 'host', 'sec-websocket-key', 'sec-websocket-version', 'upgrade'].sort(),
    );
  });

  it('throws INSECURE_URL at once for ws: to a remote host', () => {
    const rec = recorder();
    expect(() => openTransport({ streamUrl: 'ws://example.com/x', openFrame: OPEN_FRAME, ...rec })).toThrow(
      expect.objectContaining({ code: 'INSECURE_URL' }),
    );
  });

  it('rejects with CONNECT_TIMEOUT when the upgrade never completes, and closes the socket', async () => {
    const silent = await startSilentTcpServer();
    try {
      const started = Date.now();
      const error = await rejection(
        openTransport({ streamUrl: silent.url, openFrame: OPEN_FRAME, connectMs: 150, ...recorder() }),
      );
      expect(error.code).toBe('CONNECT_TIMEOUT');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(silent.sockets).toHaveLength(1);
      await waitFor(() => silent.closedSockets() === 1);
    } finally {
      await silent.close();
    }
  });

  it('rejects with ABORTED when the signal fires during the upgrade, or was aborted before', async () => {
    const silent = await startSilentTcpServer();
    try {
      const controller = new AbortController();
      const opening = openTransport({
        streamUrl: silent.url,
        openFrame: OPEN_FRAME,
        signal: controller.signal,
        ...recorder(),
      });
      setTimeout(() => controller.abort(), 30);
      expect((await rejection(opening)).code).toBe('ABORTED');

      const error = await rejection(
        openTransport({
          streamUrl: silent.url,
          openFrame: OPEN_FRAME,
          signal: AbortSignal.abort(),
          ...recorder(),
        }),
      );
      expect(error.code).toBe('ABORTED');
    } finally {
      await silent.close();
    }
  });

  it('rejects with CONNECT_FAILED (with cause) when nothing listens', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await rejection(
      openTransport({ streamUrl: `ws://127.0.0.1:${port}/x`, openFrame: OPEN_FRAME, ...recorder() }),
    );
    expect(error.code).toBe('CONNECT_FAILED');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('maps an upgrade answered 403 to AUTH_FAILED and 500 to CONNECT_FAILED', async () => {
    let status = 403;
    const http = createHttpServer((_request, response) => response.end());
    http.on('upgrade', (_request, socket) => {
      socket.end(`HTTP/1.1 ${status} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/x`;
    try {
      expect(
        (await rejection(openTransport({ streamUrl: url, openFrame: OPEN_FRAME, ...recorder() }))).code,
      ).toBe('AUTH_FAILED');
      status = 500;
      const error = await rejection(openTransport({ streamUrl: url, openFrame: OPEN_FRAME, ...recorder() }));
      expect(error.code).toBe('CONNECT_FAILED');
      expect(error.message).toContain('500');
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe('openTransport: an open connection', () => {
  async function open(
    extra: Partial<TransportOptions & TransportSettings> = {},
    serverOptions = {},
  ): Promise<{ rec: ReturnType<typeof recorder>; socket: WebSocket; raw: Socket }> {
    server = await startWsServer(serverOptions);
    const rec = recorder();
    const opening = openTransport({ streamUrl: server.url, openFrame: OPEN_FRAME, ...rec, ...extra });
    const { socket, raw } = await server.nextConnection();
    transport = await opening;
    return { rec, socket, raw };
  }

  it('fails with FRAME_TOO_LARGE when a message exceeds maxMessageBytes, and tells the peer 1009', async () => {
    const { rec, socket } = await open({ maxMessageBytes: 1_024 });
    const peerClosed = once(socket, 'close');
    socket.send(Buffer.alloc(1_025));
    const error = await rec.closed;
    expect(error.code).toBe('FRAME_TOO_LARGE');
    expect(error).toBeInstanceOf(SsmTransportError);
    const [code] = (await peerClosed) as [number];
    expect([1009, 1006]).toContain(code);
    expect(rec.frames).toHaveLength(0);
  });

  it('accepts a message of exactly maxMessageBytes bytes', async () => {
    const { rec, socket } = await open({ maxMessageBytes: 1_024 });
    socket.send(Buffer.alloc(1_024, 7));
    await waitFor(() => rec.frames.length === 1);
    expect(rec.frames[0]!.byteLength).toBe(1_024);
  });

  it('detects a peer that stops answering pings (PEER_UNRESPONSIVE) within interval + timeout', async () => {
    const { rec } = await open({ pingIntervalMs: 40, pongMs: 80 }, { autoPong: false });
    const started = Date.now();
    const error = await rec.closed;
    expect(error.code).toBe('PEER_UNRESPONSIVE');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(70);
    expect(elapsed).toBeLessThan(1_000);
    expect(rec.closeCalls).toBe(1);
  });

  it('keeps a responsive peer: pings are answered and nothing fails', async () => {
    const { rec, socket } = await open({ pingIntervalMs: 20, pongMs: 40 });
    let pings = 0;
    socket.on('ping', (data: Buffer) => {
      pings += 1;
      expect(data.toString()).toBe('keepalive');
    });
    await sleep(250);
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(rec.closeCalls).toBe(0);
  });

  it('reports a server close as CONNECTION_LOST with the close code and reason', async () => {
    const { rec, socket } = await open();
    socket.send(Buffer.of(1));
    await waitFor(() => rec.frames.length === 1);
    socket.close(1001, 'going away');
    const error = (await rec.closed) as SsmTransportError;
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.closeCode).toBe(1001);
    expect(error.closeReason).toBe('going away');
    expect(transport!.send(Uint8Array.of(1))).toBe(false);
  });

  it('reports a dropped TCP connection as CONNECTION_LOST 1006', async () => {
    const { rec, socket } = await open();
    socket.terminate();
    const error = (await rec.closed) as SsmTransportError;
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.closeCode).toBe(1006);
  });

  it('maps 1008 before any frame to AUTH_FAILED, but 1008 after a frame to CONNECTION_LOST', async () => {
    const first = await open();
    first.socket.close(1008, 'token rejected');
    const refused = (await first.rec.closed) as SsmTransportError;
    expect(refused.code).toBe('AUTH_FAILED');
    expect(refused.closeCode).toBe(1008);
    await transport!.close();
    await server!.close();

    const second = await open();
    second.socket.send(Buffer.of(1));
    await waitFor(() => second.rec.frames.length === 1);
    second.socket.close(1008, 'policy');
    expect((await second.rec.closed).code).toBe('CONNECTION_LOST');
  });

  it('close() sends 1000, never calls onClose, and can be called twice', async () => {
    const { rec, socket } = await open();
    const peerClosed = once(socket, 'close');
    const closing = transport!.close();
    expect(transport!.send(Uint8Array.of(1))).toBe(false);
    await Promise.all([closing, transport!.close()]);
    const [code] = (await peerClosed) as [number];
    expect(code).toBe(1000);
    await sleep(20);
    expect(rec.closeCalls).toBe(0);
  });

  it('close() finishes within a second or so when the peer never answers the close frame', async () => {
    const { raw } = await open();
    raw.pause();
    const started = Date.now();
    await transport!.close();
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('ends with ABORTED when the signal fires after the connection opened', async () => {
    const controller = new AbortController();
    const { rec } = await open({ signal: controller.signal });
    controller.abort();
    expect((await rec.closed).code).toBe('ABORTED');
    expect(rec.closeCalls).toBe(1);
  });

  /** Sends 16 KiB frames (at most 64 MiB in all) until send() answers false. */
  function fillUntilFull(): number {
    const frame = new Uint8Array(16 * 1024);
    for (let sent = 1; sent <= 4_096; sent += 1) {
      if (!transport!.send(frame)) return sent;
    }
    throw new Error('send() never reported backpressure');
  }

  it('answers false at the high-water mark and calls onDrain once the queue has emptied', async () => {
    const { rec, socket, raw } = await open();
    let received = 0;
    socket.on('message', (data: Buffer) => {
      received += data.byteLength;
    });
    raw.pause();
    const accepted = fillUntilFull();
    expect(accepted * 16 * 1024).toBeGreaterThanOrEqual(SEND_HIGH_WATER_MARK);
    await sleep(50);
    expect(rec.drains).toBe(0);
    raw.resume();
    await waitFor(() => rec.drains === 1);
    await waitFor(() => received === accepted * 16 * 1024);
    expect(rec.drains).toBe(1);
    expect(rec.closeCalls).toBe(0);
  });

  it('a peer that takes nothing off a full queue for stallMs ends the connection with BUFFER_LIMIT_EXCEEDED', async () => {
    const { rec, raw } = await open({ stallMs: 300 });
    raw.pause();
    const started = Date.now();
    fillUntilFull();
    const error = await rec.closed;
    expect(error.code).toBe('BUFFER_LIMIT_EXCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rec.closeCalls).toBe(1);
  });

  it('a slow peer that keeps taking bytes off a full queue is never cut off', async () => {
    const { rec, socket, raw } = await open({ stallMs: 1_000 });
    let received = 0;
    socket.on('message', (data: Buffer) => {
      received += data.byteLength;
    });
    // The peer reads in short bursts, far slower than the queue fills.
    raw.pause();
    const slow = setInterval(() => {
      raw.resume();
      setTimeout(() => raw.pause(), 5);
    }, 50);
    try {
      const frame = new Uint8Array(16 * 1024);
      let sent = 0;
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        if (transport!.send(frame)) sent += frame.length;
        else {
          sent += frame.length;
          await new Promise<void>((resolve) => {
            const check = setInterval(() => {
              if (rec.drains > 0 || rec.closeCalls > 0) {
                clearInterval(check);
                rec.drains = 0;
                resolve();
              }
            }, 5);
          });
        }
        if (rec.closeCalls > 0) break;
      }
      expect(
        rec.closeCalls,
        `closed: ${(await Promise.race([rec.closed, Promise.resolve(undefined)]))?.code}`,
      ).toBe(0);
      raw.resume();
      await waitFor(() => received === sent, 5_000);
    } finally {
      clearInterval(slow);
    }
  });

  it('keeps the token out of inspect output and of every error', async () => {
    const { rec, socket } = await open();
    for (const text of [
      inspect(transport, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
      JSON.stringify(transport),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
    socket.close(1008, 'bad token');
    const error = await rec.closed;
    expect(inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(TOKEN);
  });

  it('keeps nothing of its options once open but the handlers: the open frame, with the token, is freed', async () => {
    server = await startWsServer();
    let options: TransportOptions | undefined = {
      streamUrl: server.url,
      openFrame: OPEN_FRAME,
      ...recorder(),
    };
    const options_ = new WeakRef(options);
    const opening = open_(options, { ...TRANSPORT_DEFAULTS });
    options = undefined;
    await server.nextConnection();
    transport = await opening;
    expect(await isCollectable(options_)).toBe(true);
  });

  it('a throwing onFrame handler drops the connection instead of crashing the process', async () => {
    const { rec, socket } = await open({
      onFrame: () => {
        throw new Error('handler bug');
      },
    });
    socket.send(Buffer.of(1));
    const error = await rec.closed;
    expect(error.code).toBe('CONNECTION_LOST');
    expect((error.cause as Error).message).toBe('handler bug');
  });

  it('setReading(false) stops delivery and pings; setReading(true) restores both', async () => {
    const { rec, socket } = await open({ pingIntervalMs: 20, pongMs: 40 });
    transport!.setReading(false);
    socket.send(Buffer.of(1));
    await sleep(150);
    expect(rec.frames).toHaveLength(0);
    expect(rec.closeCalls).toBe(0);
    transport!.setReading(true);
    await waitFor(() => rec.frames.length === 1);
    expect(rec.closeCalls).toBe(0);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
