import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FeedReadable, OutputFeed, PIECE_CHARGE_BYTES } from '../../src/channel/output-feed.js';

function feedWithStream(budget: number): { feed: OutputFeed; stream: Readable; fullChanges: boolean[] } {
  const fullChanges: boolean[] = [];
  let feed!: OutputFeed;
  const stream = new Readable({ highWaterMark: 0, read: () => feed.pull() });
  feed = new OutputFeed(stream, budget, (full) => fullChanges.push(full));
  return { feed, stream, fullChanges };
}

describe('OutputFeed', () => {
  it('hands a waiting reader the payload itself, without a copy', () => {
    const { feed, stream } = feedWithStream(1 << 20);
    const seen: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(chunk));
    const payload = Buffer.from('hello');
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        feed.deliver(payload);
        expect(seen).toHaveLength(1);
        expect(seen[0]!.buffer).toBe(payload.buffer);
        resolve();
      });
    });
  });

  it('holds what arrives while the reader is away and hands it over in order as one chunk', async () => {
    const { feed, stream } = feedWithStream(1 << 20);
    const expected: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const piece = Buffer.from(`${i},`);
      expected.push(piece);
      feed.deliver(piece);
    }
    const chunk = stream.read() as Buffer;
    expect(chunk.equals(Buffer.concat(expected))).toBe(true);
    expect(stream.read()).toBeNull();
  });

  it('reports full at the budget counting a charge per piece, and not full once the reader took it', () => {
    const budget = 100 * (1 + PIECE_CHARGE_BYTES);
    const { feed, stream, fullChanges } = feedWithStream(budget);
    for (let i = 0; i < 99; i++) feed.deliver(Buffer.from('x'));
    expect(feed.full).toBe(false);
    feed.deliver(Buffer.from('x'));
    expect(feed.full).toBe(true);
    expect(fullChanges).toEqual([true]);
    expect((stream.read() as Buffer).length).toBe(100);
    expect(feed.full).toBe(false);
    expect(fullChanges).toEqual([true, false]);
  });

  it('keeps at most 256 pieces: more are copied into one buffer, which ends their charge', () => {
    // 300 pieces held as such would cost 300 * (1 + charge) = 96,300 > 90,000; compacted at 256, 14,700.
    const { feed, stream } = feedWithStream(90_000);
    const big = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 300; i++) feed.deliver(big.subarray(i, i + 1));
    expect(feed.full).toBe(false);
    const chunk = stream.read() as Buffer;
    expect(chunk.length).toBe(300);
    expect(chunk.buffer).not.toBe(big.buffer);
  });

  it('ends after handing over what it held', async () => {
    const { feed, stream } = feedWithStream(1 << 20);
    feed.deliver(Buffer.from('last words'));
    feed.end();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('last words');
  });

  it('a push that leaves nothing readable (part of a UTF-8 character) keeps the reader waiting', async () => {
    const stream = new FeedReadable(1 << 20, () => undefined);
    stream.setEncoding('utf8');
    const euro = Buffer.from('€');
    const got: string[] = [];
    const reading = (async () => {
      for await (const text of stream) {
        got.push(text as string);
        if (got.join('') === 'a€b') return;
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    stream.feed.deliver(Buffer.from('a'));
    await new Promise((resolve) => setImmediate(resolve));
    stream.feed.deliver(euro.subarray(0, 1));
    stream.feed.deliver(Buffer.alloc(0));
    await new Promise((resolve) => setImmediate(resolve));
    stream.feed.deliver(euro.subarray(1));
    await new Promise((resolve) => setImmediate(resolve));
    stream.feed.deliver(Buffer.from('b'));
    // Before the fix the reader got 'a' and then nothing until the end of the stream.
    await expect(Promise.race([reading.then(() => 'all'), delay(1_000).then(() => 'stuck')])).resolves.toBe(
      'all',
    );
    stream.destroy();
  });

  it('a reader that reads once per readable event gets every payload', async () => {
    const stream = new FeedReadable(1 << 20, () => undefined);
    const got: Buffer[] = [];
    stream.on('readable', () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) got.push(chunk);
    });
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      stream.feed.deliver(Buffer.from(`line ${i}\n`));
    }
    await delay(50);
    expect(Buffer.concat(got).toString()).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
    stream.destroy();
  });

  it('holds nothing for a destroyed stream, and lets go of what it held when the stream is destroyed', async () => {
    const changes: boolean[] = [];
    const stream = new FeedReadable(2 * (4 + PIECE_CHARGE_BYTES), (full) => changes.push(full));
    stream.feed.deliver(Buffer.from('held'));
    stream.feed.deliver(Buffer.from('held'));
    expect(stream.feed.full).toBe(true);
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    expect(stream.feed.full).toBe(false);
    stream.feed.deliver(Buffer.from('more'));
    stream.feed.deliver(Buffer.from('more'));
    expect(stream.feed.full).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
