import { describe, expect, it } from 'vitest';
import { createVerboseLogger, formatLogLine } from '../../src/cli/verbose-logger.js';

describe('verbose logger', () => {
  it('formats elapsed time, level and details', () => {
    expect(formatLogLine(1234, 'info', 'connecting', { attempt: 2, url: 'wss://x/y' })).toBe(
      '[+1.234s] connecting attempt=2 url=wss://x/y',
    );
    expect(formatLogLine(0, 'warn', 'replaced')).toBe('[+0.000s] warn: replaced');
  });

  it('redacts values of secret-looking keys whatever their content', () => {
    const lines: string[] = [];
    let t = 0;
    const logger = createVerboseLogger(
      (l) => lines.push(l),
      () => (t += 10),
    );
    logger.info?.('answer', {
      tokenValue: 'SECRET-TOKEN-1',
      TokenValue: 'SECRET-TOKEN-2',
      authorization: 'AWS4 x',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/SECRET|AWS4/);
    expect(lines[0]).toContain('tokenValue=[redacted]');
    expect(lines[0]).toMatch(/^gamelift-admin-shell: \[\+0\.010s\] answer/);
  });
});
