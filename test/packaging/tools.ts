/** Helpers of the packaging test: child processes, tarballs, sizes. */
import { type SpawnOptions, spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** How a command ended, and what it printed. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for the tools run here, without what pnpm sets for its own scripts (it would make npm
 * believe it runs inside a workspace script).
 */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const pnpmOwn =
      /^(npm_(package|lifecycle)_|pnpm_|PNPM_)/.test(key) ||
      /^npm_(execpath|command|node_execpath|config_(user_agent|local_prefix|yes|verify_deps_before_run))$/.test(
        key,
      );
    if (!pnpmOwn) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end (killed after `timeoutMs`, default 2 minutes). */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: toolEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A run's exit status and output, for an assertion's message. */
export function shown(result: Run): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** The files of a .tgz (ustar, as npm and pnpm write it): path (with `package/`), mode and content. */
export function readTarball(path: string): Map<string, { mode: number; content: Buffer }> {
  const data = gunzipSync(readFileSync(path));
  const entries = new Map<string, { mode: number; content: Buffer }>();
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const mode = Number.parseInt(field(100, 8).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '' || type === '0') {
      entries.set(name, { mode, content: data.subarray(offset + 512, offset + 512 + size) });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** The text of one file of a .tgz. */
export function tarballText(path: string, name: string): string {
  const entry = readTarball(path).get(`package/${name}`);
  if (entry === undefined) throw new Error(`${name} is not in ${path}`);
  return entry.content.toString();
}

/** Bytes of the files under `dir`, symbolic links not followed. */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}
