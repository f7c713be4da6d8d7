import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { printableText } from '../printable-text.js';
import type { CopyOptions, CopyResult } from '../transfer/copy-types.js';
import { copyFromStreamSession } from '../transfer/download.js';
import { localWriteError } from '../transfer/local-errors.js';
import { copyToStreamSession } from '../transfer/upload.js';
import { sayAgentMessage } from './agent-message.js';
import { DEFAULT_TERMINAL_SIZE } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { createProgressBar } from './progress-bar.js';
import { forEachSession } from './run-all-sessions.js';
import { type CliContext, shellOptions, singleApi, singleTarget } from './session-options.js';

/** The two operands of `cp`, the remote one without its colon. */
function operands(ctx: CliContext): { download: boolean; remotePath: string; localPath: string } {
  const [from = '', to = ''] = ctx.args.paths;
  const download = from.startsWith(':');
  return download
    ? { download, remotePath: from.slice(1), localPath: to }
    : { download, remotePath: to.slice(1), localPath: from };
}

function sayWarnings(ctx: CliContext, result: CopyResult, prefix = ''): void {
  for (const warning of result.warnings.slice(0, 10)) {
    ctx.diag.say(`${prefix}warning from tar on the host: ${printableText(warning, 300)}`);
  }
}

/**
 * `cp SRC DST`: copies a file or a directory to or from the stream session's host (see
 * `copyFromStreamSession` and `copyToStreamSession`), with a progress bar on stderr when it is a terminal.
 * Prints nothing else when it works. With --all-sessions: from each session into `DST/<session ID>/`, or the
 * same source to every session.
 */
export async function runCopy(ctx: CliContext): Promise<number> {
  const { download, remotePath, localPath } = operands(ctx);
  if (ctx.args.allSessions) return copyAll(ctx, download, remotePath, localPath);
  const bar = createProgressBar(ctx.io.stderr, download ? `← ${remotePath}` : `→ ${remotePath}`);
  const copy: CopyOptions = {
    remotePath,
    localPath,
    onProgress: (progress) => bar.update(progress),
    onOpen: (shell) => sayAgentMessage(shell, ctx.diag),
  };
  const options = shellOptions(ctx, singleTarget(ctx.args), singleApi(ctx), DEFAULT_TERMINAL_SIZE);
  try {
    const result = download
      ? await copyFromStreamSession(options, copy)
      : await copyToStreamSession(options, copy);
    bar.done();
    sayWarnings(ctx, result);
    ctx.logger?.info?.('copied', { path: result.path, bytes: result.bytes, sha256: result.sha256 });
    return ExitCode.OK;
  } finally {
    bar.done();
  }
}

async function copyAll(
  ctx: CliContext,
  download: boolean,
  remotePath: string,
  localPath: string,
): Promise<number> {
  if (download) {
    try {
      await mkdir(localPath, { recursive: true });
    } catch (error) {
      throw localWriteError(localPath, error);
    }
  }
  return forEachSession(ctx, async ({ session, api }) => {
    const id = session.streamSessionId;
    const target = { streamGroupId: ctx.args.streamGroup as string, streamSessionId: id };
    const options = shellOptions(ctx, target, api, DEFAULT_TERMINAL_SIZE);
    let result: CopyResult;
    if (download) {
      const into = join(localPath, id);
      try {
        await mkdir(into, { recursive: true });
      } catch (error) {
        throw localWriteError(into, error);
      }
      result = await copyFromStreamSession(options, { remotePath, localPath: into });
    } else {
      result = await copyToStreamSession(options, { remotePath, localPath });
    }
    sayWarnings(ctx, result, `${id}: `);
    return {
      exitCode: 0,
      details: { path: result.path, type: result.type, bytes: result.bytes, sha256: result.sha256 },
    };
  });
}
