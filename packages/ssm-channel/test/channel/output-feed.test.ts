import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { OUTPUT_HIGH_WATER_MARK } from '../../src/channel/output-feed.js';
import { outputPath } from './output-path.js';

describe('OutputFeed', () => {
  it('hands a waiting reader the payload itself, without a copy, and releases it at once', async () => {
    const path = outputPath();
    const seen: Buffer[] = [];
    path.stream.on('data', (chunk: Buffer) => seen.push(chunk));
    await new Promise((resolve) => setImmediate(resolve));
    const payload = Buffer.from('hello');
    path.deliver(payload);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer).toBe(payload.buffer);
    expect(path.unreleased()).toBe(0);
  });

  it('keeps a copy of what arrives while the reader is away and hands it over in order as one chunk', () => {
    const path = outputPath();
    const frame = Buffer.alloc(8 * 1024, 0x2e);
    const expected: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const text = `${i},`;
      frame.write(text, 0);
      expected.push(Buffer.from(text));
      path.deliver(frame.subarray(0, text.length));
    }
    // The views are gone: what is kept does not share the frames' memory.
    frame.fill(0);
    expect(path.unreleased()).toBe(Buffer.concat(expected).length);
    const chunk = path.stream.read() as Buffer;
    expect(chunk.equals(Buffer.concat(expected))).toBe(true);
    expect(path.unreleased()).toBe(0);
  });

  it('stops handing over once the stream holds its high-water mark, and keeps the rest', () => {
    const path = outputPath();
    path.stream.read(0); // a reader that asked once and then reads nothing
    for (let i = 0; i < 40; i++) path.deliver(Buffer.alloc(4096, i));
    expect(path.stream.readableLength).toBeGreaterThanOrEqual(OUTPUT_HIGH_WATER_MARK);
    expect(path.stream.readableLength).toBeLessThanOrEqual(OUTPUT_HIGH_WATER_MARK + 4096);
    expect(path.feed.keptBytes).toBe(40 * 4096 - path.stream.readableLength);
    expect(path.unreleased()).toBe(path.feed.keptBytes);
  });

  it('keeps 100,000 one-byte payloads in about their own size', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = outputPath();
    const frames = Array.from({ length: 64 }, () => Buffer.alloc(1200, 0x61));
    gc();
    const before = process.memoryUsage();
    for (let i = 0; i < 100_000; i++) path.deliver(frames[i % 64]!.subarray(120, 121));
    gc();
    const after = process.memoryUsage();
    const held = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    // As views (a Buffer object per payload), about 10 MB; as copies, 100 kB.
    expect(held).toBeLessThan(1_000_000);
    expect((path.stream.read() as Buffer).length).toBe(100_000);
  });

  it('ends after handing over what it kept', async () => {
    const path = outputPath();
    path.deliver(Buffer.from('last words'));
    path.feed.end();
    const chunks: Buffer[] = [];
    for await (const chunk of path.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('last words');
  });

  it('a push that leaves nothing readable (part of a UTF-8 character) keeps the reader waiting', async () => {
    const path = outputPath();
    path.stream.setEncoding('utf8');
    const euro = Buffer.from('€');
    const got: string[] = [];
    const reading = (async () => {
      for await (const text of path.stream) {
        got.push(text as string);
        if (got.join('') === 'a€b') return;
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    path.deliver(Buffer.from('a'));
    await new Promise((resolve) => setImmediate(resolve));
    path.deliver(euro.subarray(0, 1), Buffer.alloc(0));
    await new Promise((resolve) => setImmediate(resolve));
    path.deliver(euro.subarray(1));
    await new Promise((resolve) => setImmediate(resolve));
    path.deliver(Buffer.from('b'));
    await expect(Promise.race([reading.then(() => 'all'), delay(1_000).then(() => 'stuck')])).resolves.toBe(
      'all',
    );
    path.stream.destroy();
  });

  it('a reader that reads once per readable event gets every payload', async () => {
    const path = outputPath();
    const got: Buffer[] = [];
    path.stream.on('readable', () => {
      const chunk = path.stream.read() as Buffer | null;
      if (chunk !== null) got.push(chunk);
    });
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      path.deliver(Buffer.from(`line ${i}\n`));
    }
    await delay(50);
    expect(Buffer.concat(got).toString()).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
    path.stream.destroy();
  });

  it('releases what it kept, and all that comes, once the stream is destroyed', () => {
    const path = outputPath();
    path.deliver(Buffer.from('kept'), Buffer.from('kept'));
    expect(path.unreleased()).toBe(8);
    path.stream.destroy();
    path.deliver(Buffer.from('more'));
    expect(path.unreleased()).toBe(0);
    expect(path.feed.keptBytes).toBe(0);
  });

  it('a throwing data listener gets its exception surfaced uncaught, and the feed goes on', async () => {
    const path = outputPath();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const seen: string[] = [];
      path.stream.on('data', (chunk: Buffer) => {
        seen.push(chunk.toString());
        if (seen.length === 1) throw new Error('listener bug');
      });
      await new Promise((resolve) => setImmediate(resolve));
      path.deliver(Buffer.from('one'));
      path.deliver(Buffer.from('two'));
      await delay(20);
      expect(seen).toEqual(['one', 'two']);
      expect(uncaught).toHaveLength(1);
      expect((uncaught[0] as Error).message).toBe('listener bug');
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
