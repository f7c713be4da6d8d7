/**
 * Run one diagnostic command on every session of a stream group that allows an admin shell, and print one
 * line per session: its ID, the command's exit status and the first line of its output. After `pnpm build`:
 *   node examples/dist/group-diagnostics.js <stream-group> [region] [command]
 * The command defaults to `uptime`; it runs with `sh -c` on each host, exactly as given. Credentials come
 * from the AWS SDK's usual chain. (`gamelift-admin-shell --all-sessions` does this with parallel sessions,
 * prefixed output and JSON.)
 */
import { AdminShellError, listStreamSessions, runAdminShellCommand } from 'gamelift-admin-shell';

const [streamGroupId, region, command = 'uptime'] = process.argv.slice(2);
if (streamGroupId === undefined) {
  console.error('usage: group-diagnostics <stream-group> [region] [command]');
  process.exit(2);
}

const api = region === undefined ? {} : { region };
let failures = 0;
for (const session of await listStreamSessions({ streamGroupId, api })) {
  if (!session.adminShell) continue;
  try {
    const result = await runAdminShellCommand(
      { streamGroupId, streamSessionId: session.streamSessionId, api },
      command,
    );
    const first = result.stdout.toString('utf8').split('\n')[0];
    console.log(`${session.streamSessionId} exit=${result.exitCode} ${first}`);
    if (result.exitCode !== 0) failures++;
  } catch (error) {
    // Every expected failure is coded (UNSUPPORTED_SHELL for a Windows session, …); the message says what to do.
    console.log(`${session.streamSessionId} ${error instanceof AdminShellError ? error.code : 'error'}`);
    failures++;
  }
}
process.exitCode = failures === 0 ? 0 : 1;
