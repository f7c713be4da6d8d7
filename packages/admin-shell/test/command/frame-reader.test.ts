import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError, type FrameEvent, FrameReader, MAX_LINE_BYTES } from '../../src/command/frame-reader.js';
import { bootstrapLine, runMarkers } from '../../src/command/remote-script.js';
import { StdinLines } from '../../src/command/stdin-lines.js';

const NONCE = '0123456789abcdef0123456789abcdef';
const MARKERS = runMarkers(NONCE);

/** What a remote run prints: prompt, echo of the typed line, ready, noise, begin, frames, status. */
function transcript(stdout: Buffer, stderr: Buffer, status: number): Buffer {
  const line = bootstrapLine(NONCE);
  return Buffer.concat([
    Buffer.from(`$ ${line.replace('\n', '\r\n')}${MARKERS.ready}\r\n`),
    Buffer.from(`sh: noise before the runner\r\n${MARKERS.begin}\r\n`),
    Buffer.from(`#o${stdout.toString('base64')}\r\n`),
    Buffer.from(`not a frame\n#e${stderr.toString('base64')}\n`),
    Buffer.from(`#x${status}\nafter the end #o!!!\n`),
  ]);
}

function readAll(chunks: Buffer[]): { events: FrameEvent[]; reader: FrameReader } {
  const reader = new FrameReader(MARKERS);
  const events = chunks.flatMap((chunk) => reader.push(chunk));
  return { events, reader };
}

describe('FrameReader', () => {
  it('finds the markers and the frames whatever the chunking, and ignores the echo and the noise', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }),
        (out, err, status, cuts) => {
          const whole = transcript(Buffer.from(out), Buffer.from(err), status);
          const chunks: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < whole.length; i++) {
            const size = cuts[i % cuts.length] as number;
            chunks.push(whole.subarray(at, at + size));
            at += size;
          }
          const { events, reader } = readAll(chunks);
          expect(events.map((e) => e.type)).toEqual(['ready', 'begin', 'stdout', 'stderr', 'exit']);
          expect((events[2] as { data: Buffer }).data.equals(Buffer.from(out))).toBe(true);
          expect((events[3] as { data: Buffer }).data.equals(Buffer.from(err))).toBe(true);
          expect(events[4]).toEqual({ type: 'exit', status });
          expect(reader.done).toBe(true);
          expect(reader.text).toContain('noise before the runner');
          expect(reader.text).toContain('not a frame');
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 300) },
    );
  });

  it('the echo of the typed line never holds a whole marker', () => {
    const line = bootstrapLine(NONCE);
    expect(line).not.toContain(MARKERS.ready);
    expect(line).not.toContain(MARKERS.noTool);
    expect(line).not.toContain(MARKERS.begin);
    // Typed into a line editor: no control character but the final newline, and no `!` (bash history).
    expect(line.endsWith('\n')).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f!]/);
  });

  it('reports a missing tool, a remote error, and refuses malformed frames and endless lines', () => {
    const noTool = new FrameReader(MARKERS).push(Buffer.from(`x ${MARKERS.noTool}base64\r\n`));
    expect(noTool).toEqual([{ type: 'no-tool', tool: 'base64' }]);
    const reader = new FrameReader(MARKERS);
    reader.push(Buffer.from(`${MARKERS.ready}\n${MARKERS.begin}\n`));
    expect(reader.push(Buffer.from('#!perl 70\n'))).toEqual([{ type: 'remote-error', what: 'perl 70' }]);
    for (const bad of ['#o%%%%\n', '#oabc\n', '#x300\n', '#xabc\n', '#q\n']) {
      const r = new FrameReader(MARKERS);
      r.push(Buffer.from(`${MARKERS.ready}\n${MARKERS.begin}\n`));
      expect(() => r.push(Buffer.from(bad)), bad).toThrow(FrameError);
    }
    const long = new FrameReader(MARKERS);
    long.push(Buffer.from(`${MARKERS.ready}\n${MARKERS.begin}\n`));
    expect(() => long.push(Buffer.alloc(MAX_LINE_BYTES + 1, 0x41))).toThrow(FrameError);
  });
});

describe('StdinLines', () => {
  it('one continuous base64 text in short lines, padding only at the end, then Ctrl-D', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 5_000 }), { maxLength: 8 }), (chunks) => {
        const lines = new StdinLines();
        const text = chunks.map((c) => lines.push(c)).join('') + lines.end();
        expect(text.endsWith('\u0004')).toBe(true);
        const body = text.slice(0, -1);
        for (const line of body.split('\n').slice(0, -1)) {
          expect(line.length).toBeLessThanOrEqual(2_728);
          expect(line.length % 4).toBe(0);
        }
        expect(body.slice(0, -1).replace(/\n/g, '').slice(0, -4)).not.toContain('=');
        expect(Buffer.from(body.replace(/\n/g, ''), 'base64').equals(Buffer.concat(chunks))).toBe(true);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 200) },
    );
  });
});
