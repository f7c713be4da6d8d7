import { readFile } from 'node:fs/promises';

/** One file the local server serves. */
export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The page's files by URL path. */
export type PageAssets = ReadonlyMap<string, PageAsset>;

/**
 * Where `scripts/build-page.mjs` writes the page. The same relative URL works from `src/web/` (tests run the
 * sources) and from `dist/web/` (the built and the installed package): both lead to `dist/web/page/`.
 */
const PAGE_DIR = new URL('../../dist/web/page/', import.meta.url);

const FILES = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/assets/page.js', 'page.js', 'text/javascript; charset=utf-8'],
  ['/assets/page.css', 'page.css', 'text/css; charset=utf-8'],
] as const;

/**
 * Reads the page's files into memory (about 420 KB), so that serving them reads no file and no path from a
 * request ever reaches the file system.
 * @throws {Error} when a file is missing: a source checkout that was not built, or a damaged install.
 */
export async function loadPageAssets(dir: URL = PAGE_DIR): Promise<PageAssets> {
  const assets = new Map<string, PageAsset>();
  for (const [path, file, contentType] of FILES) {
    let body: Buffer;
    try {
      body = await readFile(new URL(file, dir));
    } catch (cause) {
      throw new Error(
        `the web page's ${file} is missing from dist/web/page (build or reinstall the package)`,
        {
          cause,
        },
      );
    }
    assets.set(path, { body, contentType });
  }
  return assets;
}
