/**
 * Local stdin as the remote side reads it: one continuous base64 text (padding only at the very end, since
 * `base64 -d` refuses it mid-stream), cut into lines short enough for a terminal in line mode (which holds
 * at most 4 095 characters of one line), then Ctrl-D, which ends the input of a terminal in line mode when it
 * comes at the start of a line.
 */

/** Raw bytes per line: 2 046 bytes become 2 728 base64 characters. A multiple of 3. */
export const STDIN_LINE_BYTES = 2046;

/** Ctrl-D (VEOF). */
const END_OF_INPUT = '\u0004';

/** Turns chunks of stdin into base64 lines; see the module comment. */
export class StdinLines {
  #carry: Buffer = Buffer.alloc(0);

  /** The lines for `chunk` (possibly none: up to 2 bytes wait for the next chunk). */
  push(chunk: Uint8Array): string {
    const data = this.#carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#carry, chunk]);
    const usable = data.length - (data.length % 3);
    let out = '';
    for (let at = 0; at < usable; at += STDIN_LINE_BYTES) {
      out += `${data.subarray(at, Math.min(usable, at + STDIN_LINE_BYTES)).toString('base64')}\n`;
    }
    this.#carry = Buffer.from(data.subarray(usable));
    return out;
  }

  /** The last line (the 1 or 2 bytes left, with padding) and Ctrl-D. */
  end(): string {
    const last = this.#carry.length === 0 ? '' : `${this.#carry.toString('base64')}\n`;
    this.#carry = Buffer.alloc(0);
    return `${last}${END_OF_INPUT}`;
  }
}
