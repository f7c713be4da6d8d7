/**
 * Headless Chromium for the browser tests: Debian's `chromium` (or `CHROMIUM_PATH`), driven by
 * playwright-core, which downloads no browser. When Chromium is missing the browser tests are skipped, by
 * name and with the reason in the report; with `REQUIRE_CHROMIUM=1` (what `.ci/run` sets after installing
 * it) a missing Chromium fails them instead.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe, it } from 'vitest';

/** Where Chromium is expected. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM_PATH);
const required = process.env.REQUIRE_CHROMIUM === '1';

/**
 * Chromium's flags here: no sandbox (root in a container), no GPU, and nothing that would call Google's
 * hosts (QUIC, background networking, component updates, sync), which fail noisily without internet.
 * Playwright adds `--headless` and a fresh `--user-data-dir` of its own.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, timeout: 30_000 });
}

/**
 * `describe`, or, without Chromium, one skipped test that says why (a failed one under REQUIRE_CHROMIUM).
 */
export function describeInChromium(name: string, body: () => void): void {
  if (available) {
    describe(name, body);
    return;
  }
  const reason = `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`;
  if (required) {
    describe(name, () => {
      it('needs Chromium (REQUIRE_CHROMIUM=1)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  process.stderr.write(`browser tests skipped: ${reason}\n`);
  describe(name, () => {
    it.skip(`skipped: ${reason}`, () => undefined);
  });
}
