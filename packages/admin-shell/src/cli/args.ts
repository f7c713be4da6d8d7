import { AdminShellError } from '../errors.js';

/** What the command does: a session (terminal, script or `--command`), a copy, a listing, or a web page. */
export type CliMode = 'shell' | 'cp' | 'ls' | 'web';

/** The parsed command line of `gamelift-admin-shell`. */
export interface CliArgs {
  mode: CliMode;
  streamGroup?: string;
  streamSession?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  command?: string;
  /** Seconds to keep retrying while the service answers "not ready" (409) or throttles (429). */
  waitSeconds?: number;
  /** `--record FILE`: an asciicast v2 recording of the terminal session. */
  record?: string;
  /** `--parallel N`: sessions worked on at once with `--all-sessions`. */
  parallel?: number;
  /** `--port N` of `web`: the local page's TCP port on 127.0.0.1 (0: any free one). */
  port?: number;
  /** The operands of `cp`: SRC and DST. */
  paths: string[];
  tty: boolean;
  allSessions: boolean;
  json: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

type ValueFlag =
  | 'streamGroup'
  | 'streamSession'
  | 'region'
  | 'profile'
  | 'endpointUrl'
  | 'command'
  | 'wait'
  | 'record'
  | 'parallel'
  | 'port';

const VALUE_FLAGS: Record<string, ValueFlag> = {
  '--stream-group': 'streamGroup',
  '--stream-session': 'streamSession',
  '--region': 'region',
  '--profile': 'profile',
  '--endpoint-url': 'endpointUrl',
  '--command': 'command',
  '--wait': 'wait',
  '--record': 'record',
  '--parallel': 'parallel',
  '--port': 'port',
};
const SWITCHES: Record<string, 'verbose' | 'help' | 'version' | 'tty' | 'allSessions' | 'json'> = {
  '--verbose': 'verbose',
  '-v': 'verbose',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '--tty': 'tty',
  '-t': 'tty',
  '--all-sessions': 'allSessions',
  '--json': 'json',
};
const MODES: Record<string, CliMode> = { cp: 'cp', ls: 'ls', web: 'web' };

/** The longest `--wait`, in seconds. */
export const MAX_WAIT_SECONDS = 3_600;
/** The most sessions worked on at once. */
export const MAX_PARALLEL = 64;
/** Sessions worked on at once with `--all-sessions` (see `bench/README.md`). */
export const DEFAULT_PARALLEL = 8;

function usage(message: string): AdminShellError {
  return new AdminShellError('INVALID_ARGUMENT', `${message} See --help.`);
}

function parseValue(key: ValueFlag, flag: string, value: string, out: CliArgs): void {
  switch (key) {
    case 'wait': {
      const seconds = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds) || seconds > MAX_WAIT_SECONDS) {
        throw usage(
          `--wait takes a number of seconds from 0 to ${MAX_WAIT_SECONDS}, not ${JSON.stringify(value)}.`,
        );
      }
      out.waitSeconds = seconds;
      return;
    }
    case 'parallel': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > MAX_PARALLEL) {
        throw usage(
          `--parallel takes a whole number from 1 to ${MAX_PARALLEL}, not ${JSON.stringify(value)}.`,
        );
      }
      out.parallel = n;
      return;
    }
    case 'port': {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
        throw usage(`--port takes a TCP port from 0 to 65535, not ${JSON.stringify(value)}.`);
      }
      out.port = Number(value);
      return;
    }
    default:
      if (value.length === 0) throw usage(`${flag} needs a non-empty value.`);
      out[key] = value;
  }
}

