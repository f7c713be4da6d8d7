import { openAdminShell } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';
import { sayAgentMessage } from './agent-message.js';
import { type AsciicastRecorder, startRecording } from './asciicast-recorder.js';
import { DEFAULT_TERMINAL_SIZE, localTerminalSize } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { runInteractive } from './run-interactive.js';
import { runPiped } from './run-piped.js';
import { type CliContext, shellOptions, singleApi, singleTarget } from './session-options.js';

/**
 * The terminal session: interactive when stdin is a terminal, else (`-t`) stdin typed into the remote
 * terminal and its whole output (prompts, echo) printed. With `--record FILE`, the output and the resizes
 * are recorded as an asciicast v2 file.
 */
export async function runTerminalMode(ctx: CliContext): Promise<number> {
  const { io, diag, args } = ctx;
  const target = singleTarget(args);
  const size = localTerminalSize(io) ?? DEFAULT_TERMINAL_SIZE;
  let recorder: AsciicastRecorder | undefined;
  if (args.record !== undefined) {
    try {
      recorder = await startRecording(args.record, {
        size,
        title: `gamelift-admin-shell ${target.streamSessionId}`,
        onError: (error) => diag.say(`recording stopped: ${printableText(error.message, 200)}`),
      });
    } catch (error) {
      diag.say(
        `cannot record to ${printableText(args.record, 200)}: ${printableText((error as Error).message, 200)}`,
      );
      return ExitCode.CANT_CREATE;
    }
  }
  try {
    const shell = await openAdminShell(shellOptions(ctx, target, singleApi(ctx), size));
    sayAgentMessage(shell, diag);
    if (recorder !== undefined) {
      const record = recorder;
      shell.on('data', (chunk: Buffer) => record.output(chunk));
    }
    try {
      if (io.stdin.isTTY === true)
        return await runInteractive(shell, io, diag, (next) => recorder?.resize(next));
      return await runPiped(shell, io, diag);
    } finally {
      if (!shell.destroyed) shell.destroy();
    }
  } finally {
    await recorder?.close();
  }
}
