import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { type ServerOptions, type WebSocket, WebSocketServer } from 'ws';

/** A ws server on 127.0.0.1 that records its connections. */
export interface TestWsServer {
  url: string;
  server: WebSocketServer;
  /** Resolves with the next connection (its WebSocket and TCP socket) and the first message it sent. */
  nextConnection(): Promise<{ socket: WebSocket; raw: Socket; first: string }>;
  close(): Promise<void>;
}

export async function startWsServer(options: ServerOptions = {}): Promise<TestWsServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await once(server, 'listening');
  type Entry = { socket: WebSocket; raw: Socket; first: string };
  const waiting: ((value: Entry) => void)[] = [];
  const ready: Entry[] = [];
  server.on('connection', (socket, request) => {
    socket.once('message', (data) => {
      const entry = { socket, raw: request.socket as Socket, first: String(data) };
      const waiter = waiting.shift();
      if (waiter === undefined) ready.push(entry);
      else waiter(entry);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/data-channel/s-1?role=publish_subscribe`,
    server,
    nextConnection: () => {
      const entry = ready.shift();
      if (entry !== undefined) return Promise.resolve(entry);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never answers (an upgrade that never completes). */
export async function startSilentTcpServer(): Promise<{
  url: string;
  sockets: Socket[];
  closedSockets(): number;
  close(): Promise<void>;
}> {
  const sockets: Socket[] = [];
  let closed = 0;
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closed += 1;
    });
    socket.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/data-channel/s-1`,
    sockets,
    closedSockets: () => closed,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'TTYWrap', 'PipeWrap', 'Timeout']);

/** Counts of the resources that could leak from these tests (sockets, servers, ref'd timers). */
export function watchedResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (WATCHED.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Waits (up to 2 s) until no more sockets, servers or timers are active than in `before`; returns the excess. */
export async function leakedSince(before: Map<string, number>): Promise<string[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const excess: string[] = [];
    for (const [name, count] of watchedResources()) {
      if (count > (before.get(name) ?? 0)) excess.push(`${name} +${count - (before.get(name) ?? 0)}`);
    }
    if (excess.length === 0 || Date.now() > deadline) return excess;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The garbage collector, without --expose-gc on the command line. */
let collectGarbage: (() => void) | undefined;

/**
 * Whether what `ref` points to can be collected: runs the garbage collector a few times, a turn apart (a
 * `WeakRef` keeps its target alive until the end of the turn that made or read it).
 */
export async function isCollectable(ref: WeakRef<object>): Promise<boolean> {
  if (collectGarbage === undefined) {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    if (ref.deref() === undefined) return true;
  }
  return false;
}
