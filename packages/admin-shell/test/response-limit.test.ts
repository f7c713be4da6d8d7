import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import { AdminShellError } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { MAX_RESPONSE_BYTES } from '../src/response-limit.js';
import { createGameLiftStreamsClient } from '../src/sdk-client.js';
import { runBuilt } from './helpers/built-cli.js';

const IDS = checkIdentifiers('sg-1AB2C3De4', 'ABC123def4567');
const MB = 1024 * 1024;

/** An endpoint that answers every request with `megabytes` MB of JSON-looking text (chunked, or with a length). */
async function hugeAnswers(
  megabytes: number,
  withLength: boolean,
): Promise<{ server: Server; url: string; sent: () => number }> {
  let sent = 0;
  const chunk = Buffer.alloc(MB, 0x20);
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(withLength ? { 'content-length': String(megabytes * MB + 2) } : {}),
    });
    res.write('{"');
    let left = megabytes;
    const pump = (): void => {
      while (left > 0) {
        left--;
        sent += MB;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('answers of the API are bounded', () => {
  it.each([
    ['chunked, no length', false],
    ['with a content-length', true],
  ])(
    'a 300 MB answer (%s) is refused as it arrives, with SERVICE_ERROR naming the endpoint',
    async (_name, withLength) => {
      const huge = await hugeAnswers(300, withLength);
      servers.push(huge.server);
      const client = createGameLiftStreamsClient({
        region: 'us-west-2',
        endpoint: huge.url,
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      });
      try {
        const error = await requestAdminShellAccess(client, IDS, { region: 'us-west-2' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AdminShellError);
        expect((error as AdminShellError).code).toBe('SERVICE_ERROR');
        expect((error as Error).message).toMatch(
          new RegExp(
            `^The GameLift Streams endpoint ${huge.url} answered with (314572802 bytes|more than 1 MiB)`,
          ),
        );
        // Far less than the 300 MB offered was taken off the socket.
        expect(huge.sent()).toBeLessThan(300 * MB);
        expect(MAX_RESPONSE_BYTES).toBe(MB);
      } finally {
        client.destroy();
      }
    },
  );

  it('the command stays small: exit 74 at once, memory far below the answer', async () => {
    const huge = await hugeAnswers(300, false);
    servers.push(huge.server);
    const run = await runBuilt([
      '--endpoint-url',
      huge.url,
      '--region',
      'us-west-2',
      '--stream-group',
      'sg-1AB2C3De4',
      '--stream-session',
      'ABC123def4567',
      '--command',
      'true',
    ]);
    expect(run.code).toBe(74);
    expect(run.stderr).toMatch(
      /answered with more than 1 MiB, far more than a GameLift Streams answer holds; .* Check --endpoint-url\.\n$/,
    );
    expect(run.peakRssKb).toBeLessThan(150_000);
  });
});
