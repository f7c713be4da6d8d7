import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import {
  buildCommandLine,
  commandLineBytes,
  MAX_COMMAND_LINE_BYTES,
  NONCE_HEX_DIGITS,
} from '../../src/cli/command-marker.js';
import { AdminShellError } from '../../src/errors.js';

describe('parseCliArgs', () => {
  it('reads every flag, in both forms', () => {
    expect(
      parseCliArgs([
        '--stream-group',
        'sg-1',
        '--stream-session=S1',
        '--region',
        'eu-west-1',
        '--profile=dev',
        '--endpoint-url',
        'http://127.0.0.1:1',
        '--command',
        '--version',
        '--wait',
        '2.5',
        '--verbose',
      ]),
    ).toEqual({
      streamGroup: 'sg-1',
      streamSession: 'S1',
      region: 'eu-west-1',
      profile: 'dev',
      endpointUrl: 'http://127.0.0.1:1',
      command: '--version',
      waitSeconds: 2.5,
      verbose: true,
      help: false,
      version: false,
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--version']).version).toBe(true);
  });

  it.each([
    [['--nope'], 'Unknown option "--nope"'],
    [['extra'], 'Unexpected argument "extra"'],
    [['--region'], '--region needs a value'],
    [['--region', '--verbose'], '--region needs a value'],
    [['--region='], 'non-empty value'],
    [['--region', 'a', '--region', 'b'], 'given twice'],
    [['--verbose=yes'], 'takes no value'],
    [['--wait', '-1'], '--wait takes a number'],
    [['--wait', 'soon'], '--wait takes a number'],
    [['--wait', '99999'], '--wait takes a number'],
    [['--command', 'x'.repeat(MAX_COMMAND_LINE_BYTES)], `holds at most ${MAX_COMMAND_LINE_BYTES}`],
    // Short as typed (1 000 bytes), but 4 000 bytes once quoted: the built line is what must fit.
    [['--command', `echo ${"'".repeat(1_000)}`], "each ' counting 4 bytes"],
    [['--command', 'a\0b'], 'NUL byte'],
  ])('%j is a usage error: %s', (argv, message) => {
    try {
      parseCliArgs(argv);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AdminShellError);
      expect((error as AdminShellError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toContain('See --help.');
    }
  });
});

describe('the --command length limit applies to the line typed', () => {
  it('commandLineBytes is the length of the built line without its newline, for any nonce', () => {
    for (const command of ['', 'ls', "it's", 'é'.repeat(10)]) {
      const line = buildCommandLine(command, 'ab'.repeat(NONCE_HEX_DIGITS / 2));
      expect(line.endsWith('\n')).toBe(true);
      expect(commandLineBytes(command)).toBe(Buffer.byteLength(line) - 1);
    }
    expect(commandLineBytes("'") - commandLineBytes('')).toBe(4);
  });

  it('a command whose line is exactly the limit is accepted, one byte more is refused', () => {
    const overhead = commandLineBytes('');
    const fits = 'x'.repeat(MAX_COMMAND_LINE_BYTES - overhead);
    expect(commandLineBytes(fits)).toBe(MAX_COMMAND_LINE_BYTES);
    expect(parseCliArgs(['--command', fits]).command).toBe(fits);
    expect(() => parseCliArgs(['--command', `${fits}x`])).toThrow(
      `would be ${MAX_COMMAND_LINE_BYTES + 1} bytes`,
    );
    const quotes = "'".repeat(Math.floor((MAX_COMMAND_LINE_BYTES - overhead) / 4) + 1);
    expect(Buffer.byteLength(quotes)).toBeLessThan(1_100);
    expect(() => parseCliArgs(['--command', quotes])).toThrow(AdminShellError);
  });
});
