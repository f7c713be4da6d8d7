import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A README code block that the packaging test runs, as written, in a project where the packages are installed. */
export interface ReadmeSnippet {
  /** `<readme path>#<name>`, for the test's name. */
  readonly name: string;
  readonly code: string;
  /** Text its standard output must contain. */
  readonly expect: readonly string[];
}

/** The READMEs whose marked snippets run. */
export const READMES = ['README.md', 'packages/ssm-channel/README.md', 'packages/admin-shell/README.md'];

/**
 * A `js` code block right after `<!-- runs as written: NAME; prints "TEXT"; prints "TEXT2" -->` (any number of
 * `prints`) runs as a `.mjs` file and must exit 0 and print each TEXT.
 */
const MARKED = /<!-- runs as written: ([a-z0-9-]+)((?:; prints "[^"]*")*) -->\r?\n```js\r?\n([\s\S]*?)```/g;

/** Every marked snippet of the READMEs under `root`. */
export function readmeSnippets(root: string): ReadmeSnippet[] {
  const snippets: ReadmeSnippet[] = [];
  for (const readme of READMES) {
    const text = readFileSync(join(root, readme), 'utf8');
    for (const match of text.matchAll(MARKED)) {
      const [, name, prints = '', code = ''] = match;
      snippets.push({
        name: `${readme}#${name}`,
        code,
        expect: [...prints.matchAll(/; prints "([^"]*)"/g)].map((p) => p[1] ?? ''),
      });
    }
  }
  return snippets;
}
