/**
 * C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F): what a terminal may take as the
 * start of an escape sequence (ESC, CSI, OSC, DCS…) or as a cursor movement. Text that a remote party wrote
 * (a service error message, a status reason, an agent's message) must lose them before it reaches stderr.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Makes text from a remote party safe to print on a terminal: every run of control characters (tabs and line
 * ends included) becomes one space, runs of whitespace fold to one, the ends are trimmed, and text longer
 * than `maxChars` is cut with `...`.
 */
export function printableText(text: string, maxChars = 300): string {
  const clean = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 3)}...` : clean;
}
