import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tools every remote run needs: the shell, the terminal, base64 and the runner's helpers. */
export const BASE_TOOLS = ['sh', 'stty', 'base64', 'sed', 'cat', 'mktemp', 'mkdir', 'rm', 'mkfifo', 'printf'];

/** The tools a copy needs besides {@link BASE_TOOLS}. */
export const COPY_TOOLS = [
  'tar',
  'tee',
  'sha256sum',
  'dirname',
  'basename',
  'du',
  'wc',
  'tr',
  'mv',
  'grep',
  'ls',
];

/**
 * A folder holding links to exactly `tools` (found on this machine's PATH), to give an emulated host a PATH
 * without some tool. Removed by the returned `remove()`.
 */
export function toolPath(tools: readonly string[]): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'glas-tools-'));
  for (const tool of tools) {
    const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(path, join(dir, tool));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
