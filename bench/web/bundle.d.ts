/** The bundle budget: minified and gzipped, in bytes. */
export declare const GZIP_BUDGET_BYTES: number;

/** What {@link bundleForBrowser} measured. */
export interface BrowserBundle {
  text: string;
  bytes: number;
  gzipBytes: number;
  inputs: { path: string; bytes: number; imports: string[] }[];
  imports: string[];
}

/** Bundles `entry` (source text importing `ssm-channel`) for browsers, minified. */
export declare function bundleForBrowser(entry?: string): Promise<BrowserBundle>;
