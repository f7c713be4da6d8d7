import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Duplex, PassThrough, Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import type { CloseInfo, DataChannel } from 'ssm-channel';
import { describe, expect, it } from 'vitest';
import { runCommandOnShell } from '../../src/command/run-on-shell.js';

/**
 * A stand-in for the remote side of a run, speaking what `remote-script.ts` describes: it shows a prompt,
 * answers the typed line with the ready marker, reads the runner script up to `.`, decodes the stdin lines
 * up to Ctrl-D, and answers with the SHA-256 and length of what it got as the command's stdout. Its
 * `write()` says "wait" every other call and drains a turn later, so the client meets backpressure all the
 * time.
 */
class FakeRemote extends Duplex {
  readonly whenClosed: Promise<CloseInfo>;
  readonly events = new EventEmitter();
  #close!: (info: CloseInfo) => void;
  #typed = Buffer.alloc(0);
  #phase: 'line' | 'script' | 'stdin' | 'done' = 'line';
  #nonce = '';
  #writes = 0;
  #script = '';
  #stdin: string[] = [];

  constructor(readonly withStdin: boolean) {
    super();
    this.whenClosed = new Promise((resolve) => {
      this.#close = resolve;
    });
    setImmediate(() => this.push('Welcome\r\n$ '));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#typed = Buffer.concat([this.#typed, chunk]);
    this.#consume();
    // Every other write waits a turn before it counts as taken.
    if (++this.#writes % 2 === 0) setImmediate(() => callback());
    else callback();
  }

  #consume(): void {
    for (;;) {
      if (this.#phase === 'stdin') {
        const eot = this.#typed.indexOf(0x04);
        const nl = this.#typed.indexOf(0x0a);
        if (nl !== -1 && (eot === -1 || nl < eot)) {
          this.#stdin.push(this.#typed.subarray(0, nl).toString('latin1'));
          this.#typed = this.#typed.subarray(nl + 1);
          continue;
        }
        if (eot !== -1 && (nl === -1 || eot < nl)) {
          this.#typed = this.#typed.subarray(eot + 1);
          this.#answer();
        }
        return;
      }
      const nl = this.#typed.indexOf(0x0a);
      if (nl === -1 || this.#phase === 'done') return;
      const line = this.#typed.subarray(0, nl).toString('latin1');
      this.#typed = this.#typed.subarray(nl + 1);
      if (this.#phase === 'line') {
        const nonce = /'__GLAS_([0-9a-f]+)' '_READY__'/.exec(line)?.[1];
        if (nonce === undefined) throw new Error(`unexpected typed line ${line}`);
        this.#nonce = nonce;
        this.#phase = 'script';
        // The echo of the typed line comes first, as a terminal shows it, then the marker.
        setImmediate(() => this.push(`${line}\r\n__GLAS_${nonce}_READY__\r\n`));
      } else if (line !== '.') {
        this.#script += line;
      } else {
        const script = Buffer.from(this.#script, 'base64').toString('utf8');
        expect(script).toContain(`n=${this.#nonce};`);
        setImmediate(() => this.push(`#b${this.#nonce}\n`));
        if (this.withStdin) this.#phase = 'stdin';
        else this.#answer();
      }
    }
  }

  #answer(): void {
    this.#phase = 'done';
    const got = Buffer.from(this.#stdin.join(''), 'base64');
    const out = `${createHash('sha256').update(got).digest('hex')} ${got.length}\n`;
    setImmediate(() => {
      this.push(`#o${Buffer.from(out).toString('base64')}\n#x0\n`);
      this.#close({ reason: 'channel_closed' } as CloseInfo);
    });
  }
}

function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

async function runWith(stdin: Readable): Promise<string> {
  const remote = new FakeRemote(true);
  const out = collector();
  const status = await runCommandOnShell(remote as unknown as DataChannel, 'sha256sum', {
    stdin,
    stdout: out.stream,
    stderr: new PassThrough(),
  });
  expect(status).toBe(0);
  return out.text();
}

const expected = (data: Buffer): string =>
  `${createHash('sha256').update(data).digest('hex')} ${data.length}\n`;

describe('runCommandOnShell sends stdin whole, in order, whatever the backpressure', () => {
  it('one large chunk from a stream that ends at once (Readable.from of one buffer)', async () => {
    const data = randomBytes(1_000_000);
    expect(await runWith(Readable.from([data]))).toBe(expected(data));
  });

  it('many small chunks, and an empty stdin', async () => {
    const data = randomBytes(100_000);
    const pieces: Buffer[] = [];
    for (let at = 0; at < data.length; at += 997) pieces.push(data.subarray(at, at + 997));
    expect(await runWith(Readable.from(pieces))).toBe(expected(data));
    expect(await runWith(Readable.from([]))).toBe(expected(Buffer.alloc(0)));
  });

  it('any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 150_000 }), { minLength: 0, maxLength: 6 }),
        async (chunks) => {
          const data = Buffer.concat(chunks);
          expect(await runWith(Readable.from(chunks.map((c) => Buffer.from(c))))).toBe(expected(data));
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 40) },
    );
  });

  it('without stdin, nothing is sent after the script', async () => {
    const remote = new FakeRemote(false);
    const out = collector();
    const status = await runCommandOnShell(remote as unknown as DataChannel, 'true', {
      stdout: out.stream,
      stderr: new PassThrough(),
    });
    expect(status).toBe(0);
    expect(out.text()).toBe(expected(Buffer.alloc(0)));
  });
});
