/** Bundles a test page for browsers (esbuild, as an application would) and serves it on 127.0.0.1. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** A served page: open `url`, then call what the page put on `globalThis`. */
export interface ServedPage {
  readonly url: string;
  close(): Promise<void>;
}

/** Bundles `entry` (relative to this folder) with `--platform=browser` and serves it with an empty HTML page. */
export async function servePage(entry: string): Promise<ServedPage> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // As an application outside this repository would: through the packages' exports, not the workspace's
    // TypeScript paths to the sources.
    tsconfigRaw: '{}',
  });
  const script = result.outputFiles[0]!.contents;
  const html =
    '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
