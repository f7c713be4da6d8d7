import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { Unpack } from 'tar';
import { runAdminShellCommand } from '../command/run-admin-shell-command.js';
import { AdminShellError } from '../errors.js';
import { linkSignals } from '../linked-signal.js';
import type { OpenAdminShellOptions } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';
import { type CopyOptions, type CopyResult, checkPath, lastComponent } from './copy-types.js';
import { localWriteError } from './local-errors.js';
import { TransferReport } from './transfer-report.js';
import { downloadScript } from './transfer-scripts.js';

/** Where a download lands: the final path, and whether something is there already. */
interface LocalTarget {
  readonly final: string;
  readonly existing: 'file' | 'directory' | undefined;
}

async function kindOf(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw localWriteError(path, error);
  }
}

/** `localPath` itself, or `localPath/name` when it is a directory; its folder must exist. */
async function localTarget(localPath: string, name: string): Promise<LocalTarget> {
  const path = resolve(localPath);
  const kind = await kindOf(path);
  if (kind === 'directory') {
    const final = join(path, name);
    return { final, existing: await kindOf(final) };
  }
  if (kind === undefined && (localPath.endsWith('/') || localPath.endsWith(sep))) {
    throw new AdminShellError(
      'LOCAL_WRITE_FAILED',
      `The folder ${JSON.stringify(printableText(localPath, 200))} does not exist here. Create it first.`,
    );
  }
  if ((await kindOf(dirname(path))) !== 'directory') {
    throw new AdminShellError(
      'LOCAL_WRITE_FAILED',
      `The folder of ${JSON.stringify(printableText(localPath, 200))} does not exist here. Create it first.`,
    );
  }
  return { final: path, existing: kind };
}

/**
 * Receives the tar stream: hashes and counts it, and extracts it into `dir` as it comes (backpressure from
 * the disk holds the remote output). An extraction error is kept and the rest is dropped.
 */
class DownloadSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  failure: unknown;
  readonly #unpack: Unpack;
  readonly #closed: Promise<void>;
  readonly #onBytes: (bytes: number) => void;

  constructor(dir: string, onBytes: (bytes: number) => void, onFailure: () => void) {
    super();
    this.#onBytes = onBytes;
    this.#unpack = new Unpack({
      cwd: dir,
      preserveOwner: false,
      strict: true,
      // A file the stream holds twice, or a directory in place of a file, replaces what is there.
      unlink: true,
    });
    this.#closed = new Promise((done) => {
      this.#unpack.on('close', () => done());
      this.#unpack.on('error', (error: unknown) => {
        this.failure ??= error;
        onFailure();
        done();
      });
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.#onBytes(this.bytes);
    if (this.failure !== undefined || this.#unpack.write(chunk)) callback();
    else this.#unpack.once('drain', () => callback());
  }

  /** Ends the extraction; resolves once every file is written (or it failed). */
  finish(): Promise<void> {
    if (this.failure === undefined) this.#unpack.end();
    return this.#closed;
  }
}

/**
 * Copies a file or a directory (recursively) from the host of a stream session to this machine, through tar
 * over the admin shell: the tar stream is extracted as it arrives into a temporary directory next to the
 * destination, its SHA-256 is compared with the one computed on the host, and only then is the copy renamed
 * into place, so nothing partial is ever left. Memory stays bounded whatever the size.
 *
 * The destination is `localPath`, or `localPath/<name>` when it is an existing directory. A file replaces a
 * file; nothing replaces a directory.
 * @throws {AdminShellError} at once for a bad path or option; the promise rejects with
 *   `REMOTE_PATH_NOT_FOUND`, `REMOTE_READ_FAILED`, `REMOTE_TOOL_MISSING`, `LOCAL_WRITE_FAILED` (no such
 *   folder, permission, full disk, a directory in the way), `TRANSFER_CORRUPTED`, or `runAdminShellCommand`'s
 *   codes.
 */
