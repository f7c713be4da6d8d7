// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell code, whose ${…} are shell expansions.
import { shellQuote } from '../command/remote-script.js';

/**
 * The commands that copy files through the admin shell: tar over the command's stdout (download) or stdin
 * (upload), with the SHA-256 of the tar stream computed on the host. They run with `sh -c` (see
 * `runAdminShellCommand`) and report on stderr in lines the client reads:
 *
 *     glas-error: <what>      not-found, denied, no-tool <name>, tmp, full, exists, not-dir, no-dir,
 *                             corrupted, tar (and the command exits non-zero)
 *     glas-type: f|d          the source is a file or a directory (download)
 *     glas-size: <bytes>      about how many bytes the tar stream holds (download; for the progress bar)
 *     glas-sha256: <hex>      the SHA-256 of the tar stream sent or received
 *     glas-tar: <line>        a message of tar (a warning when the command succeeds)
 *     glas-ok                 the upload is in place (upload)
 *
 * Every POSIX host has `tar`, `mkfifo`, `mktemp`; the hash comes from `sha256sum` (coreutils, BusyBox), else
 * `shasum -a 256`, else `openssl`; a missing one is reported by name.
 */

/** Shell functions and checks both directions start with. */
const PRELUDE = [
  `e() { printf 'glas-error: %s\\n' "$1" >&2; exit "$2"; }`,
  'command -v tar >/dev/null 2>&1 || e "no-tool tar" 72',
  'command -v mkfifo >/dev/null 2>&1 || e "no-tool mkfifo" 72',
  'if command -v sha256sum >/dev/null 2>&1; then h=sha256sum',
  "elif command -v shasum >/dev/null 2>&1; then h='shasum -a 256'",
  "elif command -v openssl >/dev/null 2>&1; then h='openssl dgst -sha256 -r'",
  'else e "no-tool sha256sum" 72; fi',
];

/** Strips the trailing slashes of `$1`-like variable `name` (keeping `/`). */
function stripSlashes(name: string): string {
  return `while [ "\${${name}%/}" != "$${name}" ] && [ "$${name}" != / ]; do ${name}=\${${name}%/}; done`;
}

/**
 * The download command: tars `remotePath` (a directory's contents as `./…`; a file by its name, following a
 * symlink) to stdout, hashing the stream as it goes.
 */
export function downloadScript(remotePath: string): string {
  return [
    `src=${shellQuote(remotePath)}`,
    ...PRELUDE,
    stripSlashes('src'),
    '[ -e "$src" ] || e not-found 66',
    '[ -r "$src" ] || e denied 66',
    't=$(mktemp -d 2>/dev/null) || { t=${TMPDIR:-/tmp}/glas-cp-$$ && mkdir -m 700 "$t"; } || e tmp 73',
    `trap 'rm -rf "$t"' EXIT`,
    'mkfifo "$t/f" || e tmp 73',
    'if [ -d "$src" ]; then',
    `  printf 'glas-type: d\\n' >&2`,
    `  k=$(du -sk "$src" 2>/dev/null | { read -r n _; echo "\${n:-0}"; }); printf 'glas-size: %s\\n' "$((k * 1024))" >&2`,
    '  set -- -c -f - -C "$src" .',
    'else',
    `  printf 'glas-type: f\\n' >&2`,
    `  printf 'glas-size: %s\\n' "$(wc -c <"$src" | tr -d ' ')" >&2`,
    '  b=$(basename -- "$src"); case $b in -*) b=./$b;; esac',
    '  set -- -c -h -f - -C "$(dirname -- "$src")" "$b"',
    'fi',
    '$h <"$t/f" >"$t/h" &',
    '{ tar "$@" 2>"$t/e"; echo $? >"$t/s"; } | tee "$t/f"',
    'wait',
    'sed \'s/^/glas-tar: /\' "$t/e" >&2',
    'read -r sum _ <"$t/h"',
    `printf 'glas-sha256: %s\\n' "$sum" >&2`,
    's=$(cat "$t/s")',
    // GNU tar exits 1 when a file changed while it was read (a log being written): a warning.
    '[ "$s" -le 1 ] || e tar 74',
  ].join('\n');
}

/** What the upload needs to know about the stream it receives. */
export interface UploadSpec {
  /** Where to put it: an existing directory (then `name` inside it) or the new path. */
  readonly remotePath: string;
  /** The name of the local file or directory. */
  readonly name: string;
  readonly type: 'f' | 'd';
  /** The SHA-256 (hex) of the tar stream that will arrive on stdin. */
  readonly sha256: string;
}

/**
 * The upload command: extracts the tar stream on stdin into a temporary directory next to the destination,
 * checks its SHA-256, and only then renames it into place (a file replaces a file; a directory never replaces
 * anything).
 */
export function uploadScript(spec: UploadSpec): string {
  const endsWithSlash = spec.remotePath.endsWith('/');
  return [
    `dst=${shellQuote(spec.remotePath)}; name=${shellQuote(spec.name)}; type=${spec.type}; want=${spec.sha256}`,
    ...PRELUDE,
    stripSlashes('dst'),
    'if [ -d "$dst" ]; then f=$dst/$name',
    endsWithSlash ? 'else e no-dir 73' : 'else f=$dst',
    'fi',
    'p=$(dirname -- "$f")',
    '[ -d "$p" ] || e no-dir 73',
    'if [ "$type" = d ]; then { [ -e "$f" ] || [ -L "$f" ]; } && e exists 73',
    'else [ -d "$f" ] && e exists 73; fi',
    // Bookkeeping (fifo, hash, tar's messages) in the system's temporary directory; only the copy itself
    // goes next to the destination, so that a full destination disk can still be reported.
    'w=$(mktemp -d 2>/dev/null) || { w=${TMPDIR:-/tmp}/glas-cp-$$ && mkdir -m 700 "$w"; } || e tmp 73',
    't=$(mktemp -d "$p/.glas-cp-XXXXXXXX" 2>/dev/null) || { t=$p/.glas-cp-$$ && mkdir -m 700 "$t"; } 2>/dev/null || ' +
      '{ rm -rf "$w"; [ -w "$p" ] && e full 73; e denied 73; }',
    `trap 'rm -rf "$t" "$w"' EXIT`,
    'mkfifo "$w/f" || e tmp 73',
    '$h <"$w/f" >"$w/h" &',
    'tee "$w/f" | tar -x -o -f - -C "$t" 2>"$w/e"; s=$?',
    'wait',
    'sed \'s/^/glas-tar: /\' "$w/e" >&2',
    'read -r sum _ <"$w/h"',
    `printf 'glas-sha256: %s\\n' "$sum" >&2`,
    'if [ "$s" != 0 ]; then',
    '  grep -q \'No space left\' "$w/e" && e full 73',
    '  a=$(df -P "$p" 2>/dev/null | tail -n 1 | { read -r _ _ _ a _; echo "$a"; }); [ "$a" = 0 ] && e full 73',
    '  e tar 74',
    'fi',
    '[ "$sum" = "$want" ] || e corrupted 76',
    'if [ "$type" = d ]; then mv "$t" "$f" || e denied 73',
    'else mv -f "$t/$name" "$f" || e denied 73; fi',
    `printf 'glas-ok\\n' >&2`,
  ].join('\n');
}
