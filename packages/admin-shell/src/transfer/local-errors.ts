import { AdminShellError } from '../errors.js';
import { printableText } from '../printable-text.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'a name is too long',
  EMFILE: 'too many open files',
};

/** Why writing the copy here failed, as an {@link AdminShellError} `LOCAL_WRITE_FAILED` naming the path. */
export function localWriteError(path: string, error: unknown): AdminShellError {
  if (error instanceof AdminShellError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    (typeof code === 'string' ? REASONS[code] : undefined) ??
    printableText(error instanceof Error ? error.message : String(error), 200);
  return new AdminShellError(
    'LOCAL_WRITE_FAILED',
    `The copy cannot be written to ${JSON.stringify(printableText(path, 200))} here: ${reason}. Nothing was left behind.`,
    { cause: error },
  );
}

/** Why reading the source here failed: `LOCAL_PATH_NOT_FOUND` for a missing one, else `LOCAL_WRITE_FAILED`. */
export function localReadError(path: string, error: unknown): AdminShellError {
  if (error instanceof AdminShellError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const shown = JSON.stringify(printableText(path, 200));
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AdminShellError('LOCAL_PATH_NOT_FOUND', `${shown} does not exist here.`, { cause: error });
  }
  const reason =
    (typeof code === 'string' ? REASONS[code] : undefined) ??
    printableText(error instanceof Error ? error.message : String(error), 200);
  return new AdminShellError('LOCAL_PATH_NOT_FOUND', `${shown} cannot be read here: ${reason}.`, {
    cause: error,
  });
}
