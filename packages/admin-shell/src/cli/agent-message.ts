import type { AdminShell } from '../open-admin-shell.js';
import { printableText } from '../printable-text.js';
import type { Diagnostics } from './cli-io.js';

/** Shows the agent's message of the session (HandshakeComplete's), line by line, without terminal escapes. */
export function sayAgentMessage(shell: AdminShell, diag: Diagnostics, prefix = ''): void {
  for (const line of (shell.session?.customerMessage ?? '').split('\n').slice(0, 20)) {
    const text = printableText(line, 500);
    if (text !== '') diag.say(`${prefix}${text}`);
  }
}
