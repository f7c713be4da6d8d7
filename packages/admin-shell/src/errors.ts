/**
 * Errors of the `gamelift-admin-shell` package. Every error carries a stable string `code`; match on it,
 * not on the message. Messages say what to do next and never contain the token.
 */

/** Stable codes of {@link AdminShellError}, grouped by the step that fails. */
export type AdminShellErrorCode =
  // arguments (thrown before any call)
  | 'INVALID_ARGUMENT'
  | 'INVALID_IDENTIFIER'
  | 'IDENTIFIER_MISMATCH'
  | 'REGION_MISMATCH'
  // AWS configuration
  | 'REGION_MISSING'
  | 'CREDENTIALS_MISSING'
  | 'CREDENTIALS_INVALID'
  // the GameLift Streams API
  | 'ACCESS_DENIED'
  | 'NOT_FOUND'
  | 'NOT_READY'
  | 'SESSION_NOT_USABLE'
  | 'THROTTLED'
  | 'VALIDATION_FAILED'
  | 'SERVICE_ERROR'
  | 'NETWORK_ERROR'
  // the data channel
  | 'CONNECT_FAILED'
  | 'UNSUPPORTED_SESSION'
  | 'URL_EXPIRED'
  | 'SESSION_REPLACED'
  | 'CHANNEL_FAILED'
  // lifecycle
  | 'ABORTED'
  // running commands and copying files
  | 'COMMAND_INCOMPLETE'
  | 'UNSUPPORTED_SHELL'
  | 'REMOTE_TOOL_MISSING'
  | 'OUTPUT_TOO_LARGE'
  | 'REMOTE_PATH_NOT_FOUND'
  | 'REMOTE_READ_FAILED'
  | 'REMOTE_WRITE_FAILED'
  | 'LOCAL_PATH_NOT_FOUND'
  | 'LOCAL_WRITE_FAILED'
  | 'TRANSFER_CORRUPTED';

/**
 * The settings a message may point the reader to. A message names them with {@link mention}; the library's
 * messages say "the region option", the command's say `--region` (see {@link commandLineMessage}).
 */
export type Setting =
  | 'region'
  | 'profile'
  | 'endpoint'
  | 'wait'
  | 'diagnostics'
  | 'interactive'
  | 'listSessions';

const LIBRARY_WORDS: Record<Setting, string> = {
  region: 'the region option',
  profile: 'the profile option',
  endpoint: 'the endpoint option',
  wait: 'the retry.maxWaitMs option',
  diagnostics: 'the logger option',
  interactive: 'an interactive shell (openAdminShell)',
  listSessions: 'listStreamSessions',
};

const COMMAND_WORDS: Record<Setting, string> = {
  region: '--region',
  profile: '--profile',
  endpoint: '--endpoint-url',
  wait: '--wait',
  diagnostics: '--verbose',
  interactive: 'the interactive session (without --command)',
  listSessions: '`gamelift-admin-shell ls --stream-group <stream group>`',
};

const MARK = '\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL delimits a mention, and never occurs in text.
const MENTION = /\u0000([a-z]+)\u0000/g;

/** A setting named in a message template: rendered in the library's words or as the command's flag. */
export function mention(setting: Setting): string {
  return `${MARK}${setting}${MARK}`;
}

function render(template: string, words: Record<Setting, string>): string {
  return template.replace(MENTION, (_, name: string) => words[name as Setting] ?? name);
}

/** The brand every copy of the package marks its errors with (a registered symbol). */
const BRAND = Symbol.for('gamelift-admin-shell.AdminShellError');

/**
 * The one error class of `gamelift-admin-shell`. `cause` keeps the SDK exception or the `SsmChannelError`
 * underneath, when there is one.
 */
export class AdminShellError extends Error {
  /** By brand, not prototype: an error made by another copy of the package is an `AdminShellError` too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  override name = 'AdminShellError';
  /** A stable identifier of the failure; the package README lists every code. */
  readonly code: AdminShellErrorCode;

  readonly #template: string;

  /**
   * @param message the message; the settings it names (this package marks them) are rendered in the library's words
   *   here, and as the command's flags by {@link commandLineMessage}.
   */
  constructor(code: AdminShellErrorCode, message: string, options?: { cause?: unknown }) {
    super(render(message, LIBRARY_WORDS), options);
    this.code = code;
    this.#template = message;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The message with the settings it names written as the command's flags (`--region`, `--wait`, …). */
  get commandLineMessage(): string {
    return render(this.#template, COMMAND_WORDS);
  }
}

/** The message of `error` as the command prints it: with flags instead of option names. */
export function commandLineMessage(error: Error): string {
  // An error of an older copy of the package has no such wording: its message is all there is.
  const wording = error instanceof AdminShellError ? error.commandLineMessage : undefined;
  return typeof wording === 'string' ? wording : error.message;
}

/** True when `value` is an {@link AdminShellError}, also one made by another copy of the package. */
export function isAdminShellError(value: unknown): value is AdminShellError {
  return value instanceof AdminShellError;
}
