import { readFileSync } from 'node:fs';
import type { CliMode } from './args.js';

/** The text of `--help`. */
export const HELP_TEXT = `Usage:
  gamelift-admin-shell --stream-group ID|ARN --stream-session ID|ARN [options]
  gamelift-admin-shell ... --command CMD          run CMD, print its output, exit with its status
  gamelift-admin-shell ... < script.sh            run a script non-interactively (like ssh host < script)
  gamelift-admin-shell cp [options] SRC DST       copy files or directories; the remote path has a
                                                  leading colon: cp ./fix.ini :/opt/game/fix.ini,
                                                  cp :/var/log/game ./logs
  gamelift-admin-shell ls --stream-group ID|ARN   list the stream group's sessions
  gamelift-admin-shell --stream-group ID|ARN --all-sessions --command CMD
  gamelift-admin-shell cp --stream-group ID|ARN --all-sessions :/var/log/game.log ./logs
  gamelift-admin-shell web --stream-group ID|ARN --stream-session ID|ARN [options]
                                                  the shell in a browser page on this machine

Opens the admin shell (a terminal on the host) of an Amazon GameLift Streams stream session:
calls CreateStreamSessionAdminShell and connects to the returned Session Manager data channel.
No AWS CLI and no session-manager-plugin needed. \`web\` opens it in a browser page on this
machine instead (see gamelift-admin-shell web --help).

Where:
  --stream-group ID|ARN    the stream group, e.g. sg-1AB2C3De4 or its ARN
                           (may be left out when --stream-session is an ARN)
  --stream-session ID|ARN  the stream session, e.g. ABC123def4567 or its ARN
  --region REGION          AWS region (default: an ARN's region, else AWS_REGION or the
                           profile's region)
  --profile NAME           named profile of ~/.aws/config and ~/.aws/credentials
  --endpoint-url URL       GameLift Streams API endpoint: https://, or http:// to 127.0.0.1,
                           ::1 or localhost only (e.g. an emulator); the same rule holds for
                           AWS_ENDPOINT_URL_GAMELIFTSTREAMS, AWS_ENDPOINT_URL and a profile's
                           endpoint_url
  --wait SECONDS           how long to keep retrying while the session's shell is not ready
                           (409) or the API throttles (429); default 60

What:
  (nothing)                in a terminal: the interactive session. Keys (Ctrl-C, Ctrl-Z, ...)
                           go to the remote shell; at the start of a line ~. disconnects,
                           ~? lists the escapes, ~~ sends one ~.
                           With stdin not a terminal: stdin is a script for sh on the host;
                           stdout and stderr are the script's, the exit status is its own.
  --command CMD            run CMD with sh -c on the host, exactly as given; stdout gets only
                           its stdout, stderr its stderr, bytes unchanged; exit with its status.
                           Local stdin is its stdin when stdin is not a terminal.
  -t, --tty                with stdin not a terminal: type stdin into the remote terminal and
                           print the terminal's output (prompts, echo), as a person would see it
  --record FILE            record the terminal session as an asciicast v2 file (output with
                           timings, resizes), for asciinema-compatible players
  cp SRC DST               copy a file or a directory (recursively) to or from the host, through
                           tar over the shell, checked with SHA-256; a progress bar on stderr
                           when it is a terminal. With --all-sessions: from each session into
                           DST/<session ID>/, or to every session.
  ls                       the sessions of --stream-group: ID, status, age, location
  --all-sessions           run --command (or cp) on every session of --stream-group whose
                           status allows an admin shell; output lines are prefixed with the
                           session ID; exit 0 only when every session succeeded
  --parallel N             sessions worked on at once with --all-sessions (default 8, at most 64)
  --json                   with --all-sessions: one JSON object per session (stdout, stderr,
                           exitCode, error, timing); with ls: one JSON object per session
  -v, --verbose            show each step on stderr (the token is never shown)
  -h, --help               show this help
      --version            show the version

Exit status:
   0   the session ended normally; --command, a script: its own status (0-255)
   1   --all-sessions: at least one session failed (each one's status is reported)
  64   usage error: bad option, malformed or mismatched identifiers, malformed region,
       region mismatch, http:// endpoint that is not loopback
  65   the service refused the request's values
  66   cp: the source does not exist
  68   stream group or stream session not found
  69   the stream session is in a status with no admin shell (e.g. TERMINATED)
  70   internal error (a bug)
  72   the host lacks a tool that --command or cp needs (base64, tar, sha256sum)
  73   cp: the destination cannot be written (missing folder, permission, disk full)
  74   service error, endpoint unreachable, or no answer within 15 s
  75   still not ready (409) or throttled (429) after --wait
  76   connection or protocol failure (expired URL, lost connection, replaced session,
       a command that did not complete, a copy that failed its SHA-256 check)
  77   access denied or credentials rejected
  78   no region or no credentials configured
  79   the session needs what this client does not support (KMS encryption), or its shell
       is Windows PowerShell (--command, cp and --all-sessions need a Linux session)
 130   ended with Enter ~ . or SIGINT (129 SIGHUP, 143 SIGTERM)
 141   standard output was closed by its reader (| head)
`;

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

/** The `--help` text for a mode: `web` has its own. */
export function helpText(mode: CliMode): string {
  return mode === 'web' ? WEB_HELP_TEXT : HELP_TEXT;
}

/** The package version, read from its package.json. */
export function packageVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
