// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell code, whose ${…} are shell expansions.
/**
 * What is sent to the remote shell to run one command exactly. The admin shell is an interactive shell (`sh`
 * on GameLift Streams Linux hosts) in a pseudo-terminal, so this works in three steps, and the command's bytes
 * never pass through the line editor:
 *
 * 1. One fixed line is typed (ASCII, no control characters, no `!`):
 *
 *        stty -echo 2>/dev/null; if command -v base64 >/dev/null 2>&1; then printf '%s%s\n' '__GLAS_<n>'
 *        '_READY__'; exec 3<&0; sed -n '/^\.$/q;p' | base64 -d | sh -s; else printf '%s%s\n' '__GLAS_<n>'
 *        '_NOTOOL__base64'; fi; exit
 *
 *    The marker is split in the typed text, so the terminal's echo of the line never contains it.
 * 2. After `__GLAS_<n>_READY__`, the runner script (below) is sent base64-encoded, 76 characters a line, then a
 *    line `.`. The terminal is in line mode without echo; `sed` stops at the `.`, so it never reads further.
 * 3. The runner (POSIX `sh`, read from that pipe; the terminal is its fd 3) prints a line `#b<n>`, then runs
 *    `sh -c <command>` with stdout and stderr on two pipes and writes everything as lines:
 *
 *        #o<base64>   bytes of the command's stdout      #e<base64>   bytes of its stderr
 *        #x<status>   its exit status (0–255; 128 + N when killed by signal N), the last line
 *        #!<what>     the runner itself failed (e.g. `#!perl 70`)
 *
 *    Only ASCII goes through the terminal, so nothing depends on its settings (the agent even rewrites some
 *    byte sequences, e.g. a literal U+FFFD, when it reads the terminal) and `\r\n` line ends are fine. With
 *    `perl` on the host (perl-base is part of every Debian and Ubuntu system), one perl process reads both
 *    pipes as data comes and writes each chunk as one line: output is live and the two streams keep their
 *    order. Without perl, stdout goes through `base64` (in blocks of about 30 KB as the command writes) and
 *    stderr is sent once the command has ended.
 *    With `stdin`, the client sends the local stdin base64-encoded in lines after the `.`, then Ctrl-D (end of
 *    file in line mode); `base64 -d` on the terminal feeds the command. Without, its stdin is `/dev/null`.
 *
 * The client closes the session once it has the status. The runner waits a second before it ends, so that the
 * last lines are read even by an agent that stops reading the terminal soon after the shell exits; then the
 * interactive shell exits too (the `exit` of the typed line), so nothing sent afterwards is ever run.
 */

/** The length of the per-run nonce, in hex digits (16 random bytes). */
export const NONCE_HEX_DIGITS = 32;

/** The prefix of every marker. */
const PREFIX = '__GLAS_';

/** Base64 characters per line of the runner script. */
const SCRIPT_LINE_CHARS = 76;

/** The largest command accepted: the runner reads it in one piece. */
export const MAX_COMMAND_BYTES = 256 * 1024;

/**
 * The perl multiplexer: forks `sh -c $ARGV[0]` with stdout and stderr on pipes, reads both as data comes and
 * writes each chunk as one `#o`/`#e` line (base64 made with `pack "u"` and `tr`, core perl only), then `#x`
 * with the status. No single quote in it: it sits in single quotes in the runner.
 */
const PERL_MUX = [
  'my $c = shift;',
  'pipe(my $or, my $ow) or exit 70; pipe(my $er, my $ew) or exit 70;',
  'my $pid = fork; defined $pid or exit 71;',
  'if ($pid == 0) { close $or; close $er; open(STDOUT, ">&", $ow) or exit 126;',
  '  open(STDERR, ">&", $ew) or exit 126; close $ow; close $ew; exec("sh", "-c", $c) or exit 127; }',
  'close $ow; close $ew;',
  'sub b64 { my $u = pack("u", $_[0]); $u =~ s/^.//mg; $u =~ tr/\\n//d; $u =~ tr/` -_/AA-Za-z0-9+\\//;',
  '  my $p = (3 - length($_[0]) % 3) % 3; substr($u, -$p) = "=" x $p if $p; return $u; }',
  'sub put { my $l = shift; while (length $l) { my $k = syswrite(STDOUT, $l);',
  '  if (!defined $k) { next if $!{EINTR}; exit 74; } substr($l, 0, $k) = ""; } }',
  'my @h = ([$or, "o"], [$er, "e"]);',
  'while (@h) { my $r = ""; vec($r, fileno($_->[0]), 1) = 1 for @h;',
  '  next if select($r, undef, undef, undef) < 1;',
  '  for my $s (@h) { next unless vec($r, fileno($s->[0]), 1);',
  '    my $n = sysread($s->[0], my $b, 49152);',
  '    if (!defined $n) { next if $!{EINTR}; $n = 0; }',
  '    if ($n == 0) { $s->[2] = 1; next; }',
  '    put("#" . $s->[1] . b64($b) . "\\n"); }',
  '  @h = grep { !$_->[2] } @h; }',
  'waitpid($pid, 0);',
  'put("#x" . (($? & 127) ? 128 + ($? & 127) : $? >> 8) . "\\n");',
].join('\n');

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function checkNonce(nonce: string): void {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new RangeError('nonce must be 16 to 64 lower-case hex digits');
}

