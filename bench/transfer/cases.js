// The cases of the transfer benchmark, shared with its slice test.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulatorFlags, MAIN, timeRun } from '../admin-shell-env.js';

const RAW_CLIENT = fileURLToPath(new URL('./raw-client.js', import.meta.url));

/** MB (10^6 bytes) per second. */
function rate(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}

/** The raw data channel, no shell: an agent session in `source` (download) or `sink` (upload) mode. */
export async function rawChannel(em, direction, bytes) {
  const agent = await em.agent();
  const session = await agent.createSession(
    direction === 'download'
      ? { mode: 'source', source: { bytes }, handshake: true }
      : { mode: 'sink', handshake: true },
  );
  const run = await timeRun(
    process.execPath,
    [RAW_CLIENT, session.url, session.tokenValue, direction, String(bytes)],
    {
      collect: true,
    },
  );
  if (run.code !== 0) throw new Error(`raw ${direction} exited ${run.code}: ${run.stderr}`);
  const { bytes: moved, ms } = JSON.parse(run.stdout);
  if (moved !== bytes) throw new Error(`raw ${direction}: ${moved} of ${bytes} bytes`);
  if (direction === 'upload' && session.stats().sink.bytes !== bytes) {
    throw new Error(`raw upload: the sink got ${session.stats().sink.bytes} bytes`);
  }
  return { mbPerS: rate(bytes, ms), ms };
}

/** A file of `bytes` random bytes at `path`. */
export function makeFile(path, bytes) {
  const chunk = 1024 * 1024;
  writeFileSync(path, '');
  for (let done = 0; done < bytes; done += chunk) {
    writeFileSync(path, randomBytes(Math.min(chunk, bytes - done)), { flag: 'a' });
  }
}

/** `gamelift-admin-shell cp`, launch to exit, of `file` to the host (into `remoteDir`) or back (into `localDir`). */
export async function copyRun(em, direction, file, dir) {
  mkdirSync(dir, { recursive: true });
  const args =
    direction === 'download'
      ? ['cp', ...emulatorFlags(em), `:${file}`, dir]
      : ['cp', ...emulatorFlags(em), file, `:${dir}/`];
  const run = await timeRun(process.execPath, [MAIN, ...args]);
  if (run.code !== 0) throw new Error(`cp ${direction} exited ${run.code}: ${run.stderr}`);
  const copied = join(dir, file.slice(file.lastIndexOf('/') + 1));
  const bytes = statSync(file).size;
  if (!readFileSync(copied).equals(readFileSync(file))) throw new Error(`cp ${direction}: the copy differs`);
  rmSync(copied);
  return { mbPerS: rate(bytes, run.ms), ms: run.ms };
}