/**
 * Parses the arguments (without `node` and the script): an optional first word (before or after flags)
 * `cp`, `ls` or `web`, flags as
 * `--flag value` or `--flag=value`, and the two operands of `cp`. Checks which flags go together.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for an unknown flag, a missing or bad value, a repeated flag, a
 *   stray operand, or flags that do not go together.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = {
    mode: 'shell',
    paths: [],
    tty: false,
    allSessions: false,
    json: false,
    verbose: false,
    help: false,
    version: false,
  };
  const seen = new Set<string>();
  let operandsOnly = false;
  let sawWord = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!operandsOnly && arg === '--') {
      operandsOnly = true;
      continue;
    }
    const isFlag = !operandsOnly && arg.startsWith('-') && arg !== '-';
    if (!isFlag) {
      const mode = MODES[arg];
      const first = !sawWord;
      sawWord = true;
      if (first && mode !== undefined) out.mode = mode;
      else if (out.mode === 'cp') out.paths.push(arg);
      else throw usage(`Unexpected argument ${JSON.stringify(arg)}.`);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const switchName = SWITCHES[flag];
    if (switchName !== undefined) {
      if (eq !== -1) throw usage(`${flag} takes no value.`);
      out[switchName] = true;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (key === undefined) throw usage(`Unknown option ${JSON.stringify(flag)}.`);
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && key !== 'command')) {
        throw usage(`${flag} needs a value.`);
      }
      i++;
    }
    if (seen.has(flag)) throw usage(`${flag} is given twice.`);
    seen.add(flag);
    parseValue(key, flag, value, out);
  }
  if (!out.help && !out.version) checkCombinations(out);
  return out;
}

function checkCombinations(args: CliArgs): void {
  const given = (flag: string, on: boolean): string | undefined => (on ? flag : undefined);
  const refuse = (what: string, flags: (string | undefined)[]): void => {
    const present = flags.filter((f): f is string => f !== undefined);
    if (present.length > 0) throw usage(`${present.join(', ')} cannot be used ${what}.`);
  };
  if (args.command?.includes('\0')) {
    throw usage('--command cannot contain a NUL byte.');
  }
  if (args.mode !== 'web') refuse('without web', [given('--port', args.port !== undefined)]);
  if (args.mode === 'web') {
    // The page is an interactive terminal on one session.
    refuse('with web', [
      given('--command', args.command !== undefined),
      given('--tty', args.tty),
      given('--record', args.record !== undefined),
      given('--all-sessions', args.allSessions),
      given('--parallel', args.parallel !== undefined),
      given('--json', args.json),
    ]);
    return;
  }
  if (args.mode === 'ls') {
    refuse('with ls', [
      given('--stream-session', args.streamSession !== undefined),
      given('--command', args.command !== undefined),
      given('--tty', args.tty),
      given('--record', args.record !== undefined),
      given('--all-sessions', args.allSessions),
      given('--parallel', args.parallel !== undefined),
    ]);
    if (args.streamGroup === undefined) throw usage('ls needs --stream-group.');
    return;
  }
  if (args.mode === 'cp') {
    refuse('with cp', [
      given('--command', args.command !== undefined),
      given('--tty', args.tty),
      given('--record', args.record !== undefined),
    ]);
    if (args.paths.length !== 2) {
      throw usage(`cp takes two paths, SOURCE and DESTINATION, not ${args.paths.length}.`);
    }
    const remote = args.paths.filter((p) => p.startsWith(':'));
    if (remote.length !== 1) {
      throw usage(
        'cp copies between this machine and the stream session: write the remote path with a leading colon, ' +
          'in exactly one of SOURCE and DESTINATION (cp ./fix.ini :/opt/game/fix.ini, cp :/var/log/game ./logs).',
      );
    }
    for (const p of args.paths) {
      if (p === ':' || p === '') throw usage('cp needs a non-empty path on both sides.');
    }
  } else {
    if (args.allSessions && args.command === undefined) {
      throw usage('--all-sessions runs a --command (or a cp) on every session; give --command.');
    }
    refuse('with --command', [
      given('--tty', args.tty && args.command !== undefined),
      given('--record', args.record !== undefined && args.command !== undefined),
    ]);
  }
  if (args.allSessions) {
    refuse('with --all-sessions', [given('--stream-session', args.streamSession !== undefined)]);
    if (args.streamGroup === undefined) throw usage('--all-sessions needs --stream-group.');
  } else {
    refuse('without --all-sessions', [
      given('--parallel', args.parallel !== undefined),
      given('--json', args.json),
    ]);
  }
}
