/**
 * Open the admin shell of a GameLift Streams stream session and connect it to this process's stdin and
 * stdout; at the end of stdin, Ctrl-D ends the remote shell. After `pnpm build`:
 *   printf 'uname -a\n' | node examples/dist/admin-shell-pipe.js <stream-group> <stream-session> [region]
 * Credentials come from the AWS SDK's usual chain (environment, profile, SSO, instance role). The
 * `gamelift-admin-shell` command does the same with more care (it waits for the prompt, and repeats Ctrl-D
 * for shells that swallow one typed ahead).
 */
import { pipeline } from 'node:stream/promises';
import { AdminShellError, openAdminShell } from 'gamelift-admin-shell';

const [streamGroupId, streamSessionId, region] = process.argv.slice(2);
if (streamGroupId === undefined || streamSessionId === undefined) {
  console.error('usage: admin-shell-pipe <stream-group> <stream-session> [region]');
  process.exit(2);
}

try {
  const shell = await openAdminShell({
    streamGroupId,
    streamSessionId,
    api: {
      ...(region === undefined ? {} : { region }),
      retry: {
        onRetry: (p) => console.error(`session not ready (${p.reason}); retrying in ${p.delayMs} ms`),
      },
    },
  });
  console.error(`connected to ${shell.streamSessionId} (SSM session ${shell.sessionId})`);
  // The remote side is a terminal: the end of our input is the Ctrl-D a user would type.
  process.stdin.pipe(shell, { end: false });
  process.stdin.once('end', () => shell.write('\x04'));
  await pipeline(shell, process.stdout);
  const info = await shell.whenClosed;
  process.exitCode = info.exitCode ?? 0;
} catch (error) {
  // Every expected failure is coded; the message says what to do.
  console.error(error instanceof AdminShellError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}
