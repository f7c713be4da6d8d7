/**
 * The local escape sequence, as in ssh: at the start of a line (after Enter, or first thing), the escape
 * character `~` is held back and the next key decides:
 *
 * - `.` ends the session from the keyboard (for a frozen session);
 * - `?` shows the list of escapes;
 * - `~` sends one `~`;
 * - anything else sends the held `~` followed by that key.
 *
 * A pure state machine over the bytes read from the keyboard.
 */

/** What a key sequence asks of the command besides sending bytes. */
export type EscapeAction = 'disconnect' | 'help';

/** The outcome of {@link EscapeDetector.push}. */
export interface EscapeResult {
  /** The bytes to send to the remote shell (everything except the escape sequences). */
  readonly forward: Uint8Array;
  /** Escape actions, in the order they were typed. After `disconnect`, the rest of the input is dropped. */
  readonly actions: readonly EscapeAction[];
}

/** A stateful escape-sequence filter; see {@link createEscapeDetector}. */
export interface EscapeDetector {
  push(chunk: Uint8Array): EscapeResult;
}

/** The escapes, as shown by `~?`. */
export const ESCAPE_HELP =
  'Supported escape sequences (at the start of a line):\r\n' +
  '  ~.  end the session\r\n' +
  '  ~?  this help\r\n' +
  '  ~~  send one ~\r\n';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const QUESTION = 0x3f;

type State = 'line-start' | 'mid-line' | 'escape-pending' | 'disconnected';

/**
 * Creates an escape detector.
 * @param options.escapeByte the escape character. @default 0x7e (`~`)
 */
export function createEscapeDetector(options: { escapeByte?: number } = {}): EscapeDetector {
  const escapeByte = options.escapeByte ?? 0x7e;
  let state: State = 'line-start';
  return {
    push(chunk: Uint8Array): EscapeResult {
      const forward: number[] = [];
      const actions: EscapeAction[] = [];
      for (const byte of chunk) {
        if (state === 'disconnected') break;
        if (state === 'escape-pending') {
          if (byte === DOT) {
            actions.push('disconnect');
            state = 'disconnected';
            break;
          }
          if (byte === QUESTION) {
            actions.push('help');
            state = 'line-start';
            continue;
          }
          forward.push(escapeByte);
          if (byte === escapeByte) {
            state = 'mid-line';
            continue;
          }
          state = 'mid-line';
          // The key after a lone ~ is an ordinary key: fall through.
        } else if (state === 'line-start' && byte === escapeByte) {
          state = 'escape-pending';
          continue;
        }
        forward.push(byte);
        state = byte === CR || byte === LF ? 'line-start' : 'mid-line';
      }
      return { forward: Uint8Array.from(forward), actions };
    },
  };
}
