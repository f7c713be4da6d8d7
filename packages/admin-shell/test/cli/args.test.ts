import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
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
      mode: 'shell',
      paths: [],
      streamGroup: 'sg-1',
      streamSession: 'S1',
      region: 'eu-west-1',
      profile: 'dev',
      endpointUrl: 'http://127.0.0.1:1',
      command: '--version',
      waitSeconds: 2.5,
      tty: false,
      allSessions: false,
      json: false,
      verbose: true,
      help: false,
      version: false,
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--version']).version).toBe(true);
    expect(parseCliArgs(['-t', '--record', 'x.cast', '--stream-session', 'S']).tty).toBe(true);
  });

  it('cp and ls: the first word, before or after flags; cp takes two paths, one remote', () => {
    expect(parseCliArgs(['cp', '--stream-session', 'S', './a b', ':/opt/x'])).toMatchObject({
      mode: 'cp',
      paths: ['./a b', ':/opt/x'],
    });
    expect(parseCliArgs(['--stream-session', 'S', 'cp', ':/var/log', 'logs'])).toMatchObject({
      mode: 'cp',
      paths: [':/var/log', 'logs'],
    });
    // After --, a path may start with a dash.
    expect(parseCliArgs(['cp', '--stream-session', 'S', '--', '-odd', ':/tmp/'])).toMatchObject({
      paths: ['-odd', ':/tmp/'],
    });
    expect(parseCliArgs(['ls', '--stream-group', 'sg-1', '--json'])).toMatchObject({
      mode: 'ls',
      json: true,
    });
    expect(
      parseCliArgs(['--stream-group', 'sg-1', '--all-sessions', '--parallel', '16', '--command', 'true']),
    ).toMatchObject({ allSessions: true, parallel: 16, command: 'true' });
  });

  it('web: the first word, with the single-session flags and --port', () => {
    expect(parseCliArgs(['web', '--stream-session', 'S', '--port', '8080', '--wait=5'])).toMatchObject({
      mode: 'web',
      streamSession: 'S',
      port: 8080,
      waitSeconds: 5,
    });
    expect(parseCliArgs(['--stream-session', 'S', 'web', '--port=0'])).toMatchObject({
      mode: 'web',
      port: 0,
    });
    expect(parseCliArgs(['web', '--help'])).toMatchObject({ mode: 'web', help: true });
  });

  it.each([
    [['web', '--command', 'x'], '--command cannot be used with web'],
    [['web', '--all-sessions', '--stream-group', 'g'], '--all-sessions cannot be used with web'],
    [['web', '-t', '--record', 'f'], '--tty, --record cannot be used with web'],
    [['web', '--port', '65536'], '--port takes a TCP port from 0 to 65535'],
    [['web', '--port', 'x'], '--port takes a TCP port'],
    [['--port', '80', '--stream-session', 's'], '--port cannot be used without web'],
    [['web', 'extra'], 'Unexpected argument "extra"'],
  ])('%j is a usage error of web: %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
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
    [['--command', 'a\0b'], 'NUL byte'],
    [['--parallel', '0', '--all-sessions'], '--parallel takes a whole number from 1 to 64'],
    [['--parallel', '65'], '--parallel takes a whole number'],
    [['cp', 'a'], 'cp takes two paths'],
    [['cp', 'a', 'b'], 'leading colon'],
    [['cp', ':a', ':b'], 'leading colon'],
    [['cp', 'a', ':'], 'non-empty path'],
    [['cp', '--command', 'x', 'a', ':b'], '--command cannot be used with cp'],
    [['ls'], 'ls needs --stream-group'],
    [['ls', '--stream-group', 'g', '--stream-session', 's'], '--stream-session cannot be used with ls'],
    [['--all-sessions', '--stream-group', 'g'], 'give --command'],
    [['--all-sessions', '--command', 'x'], '--all-sessions needs --stream-group'],
    [
      ['--all-sessions', '--stream-group', 'g', '--stream-session', 's', '--command', 'x'],
      'cannot be used with --all-sessions',
    ],
    [['--json', '--stream-session', 's'], '--json cannot be used without --all-sessions'],
    [['--parallel', '4', '--stream-session', 's'], '--parallel cannot be used without --all-sessions'],
    [['-t', '--command', 'x'], '--tty cannot be used with --command'],
    [['--record', 'f', '--command', 'x'], '--record cannot be used with --command'],
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
