import { runAdminShellCommand } from '../command/run-admin-shell-command.js';
import { sayAgentMessage } from './agent-message.js';
import { DEFAULT_TERMINAL_SIZE } from './cli-io.js';
import { type CliContext, shellOptions, singleApi, singleTarget } from './session-options.js';

/** The command a script on stdin runs: a non-interactive `sh` reading the script, as `ssh host < script`. */
export const SCRIPT_COMMAND = 'exec sh -s';

/**
 * `--command CMD`: runs CMD exactly (see `runAdminShellCommand`); stdout and stderr get its own, stdin feeds
 * it when it is not a terminal.
 * @returns the command's exit status.
 */
export async function runCommandMode(ctx: CliContext, command: string): Promise<number> {
  const { io } = ctx;
  const result = await runAdminShellCommand(
    shellOptions(ctx, singleTarget(ctx.args), singleApi(ctx), DEFAULT_TERMINAL_SIZE),
    command,
    {
      ...(io.stdin.isTTY === true ? {} : { stdin: io.stdin }),
      stdout: io.stdout,
      stderr: io.stderr,
      onOpen: (shell) => sayAgentMessage(shell, ctx.diag),
    },
  );
  return result.exitCode;
}

/**
 * A script on stdin (not a terminal, no --command, no -t): run by `sh` on the host, non-interactively;
 * stdout and stderr are the script's, and so is the exit status.
 */
export function runScriptMode(ctx: CliContext): Promise<number> {
  return runCommandMode(ctx, SCRIPT_COMMAND);
}
