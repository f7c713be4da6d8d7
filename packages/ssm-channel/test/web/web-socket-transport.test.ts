/**
 * The WHATWG WebSocket transport against a scripted socket: the parts of the contract that depend on what
 * the socket reports (`bufferedAmount`, close codes, message kinds) and on time, driven exactly. The same
 * transport runs against real sockets in `web-data-channel.test.ts` and in Chromium (`test/browser/`).
 */
import type { SsmChannelError } from 'ssm-channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../src/transport/transport.js';
import {
  CLOSE_TIMEOUT_MS,
  SEND_HIGH_WATER_MARK,
  type TransportOptions,
  type TransportSettings,
} from '../../src/transport/transport-options.js';
import {
  DRAIN_POLL_MS,
  openWebSocketTransport,
  SEND_LOW_WATER_MARK,
  SEND_QUEUE_LIMIT,
  type WebSocketLike,
} from '../../src/transport/web-socket-transport.js';
import { isCollectable } from '../transport/helpers.js';

type Listener = (event: unknown) => void;

/** A socket whose every observable the test sets. */
class ScriptedSocket implements WebSocketLike {
  static last: ScriptedSocket | undefined;
  binaryType = 'blob';
  bufferedAmount = 0;
  readyState = 0;
  readonly sent: (Uint8Array | string)[] = [];
  readonly closes: (number | undefined)[] = [];
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {
    ScriptedSocket.last = this;
  }

  send(data: ArrayBufferView | string): void {
    this.sent.push(
      typeof data === 'string' ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }

  close(code?: number): void {
    this.closes.push(code);
  }

  addEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  emit(type: string, event: unknown = {}): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(event);
  }

  listeners(type: string): number {
    return this.#listeners.get(type)?.size ?? 0;
  }
}

const settings: TransportSettings = {
  connectMs: 1_000,
  maxMessageBytes: 4_096,
  pingIntervalMs: 20_000,
  pongMs: 20_000,
  stallMs: 200,
};

interface Opened {
  transport: Transport;
  socket: ScriptedSocket;
  frames: Uint8Array[];
  closes: SsmChannelError[];
  drains: { count: number };
}

