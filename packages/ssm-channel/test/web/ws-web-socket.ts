/**
 * `ws`'s WebSocket as a WHATWG-compatible socket for `connectWebDataChannel` under Node 20 (no global
 * `WebSocket`): dialled as the official plugin dials, without compression.
 */
import { type ClientOptions, WebSocket } from 'ws';

// `closeTimeout` (ws >= 8.19) is missing from @types/ws.
const OPTIONS: ClientOptions & { closeTimeout: number } = { perMessageDeflate: false, closeTimeout: 1_000 };

export class WsWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, OPTIONS);
  }
}

/** The same, recording the largest `bufferedAmount` seen before each send. */
export class RecordingWebSocket extends WsWebSocket {
  static maxBuffered = 0;
  static sends = 0;

  override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
    RecordingWebSocket.maxBuffered = Math.max(RecordingWebSocket.maxBuffered, this.bufferedAmount);
    RecordingWebSocket.sends += 1;
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

/** Reads a web stream to its end (or `limit` bytes), returning the bytes. */
export async function readAll(
  readable: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
