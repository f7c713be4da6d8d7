/**
 * `pnpm release:dry`: versions and packs from a copy, publishes nothing and leaves this tree as it was.
 * A changeset of the test's own (a major bump) is added to the copy, so the outcome does not depend on the
 * changesets pending in the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'release-dry-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gitStatus(): string {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(status.status, status.stderr).toBe(0);
  return status.stdout;
}

/** One file of a .tgz (ustar, one file per header block). */
function fileInTarball(path: string, name: string): string {
  const data = gunzipSync(readFileSync(path));
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    const entry = header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    const size = Number.parseInt(
      header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    if (entry === name) return data.subarray(offset + 512, offset + 512 + size).toString();
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not in ${path}`);
}

describe('pnpm release:dry', () => {
  it('versions and packs the public packages, publishing nothing and changing nothing here', async () => {
    const current = JSON.parse(readFileSync(join(ROOT, 'packages/ssm-channel/package.json'), 'utf8')).version;
    const next = `${Number(current.split('.')[0]) + 1}.0.0`;
    const changeset = join(work, 'release-dry-test.md');
    writeFileSync(changeset, '---\n"ssm-channel": major\n---\n\nAn entry of the release dry run test.\n');
    const out = join(work, 'out');
    const statusBefore = gitStatus();
    const builtBefore = statSync(join(ROOT, 'packages/ssm-channel/dist/index.js')).mtimeMs;

    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/release-dry.mjs', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, RELEASE_DRY_EXTRA_CHANGESET: changeset },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
    expect(result.code, result.output).toBe(0);
    // Both move together (a fixed group): the tarball of one pins the other's same release.
    expect(result.output).toContain(`ssm-channel: ${current} -> ${next}`);
    expect(result.output).toContain(`gamelift-admin-shell: ${current} -> ${next}`);
    expect(result.output).toContain(`Nothing was published; the tarballs are in ${out}`);

    const channel = join(out, `ssm-channel-${next}.tgz`);
    const shell = join(out, `gamelift-admin-shell-${next}.tgz`);
    expect(JSON.parse(fileInTarball(channel, 'package/package.json')).version).toBe(next);
    const manifest = JSON.parse(fileInTarball(shell, 'package/package.json'));
    expect(manifest.version).toBe(next);
    expect(manifest.dependencies['ssm-channel']).toBe(next);
    const changelog = fileInTarball(channel, 'package/CHANGELOG.md');
    expect(changelog).toMatch(new RegExp(`^# ssm-channel\\n\\n## ${next.replace(/\./g, '\\.')}\\n`));
    expect(changelog).toContain('An entry of the release dry run test.');

    expect(gitStatus()).toBe(statusBefore);
    expect(statSync(join(ROOT, 'packages/ssm-channel/dist/index.js')).mtimeMs).toBe(builtBefore);
  }, 180_000);
});