export async function copyFromStreamSession(
  options: OpenAdminShellOptions,
  copy: CopyOptions,
): Promise<CopyResult> {
  const remotePath = checkPath('remotePath', copy.remotePath);
  const localPath = checkPath('localPath', copy.localPath);
  const name = lastComponent(remotePath);
  const target = await localTarget(localPath, name);
  if (target.existing === 'directory') throw alreadyDirectory(target.final);
  let tmp: string;
  try {
    tmp = await mkdtemp(join(dirname(target.final), '.glas-cp-'));
    await mkdir(join(tmp, 'p'));
  } catch (error) {
    throw localWriteError(dirname(target.final), error);
  }
  try {
    return await receive(options, copy, remotePath, target, tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function receive(
  options: OpenAdminShellOptions,
  copy: CopyOptions,
  remotePath: string,
  target: LocalTarget,
  tmp: string,
): Promise<CopyResult> {
  const report = new TransferReport();
  const local = new AbortController();
  let total: number | undefined;
  report.onSize = (bytes) => {
    total = bytes;
  };
  const sink = new DownloadSink(
    join(tmp, 'p'),
    (bytes) => copy.onProgress?.({ bytes, ...(total === undefined ? {} : { totalBytes: total }) }),
    () => local.abort(),
  );
  const { signal, release } = linkSignals(options.signal, local.signal);
  let exitCode: number;
  try {
    ({ exitCode } = await runAdminShellCommand({ ...options, signal }, downloadScript(remotePath), {
      stdout: sink,
      stderr: report,
      ...(copy.onOpen === undefined ? {} : { onOpen: copy.onOpen }),
    }));
  } catch (error) {
    if (sink.failure !== undefined) throw localWriteError(target.final, sink.failure);
    throw error;
  } finally {
    release();
  }
  if (sink.bytes === 0) {
    report.finish();
    throw (
      report.failure(remotePath, 'download') ??
      new AdminShellError(
        'REMOTE_READ_FAILED',
        `The host sent nothing for ${JSON.stringify(printableText(remotePath, 200))} (exit status ${exitCode})` +
          `${report.messages.length > 0 ? `: ${report.tarMessages()}` : ''}.`,
      )
    );
  }
  report.finish();
  const failed = report.failure(remotePath, 'download');
  if (failed !== undefined) throw failed;
  await sink.finish();
  if (sink.failure !== undefined) throw localWriteError(target.final, sink.failure);
  const sha256 = sink.hash.digest('hex');
  if (exitCode !== 0 || report.type === undefined || report.sha256 === undefined) {
    throw new AdminShellError(
      'REMOTE_READ_FAILED',
      `The copy of ${JSON.stringify(printableText(remotePath, 200))} stopped on the host (exit status ${exitCode})` +
        `${report.messages.length > 0 ? `: ${report.tarMessages()}` : ''}.`,
    );
  }
  if (report.sha256 !== sha256) {
    throw new AdminShellError(
      'TRANSFER_CORRUPTED',
      `What arrived (${sink.bytes} bytes) does not have the SHA-256 the host computed; nothing was written. ` +
        'Copy again.',
    );
  }
  const type = report.type === 'd' ? 'directory' : 'file';
  await place(join(tmp, 'p'), lastComponent(remotePath), type, target);
  return { path: target.final, type, bytes: sink.bytes, sha256, warnings: [...report.messages] };
}

function alreadyDirectory(final: string): AdminShellError {
  return new AdminShellError(
    'LOCAL_WRITE_FAILED',
    `${JSON.stringify(printableText(final, 200))} already exists as a directory, and a copy never replaces a ` +
      'directory. Remove it first, or copy to another path.',
  );
}

/** Renames the extracted copy into place: a file over a file, a directory only where nothing is. */
async function place(
  payload: string,
  name: string,
  type: 'file' | 'directory',
  target: LocalTarget,
): Promise<void> {
  const { final } = target;
  const existing = await kindOf(final);
  if (existing === 'directory') throw alreadyDirectory(final);
  if (type === 'directory' && existing !== undefined) {
    throw new AdminShellError(
      'LOCAL_WRITE_FAILED',
      `${JSON.stringify(printableText(final, 200))} already exists as a file, and the source is a directory. ` +
        'Remove it first, or copy to another path.',
    );
  }
  const from = type === 'directory' ? payload : join(payload, name);
  if ((await kindOf(from)) === undefined) {
    throw new AdminShellError(
      'REMOTE_READ_FAILED',
      `The host sent no ${JSON.stringify(printableText(name, 100))}.`,
    );
  }
  try {
    await rename(from, final);
  } catch (error) {
    throw localWriteError(final, error);
  }
}
