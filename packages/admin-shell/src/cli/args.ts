import { AdminShellError } from '../errors.js';
import { commandLineBytes, MAX_COMMAND_LINE_BYTES } from './command-marker.js';

/** The parsed command line of `gamelift-admin-shell`. */
export interface CliArgs {
  streamGroup?: string;
  streamSession?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  command?: string;
  /** Seconds to keep retrying while the service answers "not ready" (409) or throttles (429). */
  waitSeconds?: number;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

type ValueFlag = 'streamGroup' | 'streamSession' | 'region' | 'profile' | 'endpointUrl' | 'command' | 'wait';

const VALUE_FLAGS: Record<string, ValueFlag> = {
  '--stream-group': 'streamGroup',
  '--stream-session': 'streamSession',
  '--region': 'region',
  '--profile': 'profile',
  '--endpoint-url': 'endpointUrl',
  '--command': 'command',
  '--wait': 'wait',
};
const SWITCHES: Record<string, 'verbose' | 'help' | 'version'> = {
  '--verbose': 'verbose',
  '-v': 'verbose',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
};

/** The longest `--wait`, in seconds. */
export const MAX_WAIT_SECONDS = 3_600;

function usage(message: string): AdminShellError {
  return new AdminShellError('INVALID_ARGUMENT', `${message} See --help.`);
}

/**
 * Parses the arguments (without `node` and the script). Accepts `--flag value` and `--flag=value`.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for an unknown flag, a missing or bad value, a repeated flag
 *   or a positional argument.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = { verbose: false, help: false, version: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const switchName = SWITCHES[flag];
    if (switchName !== undefined) {
      if (eq !== -1) throw usage(`${flag} takes no value.`);
      out[switchName] = true;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (key === undefined) {
      throw usage(
        arg.startsWith('-')
          ? `Unknown option ${JSON.stringify(flag)}.`
          : `Unexpected argument ${JSON.stringify(arg)}.`,
      );
    }
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
    if (value.length === 0) throw usage(`${flag} needs a non-empty value.`);
    if (key === 'wait') {
      const seconds = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds) || seconds > MAX_WAIT_SECONDS) {
        throw usage(
          `--wait takes a number of seconds from 0 to ${MAX_WAIT_SECONDS}, not ${JSON.stringify(value)}.`,
        );
      }
      out.waitSeconds = seconds;
    } else {
      out[key] = value;
    }
  }
  if (out.command !== undefined) {
    if (out.command.includes('\0')) throw usage('--command cannot contain a NUL byte.');
    // What counts is the line typed into the remote shell: the command quoted (each ' becomes 4 bytes)
    // inside the framing that recovers its exit status.
    const lineBytes = commandLineBytes(out.command);
    if (lineBytes > MAX_COMMAND_LINE_BYTES) {
      throw usage(
        `--command is too long: the line typed into the remote shell would be ${lineBytes} bytes (the command ` +
          `quoted, each ' counting 4 bytes, plus about 200 bytes of framing), and a terminal line holds at ` +
          `most ${MAX_COMMAND_LINE_BYTES}. Shorten it, or put the script in a file on the host.`,
      );
    }
  }
  return out;
}
