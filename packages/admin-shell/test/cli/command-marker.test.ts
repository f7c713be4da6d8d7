import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommandLine, CommandOutputScanner, shellQuote } from '../../src/cli/command-marker.js';

const NONCE = '0123456789abcdef0123456789abcdef';

function scanAll(chunks: Uint8Array[], nonce = NONCE) {
  const scanner = new CommandOutputScanner(nonce);
  const out: Uint8Array[] = [];
  let exitStatus: number | undefined;
  for (const chunk of chunks) {
    const result = scanner.push(chunk);
    out.push(result.output);
    if (result.exitStatus !== undefined) exitStatus = result.exitStatus;
  }
  return { output: Buffer.concat(out), exitStatus, done: scanner.done };
}

const begin = `__GLAS_${NONCE}_BEGIN__`;
const end = `__GLAS_${NONCE}_END__:`;

describe('buildCommandLine', () => {
  it('never contains a whole marker (so the echo of the typed line cannot end the frame)', () => {
    fc.assert(
      fc.property(fc.string(), (command) => {
        const line = buildCommandLine(command, NONCE);
        expect(line).not.toContain(begin);
        expect(line).not.toContain(end);
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n'.repeat(2));
      }),
    );
  });

  it('runs in a real sh and frames the output and the status', () => {
    for (const [command, status] of [
      ['echo hello', 0],
      ['exit 7', 7],
      ["printf 'it'\\''s'; false", 1],
      // Look-alikes: a partial marker, another nonce's marker. (The real nonce is unknowable to the command.)
      [`echo '${end.slice(0, -2)}99'; echo __GLAS_ffffffffffffffff_END__:3; exit 4`, 4],
    ] as const) {
      const script = buildCommandLine(command, NONCE);
      let raw: Buffer;
      try {
        raw = execFileSync('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        raw = (error as { stdout: Buffer }).stdout;
      }
      const result = scanAll([raw]);
      expect(result.exitStatus).toBe(status);
      if (command === 'echo hello') expect(result.output.toString()).toBe('hello\n');
    }
  });

  it('quotes any text as one shell word', () => {
    for (const word of ["a'b", '$(rm -rf /)', '"; exit 1; "', '\\', '\n']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`]).toString()).toBe(word);
    }
  });

  it('refuses a nonce that is not hex', () => {
    expect(() => buildCommandLine('true', 'not-hex')).toThrow(RangeError);
  });
});

describe('CommandOutputScanner', () => {
  it('drops the banner, prompt and echo, keeps the output, reads the status', () => {
    const stream = `Welcome\r\n$ stty -echo; printf '%s%s' '__GLAS_${NONCE}' '_BEGIN__'\r\n${begin}\nline 1\nline 2\n${end}7\n$ `;
    expect(scanAll([Buffer.from(stream)])).toEqual({
      output: Buffer.from('line 1\nline 2\n'),
      exitStatus: 7,
      done: true,
    });
  });

  it('accepts CRLF line ends (onlcr left on)', () => {
    const result = scanAll([Buffer.from(`${begin}\r\nhi\r\n${end}0\r\n`)]);
    expect(result).toEqual({ output: Buffer.from('hi\r\n'), exitStatus: 0, done: true });
  });

  it('passes look-alike markers and binary bytes through as output', () => {
    const body = Buffer.concat([
      Buffer.from(`__GLAS_${'f'.repeat(32)}_END__:0\n${end.slice(0, -3)}\n__GLAS_\n`),
      Buffer.from([0, 255, 27, 91, 0x5f, 0x5f, 0xc3]),
    ]);
    const result = scanAll([Buffer.from(`${begin}\n`), body, Buffer.from(`${end}42\n`)]);
    expect(result.output).toEqual(body);
    expect(result.exitStatus).toBe(42);
  });

  it('gives the same result however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 0, max: 255 }),
        (body, cuts, status) => {
          const stream = Buffer.concat([
            Buffer.from(`noise $ ${begin}\n`),
            body,
            Buffer.from(`${end}${status}\nprompt$ `),
          ]);
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let from = 0;
          for (const p of points) {
            chunks.push(stream.subarray(from, p));
            from = p;
          }
          chunks.push(stream.subarray(from));
          const result = scanAll(chunks);
          expect(result.output).toEqual(Buffer.from(body));
          expect(result.exitStatus).toBe(status);
        },
      ),
    );
  });

  it('holds back no more than one marker of bytes before the end', () => {
    const scanner = new CommandOutputScanner(NONCE);
    scanner.push(Buffer.from(`${begin}\n`));
    const result = scanner.push(Buffer.alloc(10_000, 0x5f));
    expect(result.output.length).toBeGreaterThanOrEqual(10_000 - end.length);
    expect(scanner.done).toBe(false);
  });

  it('a garbled status reads as 255', () => {
    expect(scanAll([Buffer.from(`${begin}\n${end}abc\n`)]).exitStatus).toBe(255);
    expect(scanAll([Buffer.from(`${begin}\n${end}123456789012`)]).exitStatus).toBe(255);
  });
});
