import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO, runInPty } from './helpers/built-cli.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('the demo (pnpm demo)', () => {
  it("connects the terminal through both emulators to a real shell: ls shows this machine's files", async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LANG: 'C.UTF-8' };
    const term = runInPty(process.execPath, [DEMO], { env, cwd: ROOT, cols: 120, rows: 30 });
    try {
      await term.waitFor(/Type `ls`/);
      await term.waitFor(/admin-shell[^\n]*[$#] $/m);
      const mark = term.output().length;
      term.write('ls\r');
      await term.waitFor(/pnpm-workspace\.yaml/, { from: mark });
      expect(term.output().slice(mark)).toContain('packages');
      term.write('exit\r');
      await term.waitFor(/demo: the session ended \(exit status 0\)/);
      expect((await term.exited).exitCode).toBe(0);
    } finally {
      term.kill();
    }
  });
});
