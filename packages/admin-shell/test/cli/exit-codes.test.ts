import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, exitCodeForSignal } from '../../src/cli/exit-codes.js';

describe('exit codes', () => {
  it('the documented classes are distinct', () => {
    const classes = [
      exitCodeFor('INVALID_IDENTIFIER'),
      exitCodeFor('ACCESS_DENIED'),
      exitCodeFor('NOT_FOUND'),
      exitCodeFor('NOT_READY'),
      exitCodeFor('CONNECT_FAILED'),
      exitCodeFor('REGION_MISSING'),
      exitCodeFor('SESSION_NOT_USABLE'),
      exitCodeFor('SERVICE_ERROR'),
      exitCodeFor('UNSUPPORTED_SESSION'),
      ExitCode.INTERNAL,
      ExitCode.OK,
    ];
    expect(new Set(classes).size).toBe(classes.length);
    expect(exitCodeFor('IDENTIFIER_MISMATCH')).toBe(ExitCode.USAGE);
    expect(exitCodeFor('REGION_MISMATCH')).toBe(ExitCode.USAGE);
    expect(exitCodeFor('URL_EXPIRED')).toBe(ExitCode.CONNECTION);
    expect(exitCodeFor('SESSION_REPLACED')).toBe(ExitCode.CONNECTION);
    expect(exitCodeFor('UNSUPPORTED_SESSION')).toBe(79);
  });

  it('signals give 128 + n', () => {
    expect(exitCodeForSignal('SIGINT')).toBe(130);
    expect(exitCodeForSignal('SIGTERM')).toBe(143);
    expect(exitCodeForSignal('SIGHUP')).toBe(129);
  });
});
