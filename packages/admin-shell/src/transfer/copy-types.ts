import { AdminShellError } from '../errors.js';
import type { AdminShell } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';

/** How far a copy has come. */
export interface CopyProgress {
  /** Bytes of the tar stream moved so far. */
  readonly bytes: number;
  /** About how many there will be, when known. */
  readonly totalBytes?: number;
}

/** Options of `copyFromStreamSession` and `copyToStreamSession`. */
export interface CopyOptions {
  /** The path on the host: a file or a directory (copied whole). */
  remotePath: string;
  /** The path here. */
  localPath: string;
  /** Called as bytes move (often: throttle any drawing). */
  onProgress?: (progress: CopyProgress) => void;
  /** Called once the admin shell is open. */
  onOpen?: (shell: AdminShell) => void;
}

/** What a copy did. */
export interface CopyResult {
  /** Where the copy now is (on the host for an upload, here for a download). */
  readonly path: string;
  readonly type: 'file' | 'directory';
  /** The length and SHA-256 (hex) of the tar stream, the same at both ends. */
  readonly bytes: number;
  readonly sha256: string;
  /** tar's warnings (e.g. a file that changed while it was read). */
  readonly warnings: readonly string[];
}

/**
 * Checks a path option of a copy.
 * @throws {AdminShellError} `INVALID_ARGUMENT` when it is not a non-empty string without NUL.
 */
export function checkPath(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) {
    throw new AdminShellError('INVALID_ARGUMENT', `${name} must be a non-empty path without NUL.`);
  }
  return value;
}

/**
 * The last component of a path as `basename` gives it (trailing slashes ignored).
 * @throws {AdminShellError} `INVALID_ARGUMENT` for `/`, `.` or `..`, which name no file to create.
 */
export function lastComponent(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (name === '' || name === '.' || name === '..') {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `Give the file or directory by its name, not ${JSON.stringify(printableText(path, 100))}.`,
    );
  }
  return name;
}
