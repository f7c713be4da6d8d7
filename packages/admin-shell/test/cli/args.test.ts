import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_BYTES, parseCliArgs } from '../../src/cli/args.js';
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
    [['--command', 'x'.repeat(MAX_COMMAND_BYTES + 1)], 'longer than'],
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
