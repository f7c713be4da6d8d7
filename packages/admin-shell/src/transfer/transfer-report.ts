import { Writable } from 'node:stream';
import { AdminShellError } from '../errors.js';
import { printableText } from '../printable-text.js';

/** The most lines of the copy command's stderr kept (tar's messages); the rest are counted. */
const MAX_MESSAGES = 50;
/** The longest stderr line kept whole. */
const MAX_LINE = 4096;

/**
 * Reads the stderr of a copy command (see `transfer-scripts.ts`): the `glas-…` report lines, and every other
 * line (tar's messages) as text to show. Bounded: at most {@link MAX_MESSAGES} lines kept.
 */
export class TransferReport extends Writable {
  error: string | undefined;
  type: 'f' | 'd' | undefined;
  sizeBytes: number | undefined;
  sha256: string | undefined;
  ok = false;
  readonly messages: string[] = [];
  /** Called when the size line arrives (for a progress bar). */
  onSize: ((bytes: number) => void) | undefined;
  #partial = '';
  #dropped = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.#partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.#partial = (lines.pop() ?? '').slice(0, MAX_LINE);
    for (const line of lines) this.#line(line);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finish();
    callback();
  }

  /** Reads the last line when it has no line end. */
  finish(): void {
    if (this.#partial !== '') this.#line(this.#partial);
    this.#partial = '';
  }

  /** tar's messages, made printable, for an error message or a warning. */
  tarMessages(): string {
    const shown = this.messages.map((m) => printableText(m, 300)).filter((m) => m !== '');
    const more = this.#dropped > 0 ? ` (and ${this.#dropped} more lines)` : '';
    return `${shown.slice(0, 5).join('; ')}${more}`;
  }

  #line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const match = /^glas-([a-z0-9]+):? ?(.*)$/.exec(line);
    switch (match?.[1]) {
      case 'error':
        this.error ??= match[2];
        return;
      case 'type':
        if (match[2] === 'f' || match[2] === 'd') this.type = match[2];
        return;
      case 'size': {
        const bytes = Number(match[2]);
        if (Number.isSafeInteger(bytes) && bytes >= 0) {
          this.sizeBytes = bytes;
          this.onSize?.(bytes);
        }
        return;
      }
      case 'sha256':
        if (/^[0-9a-f]{64}$/.test(match[2] ?? '')) this.sha256 = match[2];
        return;
      case 'ok':
        this.ok = true;
        return;
      case 'tar':
        this.#keep(match[2] ?? '');
        return;
      default:
        this.#keep(line);
    }
  }

  #keep(line: string): void {
    if (line.trim() === '') return;
    if (this.messages.length < MAX_MESSAGES) this.messages.push(line.slice(0, MAX_LINE));
    else this.#dropped++;
  }

  /**
   * The error the report describes, or `undefined`.
   * @param where the remote path, for the message.
   */
  failure(where: string, direction: 'download' | 'upload'): AdminShellError | undefined {
    if (this.error === undefined) return undefined;
    const path = JSON.stringify(printableText(where, 200));
    const tar = this.tarMessages();
    const said = tar === '' ? '' : ` (tar: ${tar})`;
    const [what, tool] = this.error.split(' ');
    switch (what) {
      case 'not-found':
        return new AdminShellError('REMOTE_PATH_NOT_FOUND', `The stream session's host has no ${path}.`);
      case 'denied':
        return direction === 'download'
          ? new AdminShellError(
              'REMOTE_READ_FAILED',
              `${path} on the host cannot be read (permission denied).`,
            )
          : new AdminShellError(
              'REMOTE_WRITE_FAILED',
              `The copy cannot be written to ${path} on the host (permission denied).`,
            );
      case 'no-tool':
        return new AdminShellError(
          'REMOTE_TOOL_MISSING',
          `The stream session's host has no ${printableText(tool ?? 'tool', 40)} command, which copying needs. ` +
            'Install it on the host (tar, sha256sum and mkfifo are part of every Linux distribution).',
        );
      case 'tmp':
        return new AdminShellError(
          'REMOTE_WRITE_FAILED',
          "The host's temporary directory cannot be written (is its disk full?), so the copy could not start.",
        );
      case 'full':
        return new AdminShellError(
          'REMOTE_WRITE_FAILED',
          `The host's disk is full: the copy to ${path} did not fit${said}. Nothing was replaced; free some space ` +
            'and copy again.',
        );
      case 'exists':
        return new AdminShellError(
          'REMOTE_WRITE_FAILED',
          `${path} already exists on the host as a directory (or, for a directory, at all), and a copy never ` +
            'replaces a directory. Remove it first, or copy to another path.',
        );
      case 'no-dir':
        return new AdminShellError(
          'REMOTE_WRITE_FAILED',
          `The folder of ${path} does not exist on the host. Create it first, or copy to an existing folder.`,
        );
      case 'corrupted':
        return new AdminShellError(
          'TRANSFER_CORRUPTED',
          `What the host received for ${path} does not have the SHA-256 of what was sent; nothing was replaced. ` +
            'Copy again.',
        );
      default:
        return direction === 'download'
          ? new AdminShellError('REMOTE_READ_FAILED', `tar failed on the host while reading ${path}${said}.`)
          : new AdminShellError(
              'REMOTE_WRITE_FAILED',
              `tar failed on the host while writing ${path}${said}.`,
            );
    }
  }
}
