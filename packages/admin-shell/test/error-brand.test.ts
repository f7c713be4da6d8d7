import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdminShellError, isAdminShellError } from '../src/errors.js';

describe('AdminShellError brand', () => {
  it('instanceof and isAdminShellError work across two copies of the package, and only for real ones', async () => {
    const url = pathToFileURL(fileURLToPath(new URL('../dist/errors.js', import.meta.url))).href;
    const other = (await import(`${url}?copy=2`)) as typeof import('../src/errors.js');
    expect(other.AdminShellError).not.toBe(AdminShellError);
    const error = new other.AdminShellError('NOT_FOUND', 'x');
    expect(error).toBeInstanceOf(AdminShellError);
    expect(isAdminShellError(error)).toBe(true);
    expect(new AdminShellError('NOT_FOUND', 'x')).toBeInstanceOf(other.AdminShellError);
    const lookalike = Object.assign(new Error('x'), { name: 'AdminShellError', code: 'NOT_FOUND' });
    expect(isAdminShellError(lookalike)).toBe(false);
    expect(Object.keys(error)).toEqual(['name', 'code']);
  });
});
