// The benchmarks' page: throughput-page.js bundled as an application would bundle it (esbuild, browser
// platform), served on 127.0.0.1 with an empty HTML page that loads it.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * @param {{ minify: boolean }} options `minify: false` keeps the names readable in a profile.
 * @returns {Promise<{ url: string, server: import('node:http').Server }>}
 */
export async function servePage({ minify }) {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./throughput-page.js', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify,
    write: false,
    logLevel: 'silent',
    tsconfigRaw: '{}',
  });
  const script = bundle.outputFiles[0].contents;
  const server = createServer((request, response) => {
    if (request.url === '/page.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>loading</title><script type="module" src="/page.js"></script>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/`, server };
}
