/**
 * `--command` over an interactive shell in a pty: the command is typed into the remote shell wrapped so that
 * its output is framed by two markers that carry a random per-run nonce, and the end marker carries `$?`:
 *
 *   stty -echo -onlcr 2>/dev/null; printf '%s%s\n' '<P>' '<B>'; ( eval '<cmd>' ) </dev/null;
 *   printf '%s%s%s\n' '<P>' '<E>' "$?"
 *
 * with P = `__GLAS_<nonce>`, B = `_BEGIN__`, E = `_END__:`. The markers are split in the typed text, so the
 * shell's echo of that line never contains a whole marker; only `printf` produces one. Everything before the
 * begin marker (banner, prompt, echo) is dropped; the bytes between the markers are the command's output,
 * passed through unchanged (binary included); the status follows the end marker. Only then is `exit` typed,
 * so the shell cannot end (and its pty be torn down) while output is still on its way. Output that merely looks
 * like a marker (another nonce, a partial marker) is output. The remote shell must be POSIX (sh, bash, …).
 */

const PREFIX = '__GLAS_';
const BEGIN = '_BEGIN__';
const END = '_END__:';
/** The longest status text after the end marker, e.g. `255\r\n`. */
const MAX_STATUS_CHARS = 8;

/** The length of the per-run nonce, in hex digits (16 random bytes). */
export const NONCE_HEX_DIGITS = 32;

/**
 * The longest line that can be typed into the remote shell, without its `\n`: a terminal in canonical mode
 * (how `sh` reads its input) holds at most 4 095 bytes of one line, and drops what comes past them.
 */
export const MAX_COMMAND_LINE_BYTES = 4_095;

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The line to type into the remote shell to run `command` framed by markers with `nonce` (hex). */
export function buildCommandLine(command: string, nonce: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new RangeError('nonce must be 16 to 64 lower-case hex digits');
  const p = shellQuote(`${PREFIX}${nonce}`);
  return (
    `stty -echo -onlcr 2>/dev/null; printf '%s%s\\n' ${p} '${BEGIN}'; ( eval ${shellQuote(command)} ) </dev/null; ` +
    `printf '%s%s%s\\n' ${p} '${END}' "$?"\n`
  );
}

/**
 * The length in bytes, without the final `\n`, of the line {@link buildCommandLine} types for `command` (the
 * same for every nonce of {@link NONCE_HEX_DIGITS} digits): the command quoted (each `'` becomes 4 bytes) plus
 * about 200 bytes of framing.
 */
export function commandLineBytes(command: string): number {
  return Buffer.byteLength(buildCommandLine(command, '0'.repeat(NONCE_HEX_DIGITS))) - 1;
}

/** What {@link CommandOutputScanner.push} found in a chunk. */
export interface ScanResult {
  /** The command's output in this chunk (possibly empty). */
  readonly output: Uint8Array;
  /** The command's exit status, once the end marker and status have arrived. */
  readonly exitStatus?: number;
}

type Phase = 'before-begin' | 'after-begin' | 'output' | 'status' | 'done';

/**
 * Extracts the framed output and the exit status from the remote shell's output stream. Holds back at most
 * one marker's length of bytes (a possible partial marker), so memory stays bounded whatever the output.
 */
export class CommandOutputScanner {
  private readonly begin: Buffer;
  private readonly end: Buffer;
  private phase: Phase = 'before-begin';
  private held: Buffer = Buffer.alloc(0);
  private status = '';

  constructor(nonce: string) {
    this.begin = Buffer.from(`${PREFIX}${nonce}${BEGIN}`);
    this.end = Buffer.from(`${PREFIX}${nonce}${END}`);
  }

  /** True once the begin marker has been seen: the command has started. */
  get begun(): boolean {
    return this.phase !== 'before-begin';
  }

  /** True once the exit status has been read. */
  get done(): boolean {
    return this.phase === 'done';
  }

  /**
   * Feeds remote output; returns the command output it contains and, at the end, the exit status. Throws
   * nothing: a status that is not 0–255 is reported as 255.
   */
  push(chunk: Uint8Array): ScanResult {
    let data = this.held.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.held, chunk]);
    this.held = Buffer.alloc(0);
    const out: Buffer[] = [];
    while (data.length > 0 && this.phase !== 'done') {
      switch (this.phase) {
        case 'before-begin': {
          const at = data.indexOf(this.begin);
          if (at === -1) {
            this.held = data.subarray(Math.max(0, data.length - (this.begin.length - 1)));
            data = Buffer.alloc(0);
          } else {
            data = data.subarray(at + this.begin.length);
            this.phase = 'after-begin';
          }
          break;
        }
        case 'after-begin': {
          // The newline printf wrote after the begin marker: `\n`, or `\r\n` when onlcr stayed on.
          if (data[0] === 0x0d) data = data.subarray(1);
          if (data.length > 0) {
            if (data[0] === 0x0a) data = data.subarray(1);
            this.phase = 'output';
          }
          break;
        }
        case 'output': {
          const at = data.indexOf(this.end);
          if (at !== -1) {
            out.push(data.subarray(0, at));
            data = data.subarray(at + this.end.length);
            this.phase = 'status';
            break;
          }
          const keep = partialSuffix(data, this.end);
          out.push(data.subarray(0, data.length - keep));
          this.held = data.subarray(data.length - keep);
          data = Buffer.alloc(0);
          break;
        }
        case 'status': {
          const newline = data.indexOf(0x0a);
          const take = newline === -1 ? data : data.subarray(0, newline);
          this.status += take.toString('latin1');
          data = newline === -1 ? Buffer.alloc(0) : data.subarray(newline + 1);
          if (newline !== -1 || this.status.length > MAX_STATUS_CHARS) this.phase = 'done';
          break;
        }
      }
    }
    const output = out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
    if (this.phase !== 'done') return { output };
    return { output, exitStatus: parseStatus(this.status) };
  }
}

/** The length of the longest proper suffix of `data` that is a prefix of `marker`. */
function partialSuffix(data: Buffer, marker: Buffer): number {
  const max = Math.min(data.length, marker.length - 1);
  for (let len = max; len > 0; len--) {
    if (data.subarray(data.length - len).equals(marker.subarray(0, len))) return len;
  }
  return 0;
}

/** `$?` as printed: decimal 0–255, maybe followed by `\r`. Anything else means "unknown" (255). */
function parseStatus(text: string): number {
  const match = /^(\d{1,3})\r?$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(value) && value >= 0 && value <= 255 ? value : 255;
}
