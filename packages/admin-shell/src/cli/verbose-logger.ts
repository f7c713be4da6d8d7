import type { AdminShellLogger } from '../logger.js';
import { printableText } from '../printable-text.js';

const SECRET_KEY = /token|secret|password|credential|signature|authorization/i;
const MAX_VALUE_CHARS = 200;

function formatValue(key: string, value: unknown): string {
  if (SECRET_KEY.test(key)) return '[redacted]';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  // Values may come from the service or the agent: no terminal escapes on stderr.
  return printableText(text, MAX_VALUE_CHARS);
}

/**
 * Formats one diagnostics line: `[+1.234s] message key=value …`. Values of keys that look secret (token,
 * secret, credential, signature, authorization) are replaced by `[redacted]`.
 */
export function formatLogLine(
  elapsedMs: number,
  level: string,
  message: string,
  details?: Record<string, unknown>,
): string {
  const parts = [`[+${(elapsedMs / 1000).toFixed(3)}s]`, level === 'info' ? '' : `${level}:`, message];
  for (const [key, value] of Object.entries(details ?? {})) parts.push(`${key}=${formatValue(key, value)}`);
  return parts.filter((part) => part.length > 0).join(' ');
}

/**
 * A logger for --verbose: one line per event on `writeLine` (stderr; it adds the line end), prefixed with the
 * program name.
 */
export function createVerboseLogger(
  writeLine: (line: string) => void,
  now: () => number = Date.now,
): AdminShellLogger {
  const started = now();
  const emit =
    (level: string) =>
    (message: string, details?: Record<string, unknown>): void => {
      writeLine(`gamelift-admin-shell: ${formatLogLine(now() - started, level, message, details)}`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn') };
}
