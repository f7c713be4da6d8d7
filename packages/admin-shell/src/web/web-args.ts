import { type CliArgs, parseCliArgs } from '../cli/args.js';
import { AdminShellError } from '../errors.js';

/** The parsed command line of `gamelift-admin-shell web`: the command's own flags, and the local port. */
export interface WebArgs extends CliArgs {
  /** TCP port of the local page on 127.0.0.1; 0 picks a free one. */
  port: number;
}

function usage(message: string): AdminShellError {
  return new AdminShellError('INVALID_ARGUMENT', `${message} See gamelift-admin-shell web --help.`);
}

/**
 * Parses the arguments after `web`: the identifier and credential flags of the command (`--stream-group`,
 * `--stream-session`, `--region`, `--profile`, `--endpoint-url`, `--wait`, `--verbose`, `--help`), and
 * `--port`. `--command` does not apply: the page is a terminal.
 * @throws {AdminShellError} `INVALID_ARGUMENT`
 */
export function parseWebArgs(argv: readonly string[]): WebArgs {
  let port: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg !== '--port' && !arg.startsWith('--port=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
    if (port !== undefined) throw usage('--port is given twice.');
    if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
      throw usage(
        `--port takes a TCP port from 0 to 65535${value === undefined ? '.' : `, not ${JSON.stringify(value)}.`}`,
      );
    }
    port = Number(value);
  }
  const args = parseCliArgs(rest);
  if (args.command !== undefined) {
    throw usage('--command does not apply to web: the page is an interactive terminal.');
  }
  return { ...args, port: port ?? 0 };
}

/** The text of `gamelift-admin-shell web --help`. */
export const WEB_HELP_TEXT = `Usage: gamelift-admin-shell web --stream-group ID|ARN --stream-session ID|ARN [options]

Opens the admin shell of an Amazon GameLift Streams stream session in a browser page on this
machine: serves a terminal (xterm.js) on 127.0.0.1 and prints its address. When the page opens,
this command calls CreateStreamSessionAdminShell with your AWS credentials and hands the page the
stream URL and token; the browser then connects to the session itself. The address carries a
secret that works once.

Options:
  --stream-group ID|ARN    the stream group, e.g. sg-1AB2C3De4 or its ARN
                           (may be left out when --stream-session is an ARN)
  --stream-session ID|ARN  the stream session, e.g. ABC123def4567 or its ARN
  --region REGION          AWS region (default: an ARN's region, else AWS_REGION or the
                           profile's region)
  --profile NAME           named profile of ~/.aws/config and ~/.aws/credentials
  --endpoint-url URL       GameLift Streams API endpoint (https://, or http:// to a loopback
                           host, e.g. an emulator)
  --wait SECONDS           how long to keep retrying while the session's shell is not ready
                           (409) or the API throttles (429); default 60
  --port PORT              the local port of the page (default: any free port)
  -v, --verbose            show each step on stderr (the token is never shown)
  -h, --help               show this help

The command ends when the session in the page ends (the remote shell exits, or the page is
closed), with the exit status the terminal command would give; Ctrl-C ends both.
`;