/** The markers of one run, as the remote side prints them. */
export interface RunMarkers {
  /** Printed by the typed line once the terminal is quiet and base64 was found. */
  readonly ready: string;
  /** Printed by the typed line, followed by the missing tool's name, when base64 is missing. */
  readonly noTool: string;
  /** The line the runner prints before its frames. */
  readonly begin: string;
}

/** The markers for `nonce`. */
export function runMarkers(nonce: string): RunMarkers {
  checkNonce(nonce);
  return {
    ready: `${PREFIX}${nonce}_READY__`,
    noTool: `${PREFIX}${nonce}_NOTOOL__`,
    begin: `#b${nonce}`,
  };
}

/** The line typed into the interactive shell (with its `\n`); see the module comment. */
export function bootstrapLine(nonce: string): string {
  checkNonce(nonce);
  const p = `'${PREFIX}${nonce}'`;
  return (
    `stty -echo 2>/dev/null; if command -v base64 >/dev/null 2>&1; then printf '%s%s\\n' ${p} '_READY__'; ` +
    `exec 3<&0; sed -n '/^\\.$/q;p' | base64 -d | sh -s; ` +
    `else printf '%s%s\\n' ${p} '_NOTOOL__base64'; fi; exit\n`
  );
}

/** The runner script for `command` (see the module comment). */
export function runnerScript(command: string, nonce: string, options: { stdin: boolean }): string {
  checkNonce(nonce);
  const encoded = Buffer.from(command, 'utf8').toString('base64');
  // The command runs with stdin from /dev/null, or from the terminal's base64 lines through a fifo (so that
  // the runner never waits for the decoder once the command has ended).
  const input = options.stdin ? '<"$t/i"' : '</dev/null';
  return [
    '{',
    `n=${nonce}; c='${encoded}'`,
    'exec 2>/dev/null',
    'cmd=$(printf %s "$c" | base64 -d && echo .) || cmd=',
    `[ -n "$cmd" ] || { printf '#!decode\\n'; exit 70; }`,
    'cmd=${cmd%.}',
    // A temporary directory only when needed: for the stdin fifo, and without perl for stderr and the status.
    'tmp() { t=$(mktemp -d 2>/dev/null) || { t=${TMPDIR:-/tmp}/glas-$n && mkdir -m 700 "$t"; } || ' +
      `{ printf '#!tmp\\n'; exit 70; }; trap 'rm -rf "$t"' EXIT; }`,
    'command -v perl >/dev/null && m=perl || m=sh',
    ...(options.stdin
      ? ['tmp', `mkfifo "$t/i" || { printf '#!mkfifo\\n'; exit 70; }`, 'base64 -d <&3 >"$t/i" &']
      : ['[ $m = perl ] || tmp']),
    `printf '#b%s\\n' "$n"`,
    `P='${PERL_MUX}'`,
    'if [ $m = perl ]; then',
    `  perl -e "$P" -- "$cmd" ${input}; s=$?`,
    `  [ "$s" = 0 ] || printf '#!perl %s\\n' "$s"`,
    'else',
    `  { sh -c "$cmd" ${input} 2>"$t/e"; echo $? >"$t/s"; } | base64 | sed 's/^/#o/'`,
    `  base64 <"$t/e" | sed 's/^/#e/'`,
    `  s=$(cat "$t/s"); printf '#x%s\\n' "\${s:-255}"`,
    'fi',
    // The client closes the session once it has the status; meanwhile the shell stays, so that an agent
    // that stops reading the terminal soon after the shell exits never loses the last lines.
    'sleep 1',
    '}',
    '',
  ].join('\n');
}

/** The lines sent after the ready marker: the runner script in base64, then `.` (each with its `\n`). */
export function scriptLines(script: string): string {
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  let out = '';
  for (let at = 0; at < encoded.length; at += SCRIPT_LINE_CHARS) {
    out += `${encoded.slice(at, at + SCRIPT_LINE_CHARS)}\n`;
  }
  return `${out}.\n`;
}
