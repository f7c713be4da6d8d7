// `pnpm release:dry`: what the next release would publish, without publishing and without touching this
// tree. In a copy of the working tree (see pack-copy.mjs), `changeset version` applies the pending
// changesets, then each public package is packed. It prints the version changes and the new changelog
// entries, and leaves the tarballs in the folder it names (`--out DIR`, default: a new temporary folder).
// The copy has no git history, so its changelog entries carry no commit hashes (a real `changeset version`
// adds them).
//
// `RELEASE_DRY_EXTRA_CHANGESET=<file>` adds that changeset to the copy first (the test of this script).
import { cpSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { packFromCopy, ROOT, run } from './pack-copy.mjs';

const outArg = process.argv.indexOf('--out');
const out =
  outArg === -1 ? mkdtempSync(join(tmpdir(), 'release-dry-')) : resolve(process.argv[outArg + 1] ?? '');

/** The entries `changeset version` added to a CHANGELOG: between its title line and what was there before. */
function newEntries(before, after) {
  const title = before.indexOf('\n') + 1;
  const rest = before.slice(title);
  if (!after.startsWith(before.slice(0, title)) || !after.endsWith(rest)) return after.trim();
  return after.slice(title, after.length - rest.length).trim();
}

const packed = await packFromCopy({
  out,
  prepare(copy) {
    const extra = process.env.RELEASE_DRY_EXTRA_CHANGESET;
    if (extra !== undefined) cpSync(extra, join(copy, '.changeset', basename(extra)));
    run(process.execPath, [join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], copy);
  },
});
for (const { dir, name, version, previousVersion, tarball, changelog } of packed) {
  const entries = newEntries(readFileSync(join(ROOT, 'packages', dir, 'CHANGELOG.md'), 'utf8'), changelog);
  process.stdout.write(
    `${name}: ${previousVersion} -> ${version}${previousVersion === version ? ' (unchanged)' : ''}\n` +
      `  ${tarball} (${(statSync(tarball).size / 1024).toFixed(0)} KiB)\n` +
      (entries === '' ? '' : `${entries.replace(/^/gm, '  | ')}\n`),
  );
}
process.stdout.write(`Nothing was published; the tarballs are in ${out}\n`);
