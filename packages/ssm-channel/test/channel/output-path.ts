/**
 * An output stream wired to its feed as `DataChannel` wires them: payloads arrive during an "engine call"
 * (`deliver`), after which the feed is flushed and what it handed over is released from the budget; the
 * stream's `_read` makes the feed want data and flushes it too.
 */
import { OutputFeed, OutputReadable } from '../../src/channel/output-feed.js';

export interface OutputPath {
  stream: OutputReadable;
  feed: OutputFeed;
  /** Output delivered and not yet released (what the engine counts against its budget). */
  unreleased(): number;
  /** One engine call that delivers these payloads, then the sync. */
  deliver(...payloads: Uint8Array[]): void;
}

export function outputPath(): OutputPath {
  let unreleased = 0;
  let feed!: OutputFeed;
  const sync = (): void => {
    unreleased -= feed.flush();
  };
  const stream = new OutputReadable(() => {
    feed.want();
    sync();
  });
  feed = new OutputFeed(stream);
  return {
    stream,
    feed,
    unreleased: () => unreleased,
    deliver(...payloads) {
      for (const p of payloads) {
        unreleased += p.length;
        feed.add(p);
      }
      sync();
    },
  };
}
