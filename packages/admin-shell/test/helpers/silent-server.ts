import { createServer, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that accepts every connection and never answers (a hung endpoint). */
export interface SilentServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** How many connections it accepted. */
  readonly accepted: () => number;
  /** Closes the server and every accepted socket. */
  close(): Promise<void>;
}

/** Starts a {@link SilentServer} on a free port. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {
      // The client gave up: expected.
    });
    socket.on('close', () => sockets.delete(socket));
    // Reads the request and never writes a byte back.
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