async function open(overrides: Partial<TransportSettings> = {}, signal?: AbortSignal): Promise<Opened> {
  const frames: Uint8Array[] = [];
  const closes: SsmChannelError[] = [];
  const drains = { count: 0 };
  const opening = openWebSocketTransport(
    {
      streamUrl: 'ws://127.0.0.1:9/v1/data-channel/s?role=publish_subscribe',
      openFrame: '{"TokenValue":"secret"}',
      onFrame: (frame) => frames.push(frame),
      onClose: (error) => closes.push(error),
      onDrain: () => {
        drains.count += 1;
      },
      signal,
    },
    { ...settings, ...overrides },
    ScriptedSocket,
  );
  const socket = ScriptedSocket.last!;
  socket.readyState = 1;
  socket.emit('open');
  return { transport: await opening, socket, frames, closes, drains };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('openWebSocketTransport', () => {
  it('asks for ArrayBuffers and sends the open frame first, as text', async () => {
    const { socket } = await open();
    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.sent).toEqual(['{"TokenValue":"secret"}']);
  });

  it('keeps nothing of its options once open but the handlers: the open frame, with the token, is freed', async () => {
    let options: TransportOptions | undefined = {
      streamUrl: 'ws://127.0.0.1:9/v1/data-channel/s?role=publish_subscribe',
      openFrame: '{"TokenValue":"secret"}',
      onFrame: () => {},
      onClose: () => {},
      onDrain: () => {},
    };
    const options_ = new WeakRef(options);
    const opening = openWebSocketTransport(options, settings, ScriptedSocket);
    options = undefined;
    ScriptedSocket.last!.readyState = 1;
    ScriptedSocket.last!.emit('open');
    const transport = await opening;
    expect(await isCollectable(options_)).toBe(true);
    void transport.close();
  });

  it('applies the URL rule at once', () => {
    const base = { openFrame: '', onFrame() {}, onClose() {}, onDrain() {} };
    expect(() =>
      openWebSocketTransport({ ...base, streamUrl: 'ws://example.com/' }, settings, ScriptedSocket),
    ).toThrow(expect.objectContaining({ code: 'INSECURE_URL' }));
  });

  it('a failed upgrade, a close before open, a timeout and an abort reject with their codes', async () => {
    const attempt = (signal?: AbortSignal, connectMs = 1_000) =>
      openWebSocketTransport(
        {
          streamUrl: 'ws://127.0.0.1:9/',
          openFrame: '',
          onFrame() {},
          onClose() {},
          onDrain() {},
          signal,
        },
        { ...settings, connectMs },
        ScriptedSocket,
      );
    const failed = attempt();
    ScriptedSocket.last!.emit('error', { message: 'Unexpected server response: 403' });
    await expect(failed).rejects.toMatchObject({ code: 'CONNECT_FAILED', message: /403/ });

    const closedEarly = attempt();
    ScriptedSocket.last!.emit('close', { code: 1006 });
    await expect(closedEarly).rejects.toMatchObject({ code: 'CONNECT_FAILED', message: /1006/ });

    const late = attempt(undefined, 30);
    const lateSocket = ScriptedSocket.last!;
    await expect(late).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect(lateSocket.closes).toEqual([1000]);
    expect(lateSocket.listeners('open')).toBe(0);

    const controller = new AbortController();
    const aborted = attempt(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('hands every kind of message over as bytes; ignores what is not bytes or text', async () => {
    const { socket, frames } = await open();
    socket.emit('message', { data: new Uint8Array([1, 2, 3]).buffer });
    socket.emit('message', { data: new Uint8Array([9, 4, 5, 9]).subarray(1, 3) });
    socket.emit('message', { data: 'AB' });
    socket.emit('message', { data: { size: 3 } });
    expect(frames.map((f) => [...f])).toEqual([
      [1, 2, 3],
      [4, 5],
      [65, 66],
    ]);
  });

  it('keeps delivering while not reading: a WHATWG WebSocket cannot pause', async () => {
    const { transport, socket, frames } = await open();
    transport.setReading(false);
    socket.emit('message', { data: new Uint8Array([7]).buffer });
    expect(frames).toHaveLength(1);
  });

  it('a message over maxMessageBytes is FRAME_TOO_LARGE (close code 1009) and closes the socket', async () => {
    const { socket, closes, frames } = await open();
    socket.emit('message', { data: new ArrayBuffer(4_097) });
    expect(frames).toHaveLength(0);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ code: 'FRAME_TOO_LARGE', closeCode: 1009 });
    expect(socket.closes).toEqual([1000]);
  });

  it('maps close codes as the ws transport does', async () => {
    const refused = await open();
    refused.socket.emit('close', { code: 1008, reason: 'bad token' });
    expect(refused.closes[0]).toMatchObject({
      code: 'AUTH_FAILED',
      closeCode: 1008,
      closeReason: 'bad token',
    });

    const later = await open();
    later.socket.emit('message', { data: new Uint8Array([1]).buffer });
    later.socket.emit('close', { code: 1008, reason: '' });
    expect(later.closes[0]).toMatchObject({ code: 'CONNECTION_LOST', closeCode: 1008 });

    const dropped = await open();
    dropped.socket.emit('close', { code: 1006, reason: '' });
    expect(dropped.closes[0]).toMatchObject({ code: 'CONNECTION_LOST', closeCode: 1006 });
    // Reported once; nothing after.
    dropped.socket.emit('close', { code: 1000 });
    expect(dropped.closes).toHaveLength(1);
  });

  it('backpressure from bufferedAmount: false at the high-water mark, onDrain once it is down to the low mark', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { transport, socket, drains } = await open({ stallMs: 10_000 });
    const frame = new Uint8Array(100);
    expect(transport.send(frame)).toBe(true);
    socket.bufferedAmount = SEND_HIGH_WATER_MARK;
    expect(transport.send(frame)).toBe(false);
    expect(transport.send(frame)).toBe(false);
    vi.advanceTimersByTime(DRAIN_POLL_MS * 3);
    expect(drains.count).toBe(0);
    socket.bufferedAmount = SEND_LOW_WATER_MARK + 1;
    vi.advanceTimersByTime(DRAIN_POLL_MS * 3);
    expect(drains.count).toBe(0);
    socket.bufferedAmount = SEND_LOW_WATER_MARK;
    vi.advanceTimersByTime(DRAIN_POLL_MS);
    expect(drains.count).toBe(1);
    // The poll stopped: no further drain without a new full queue.
    vi.advanceTimersByTime(DRAIN_POLL_MS * 10);
    expect(drains.count).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('past the queue limit a frame is dropped, as a lossy link would', async () => {
    const { transport, socket } = await open();
    socket.bufferedAmount = SEND_QUEUE_LIMIT;
    const before = socket.sent.length;
    expect(transport.send(new Uint8Array(10))).toBe(false);
    expect(socket.sent.length).toBe(before);
    const closing = transport.close();
    socket.emit('close', { code: 1000 });
    await closing;
  });

  it('a full queue that nothing leaves for stallMs ends the connection with BUFFER_LIMIT_EXCEEDED', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { transport, socket, closes, drains } = await open({ stallMs: 200 });
    socket.bufferedAmount = SEND_HIGH_WATER_MARK + 10_000;
    expect(transport.send(new Uint8Array(10))).toBe(false);
    // Slow progress keeps it alive...
    for (let i = 0; i < 20; i += 1) {
      socket.bufferedAmount -= 100;
      vi.advanceTimersByTime(50);
    }
    expect(closes).toHaveLength(0);
    // ...none ends it.
    vi.advanceTimersByTime(250);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ code: 'BUFFER_LIMIT_EXCEEDED' });
    expect(socket.closes).toEqual([1000]);
    expect(drains.count).toBe(0);
    expect(transport.send(new Uint8Array(1))).toBe(false);
  });

  it('an abort once open ends the connection with ABORTED', async () => {
    const controller = new AbortController();
    const { closes, socket } = await open({}, controller.signal);
    controller.abort();
    expect(closes[0]).toMatchObject({ code: 'ABORTED' });
    expect(socket.closes).toEqual([1000]);
  });

  it('close() sends a normal close, resolves at the close event (or after the close timeout), reports nothing', async () => {
    const answered = await open();
    const closing = answered.transport.close();
    expect(answered.socket.closes).toEqual([1000]);
    answered.socket.emit('close', { code: 1000 });
    await closing;
    expect(answered.closes).toHaveLength(0);
    expect(answered.transport.send(new Uint8Array(1))).toBe(false);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const silent = await open();
    let done = false;
    void silent.transport.close().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(CLOSE_TIMEOUT_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(silent.closes).toHaveLength(0);
  });
});
