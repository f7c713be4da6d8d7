import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Names a copy must carry unchanged: spaces, a newline, a tab, quotes, UTF-8, a leading dash, a dot. */
export const ODD_NAMES = [
  'with space',
  'new\nline',
  'tab\tname',
  "quote'single",
  'quote"double',
  'back\\slash',
  'ünïcödé 日本語 🎮',
  '-leading-dash',
  '.hidden',
  '$(not a command)',
];

/** Writes a directory tree with {@link ODD_NAMES}, nested folders, an empty folder, an empty file, a symlink. */
export function makeOddTree(root: string): void {
  mkdirSync(root, { recursive: true });
  for (const [i, name] of ODD_NAMES.entries()) {
    writeFileSync(join(root, name), `file ${i}: ${name}\n`);
  }
  mkdirSync(join(root, 'nested dir', 'deeper ü'), { recursive: true });
  writeFileSync(join(root, 'nested dir', 'deeper ü', 'leaf\n.bin'), Buffer.from([0, 1, 2, 255, 254, 13, 10]));
  mkdirSync(join(root, 'empty dir'));
  writeFileSync(join(root, 'empty file'), '');
  writeFileSync(join(root, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'script.sh'), 0o755);
  symlinkSync('with space', join(root, 'link to with space'));
}

/** A description of a tree: each entry's path, type, mode bits, and content hash or link target. */
export function describeTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      const info = lstatSync(path);
      if (info.isSymbolicLink()) out.push(`${JSON.stringify(rel)} link ${readlinkSync(path)}`);
      else if (info.isDirectory()) {
        out.push(`${JSON.stringify(rel)} dir`);
        walk(path, rel);
      } else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        out.push(`${JSON.stringify(rel)} file ${(info.mode & 0o111) !== 0 ? 'x' : '-'} ${info.size} ${hash}`);
      }
    }
  };
  walk(root, '');
  return out;
}
