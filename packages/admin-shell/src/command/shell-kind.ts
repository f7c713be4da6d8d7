/**
 * What the first output of the remote shell says about it: whether its prompt is out, and whether it is a
 * Windows shell (a Windows stream session's admin shell is PowerShell), which cannot run what `--command`
 * sends.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are matched on purpose.
const ESCAPES = /\u001b\[[0-9;?<=>]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

/** `text` without terminal escape sequences (CSI, OSC, two-byte escapes). */
export function withoutEscapes(text: string): string {
  return text.replace(ESCAPES, '');
}

/** True when `text` (the output so far) ends like a shell prompt: `$`, `#`, `%` or `>`, maybe a space. */
export function endsWithPrompt(text: string): boolean {
  return /[$#%>] ?$/.test(withoutEscapes(text));
}

/** The Windows shells that can be recognised. */
export type ForeignShell = 'PowerShell' | 'cmd.exe';

/**
 * Recognises a Windows shell from its output: the PowerShell banner or prompt (`PS C:\…>`), its error for
 * an unknown command, or a `cmd.exe` prompt (`C:\…>`).
 */
export function foreignShell(text: string): ForeignShell | undefined {
  const plain = withoutEscapes(text);
  if (
    /Windows PowerShell/.test(plain) ||
    /(?:^|[\r\n])PS [A-Za-z]:\\[^\r\n]*>/.test(plain) ||
    /is not recognized as the name of a cmdlet/.test(plain)
  ) {
    return 'PowerShell';
  }
  if (
    /(?:^|[\r\n])[A-Za-z]:\\[^\r\n>]*>\s*$/.test(plain) ||
    /is not recognized as an internal or external command/.test(plain)
  ) {
    return 'cmd.exe';
  }
  return undefined;
}
