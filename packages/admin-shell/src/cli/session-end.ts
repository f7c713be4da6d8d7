import type { Readable } from 'node:stream';
import type { CloseInfo } from 'ssm-channel';
import { explainFailure } from '../channel-errors.js';
import { commandLineMessage } from '../errors.js';
import { printableText } from '../printable-text.js';
import type { Diagnostics } from './cli-io.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

/**
 * The exit status for how the channel ended, telling the user why on stderr when it was not a normal end:
 * `channel_closed` gives the remote exit code when the agent sent one (else 0); an error gives its class.
 */
export function exitCodeForClose(info: CloseInfo, diag: Diagnostics): number {
  switch (info.reason) {
    case 'channel_closed': {
      // The agent's text: no terminal escapes on the local terminal.
      const output = info.output === undefined ? '' : printableText(info.output);
      if (output !== '') diag.say(`session ended: ${output}`);
      if (info.exitCode === undefined) return ExitCode.OK;
      return info.exitCode >= 0 && info.exitCode <= 255 ? info.exitCode : 255;
    }
    case 'local':
      return ExitCode.OK;
    case 'aborted':
      return ExitCode.INTERRUPTED;
    default: {
      const failure = explainFailure(info.error);
      diag.say(commandLineMessage(failure));
      return exitCodeFor(failure.code);
    }
  }
}

/** Resolves when `stream` has ended (all output read) or after `maxMs`, whichever is first. */
export function waitForReadableEnd(stream: Readable, maxMs: number): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stream.off('end', done);
      stream.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    stream.once('end', done);
    stream.once('close', done);
  });
}

/**
 * Resolves once `stream` has emitted some data and then stayed quiet for `quietMs`, or after `maxMs` in any
 * case: a way to let the remote shell print its prompt before typing into it (some shells discard input typed
 * before they start). Only observes the data: it must be consumed elsewhere.
 */
export function waitForQuiet(stream: Readable, options: { quietMs: number; maxMs: number }): Promise<void> {
  return new Promise((resolve) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      stream.off('data', onData);
      stream.off('close', done);
      resolve();
    };
    const onData = (): void => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(done, options.quietMs);
    };
    const maxTimer = setTimeout(done, options.maxMs);
    stream.on('data', onData);
    stream.once('close', done);
  });
}
