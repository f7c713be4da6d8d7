import { readFileSync } from 'node:fs';

/** The text of `--help`. */
export const HELP_TEXT = `Usage: gamelift-admin-shell --stream-group ID|ARN --stream-session ID|ARN [options]
       gamelift-admin-shell web --stream-group ID|ARN --stream-session ID|ARN [options]

Opens the admin shell (a terminal on the host) of an Amazon GameLift Streams stream session:
calls CreateStreamSessionAdminShell and connects to the returned Session Manager data channel.
No AWS CLI and no session-manager-plugin needed. \`web\` opens it in a browser page on this
machine instead (see gamelift-admin-shell web --help).

Options:
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
  --command CMD            run CMD in the remote shell (POSIX sh), print only its output,
                           and exit with its exit status (the typed line, CMD quoted plus
                           about 200 bytes, must fit 4095 bytes)
  --wait SECONDS           how long to keep retrying while the session's shell is not ready
                           (409) or the API throttles (429); default 60
  -v, --verbose            show each step on stderr (the token is never shown)
  -h, --help               show this help
      --version            show the version

In a terminal, keys (Ctrl-C, Ctrl-Z, …) go to the remote shell. At the start of a line:
  ~.  disconnect (for a frozen session)   ~?  list escapes   ~~  send one ~
With stdin not a terminal, its bytes go to the remote shell and its end ends the session.

Exit status:
   0   the session ended normally (--command: the command's own status, 0-255)
  64   usage error: bad option, malformed or mismatched identifiers, malformed region,
       region mismatch, http:// endpoint that is not loopback, --command too long
  65   the service refused the request's values
  68   stream group or stream session not found
  69   the stream session is in a status with no admin shell (e.g. TERMINATED)
  70   internal error (a bug)
  74   service error, endpoint unreachable, or no answer within 15 s
  75   still not ready (409) or throttled (429) after --wait
  76   connection or protocol failure (expired URL, lost connection, replaced session)
  77   access denied or credentials rejected
  78   no region or no credentials configured
  79   the session needs what this client does not support (KMS encryption)
 130   ended with Enter ~ . or SIGINT (129 SIGHUP, 143 SIGTERM)
 141   standard output was closed by its reader (| head)
`;

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
