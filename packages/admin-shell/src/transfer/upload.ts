import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { c as create } from 'tar';
import { runAdminShellCommand } from '../command/run-admin-shell-command.js';
import { AdminShellError } from '../errors.js';
import { linkSignals } from '../linked-signal.js';
import type { OpenAdminShellOptions } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';
import { type CopyOptions, type CopyResult, checkPath } from './copy-types.js';
import { localReadError } from './local-errors.js';
import { TransferReport } from './transfer-report.js';
import { uploadScript } from './transfer-scripts.js';

/** What is sent: the tar stream of a file (by its name, following a symlink) or of a directory's contents. */
interface Source {
  readonly type: 'f' | 'd';
  readonly name: string;
  readonly cwd: string;
  readonly entry: string;
}

async function source(localPath: string): Promise<Source> {
  const path = resolve(localPath);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw localReadError(localPath, error);
  }
  const name = basename(path);
  if (info.isDirectory()) return { type: 'd', name, cwd: path, entry: '.' };
  if (info.isFile()) return { type: 'f', name, cwd: dirname(path), entry: name };
  throw new AdminShellError(
    'INVALID_ARGUMENT',
    `${JSON.stringify(printableText(localPath, 200))} is neither a file nor a directory.`,
  );
}

/** The tar stream of `src` (the same bytes each time, as long as the files do not change). */
function tarStream(src: Source) {
  return create(
    // Files are read 64 KiB at a time (tar's default, 16 MiB, would hold that much per read).
    { cwd: src.cwd, portable: true, follow: src.type === 'f', strict: true, maxReadSize: 64 * 1024 },
    [src.entry],
  );
}

/** The SHA-256 and length of `src`'s tar stream, read once before sending, for the host to check against. */
async function measure(src: Source, localPath: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      tarStream(src),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          callback();
        },
      }),
    );
  } catch (error) {
    throw localReadError(localPath, error);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Copies a file or a directory (recursively) from this machine to the host of a stream session, through tar
 * over the admin shell. The tar stream's SHA-256 is computed here first; the host extracts what it receives
 * into a temporary directory next to the destination, checks the SHA-256, and only then renames the copy
 * into place. Memory stays bounded whatever the size.
 *
 * The destination is `remotePath`, or `remotePath/<name>` when it is an existing directory on the host (a
 * path ending in `/` must be one). A file replaces a file; nothing replaces a directory.
 * @throws {AdminShellError} at once for a bad path or option; the promise rejects with
 *   `LOCAL_PATH_NOT_FOUND`, `REMOTE_WRITE_FAILED` (no such folder, permission, full disk, a directory in the
 *   way), `REMOTE_TOOL_MISSING`, `TRANSFER_CORRUPTED` (also when a local file changed during the copy), or
 *   `runAdminShellCommand`'s codes.
 */
export async function copyToStreamSession(
  options: OpenAdminShellOptions,
  copy: CopyOptions,
): Promise<CopyResult> {
  const remotePath = checkPath('remotePath', copy.remotePath);
  const localPath = checkPath('localPath', copy.localPath);
  const src = await source(localPath);
  const expected = await measure(src, localPath);
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = new PassThrough({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      copy.onProgress?.({ bytes, totalBytes: expected.bytes });
      callback(null, chunk);
    },
  });
  const local = new AbortController();
  let readFailure: unknown;
  const pack = tarStream(src);
  pack.on('error', (error: unknown) => {
    readFailure ??= error;
    local.abort();
  });
  pack.pipe(counted);
  const report = new TransferReport();
  const { signal, release } = linkSignals(options.signal, local.signal);
  let exitCode: number;
  try {
    ({ exitCode } = await runAdminShellCommand(
      { ...options, signal },
      uploadScript({ remotePath, name: src.name, type: src.type, sha256: expected.sha256 }),
      {
        stdin: counted,
        stderr: report,
        ...(copy.onOpen === undefined ? {} : { onOpen: copy.onOpen }),
      },
    ));
  } catch (error) {
    if (readFailure !== undefined) throw localReadError(localPath, readFailure);
    throw error;
  } finally {
    release();
    pack.unpipe(counted);
    counted.destroy();
  }
  report.finish();
  const sent = hash.digest('hex');
  const failed = report.failure(remotePath, 'upload');
  if (failed?.code === 'TRANSFER_CORRUPTED' && bytes === expected.bytes && sent !== expected.sha256) {
    throw new AdminShellError(
      'TRANSFER_CORRUPTED',
      `A file under ${JSON.stringify(printableText(localPath, 200))} changed while it was copied; nothing was ` +
        'replaced on the host. Copy again once it stays the same.',
    );
  }
  if (failed !== undefined) throw failed;
  if (exitCode !== 0 || !report.ok) {
    throw new AdminShellError(
      'REMOTE_WRITE_FAILED',
      `The copy to ${JSON.stringify(printableText(remotePath, 200))} stopped on the host (exit status ${exitCode})` +
        `${report.messages.length > 0 ? `: ${report.tarMessages()}` : ''}.`,
    );
  }
  return {
    path: remotePath,
    type: src.type === 'd' ? 'directory' : 'file',
    bytes,
    sha256: expected.sha256,
    warnings: [...report.messages],
  };
}
