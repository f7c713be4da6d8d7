import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { OutgoingWindow } from '../../src/protocol/outgoing-window.js';
import { PendingInput } from '../../src/protocol/pending-input.js';
import { StreamReceiver } from '../../src/protocol/stream-receiver.js';

describe('OutgoingWindow', () => {
  test('numbers from 0, bounds messages and bytes, acks in any order, keeps send-time order', () => {
    const w = new OutgoingWindow({ maxMessages: 3, maxBytes: 100 });
    const a = w.add(new Uint8Array(10), 'a');
    const b = w.add(new Uint8Array(10), 'b');
    expect([a.seq, b.seq, w.count, w.bytes, w.hasRoom()]).toEqual([0, 1, 2, 20, true]);
    w.add(new Uint8Array(10), 'c');
    expect(w.hasRoom()).toBe(false);
    w.markSent(a, 1);
    w.markSent(b, 2);
    expect(w.oldest()).toBe(a);
    w.markSent(a, 3);
    expect(w.oldest()).toBe(b);
    expect([a.lastSentAt, a.transmissions]).toEqual([3, 2]);
    expect(w.ack(1, 'wrong-id')).toBeUndefined();
    expect(w.ack(1, 'b')).toBe(b);
    expect(w.ack(1, undefined)).toBeUndefined();
    expect(w.oldest()).toBe(a);
    const order: number[] = [];
    w.forEachInOrder((e) => order.push(e.seq));
    expect(order).toEqual([0, 2]);
    w.clear();
    expect([w.count, w.bytes, w.nextSeq, w.oldest()]).toEqual([0, 0, 3, undefined]);
  });

  test('the send-time list matches a model under random operations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('add', 'send', 'ack'), fc.nat(30)), { maxLength: 200 }),
        (ops) => {
          const w = new OutgoingWindow({ maxMessages: 1000, maxBytes: 1e9 });
          const model = new Map<number, number>();
          let t = 0;
          for (const [op, n] of ops) {
            t += 1;
            if (op === 'add') w.add(new Uint8Array(1), String(w.nextSeq));
            else if (op === 'send') {
              const e = w.get(n);
              if (e) {
                w.markSent(e, t);
                model.set(n, t);
              }
            } else if (w.ack(n, undefined)) model.delete(n);
            const oldest = [...model.entries()].sort((x, y) => x[1] - y[1])[0];
            expect(w.oldest()?.seq).toBe(oldest?.[0]);
          }
        },
      ),
    );
  });
});

describe('StreamReceiver', () => {
  test('delivers exactly once and in order for any arrival order with duplicates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(29), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (arrivals, maxMessages) => {
          const delivered: number[] = [];
          const acked = new Set<number>();
          const r = new StreamReceiver(
            { maxMessages, maxBytes: 1e6 },
            {
              consume: (_t, p) => {
                delivered.push(p[0]!);
                return true;
              },
              ack: (seq) => acked.add(seq),
            },
          );
          for (const seq of [...arrivals, ...Array.from({ length: 30 }, (_, i) => i)]) {
            r.receive({
              messageType: 'output_stream_data',
              sequenceNumber: seq,
              frame: new Uint8Array(120),
              payloadType: 1,
              payload: new Uint8Array([seq]),
            });
          }
          expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => i));
          expect(r.bufferedMessages).toBe(0);
          expect(acked.size).toBe(30);
        },
      ),
    );
  });

  test('a stored payload is a copy, not a view of the frame', () => {
    let got: Uint8Array | undefined;
    const r = new StreamReceiver(
      { maxMessages: 10, maxBytes: 100 },
      {
        consume: (_t, p) => {
          got = p;
          return true;
        },
        ack: () => undefined,
      },
    );
    const frame = new Uint8Array([1, 2, 3]);
    r.receive({
      messageType: 'm',
      sequenceNumber: 1,
      frame: new Uint8Array(120),
      payloadType: 1,
      payload: frame.subarray(1),
    });
    frame.fill(9);
    r.receive({
      messageType: 'm',
      sequenceNumber: 0,
      frame: new Uint8Array(120),
      payloadType: 1,
      payload: new Uint8Array([0]),
    });
    expect([...got!]).toEqual([2, 3]);
  });
});

describe('PendingInput', () => {
  test('cuts, merges same-type chunks, never merges across types or atomic chunks', () => {
    const p = new PendingInput();
    p.push(new Uint8Array(3).fill(1), 1);
    p.push(new Uint8Array(3).fill(2), 1);
    p.pushAtomic(new Uint8Array(5).fill(3), 12);
    p.push(new Uint8Array(2).fill(4), 11);
    p.push(new Uint8Array(0), 1);
    expect(p.bytes).toBe(13);
    const out: [number, number[]][] = [];
    while (!p.empty) {
      const type = p.headType;
      out.push([type, [...p.take(4)!]]);
    }
    expect(out).toEqual([
      [1, [1, 1, 1, 2]],
      [1, [2, 2]],
      [12, [3, 3, 3, 3, 3]],
      [11, [4, 4]],
    ]);
    expect(p.bytes).toBe(0);
  });

  test('bytes come out exactly as they went in, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 100 }),
        fc.integer({ min: 1, max: 64 }),
        (chunks, max) => {
          const p = new PendingInput();
          for (const c of chunks) p.push(c, 1);
          const out: number[] = [];
          for (let payload = p.take(max); payload !== undefined; payload = p.take(max)) {
            expect(payload.length).toBeLessThanOrEqual(max);
            expect(payload.length).toBeGreaterThan(0);
            out.push(...payload);
          }
          expect(out).toEqual(chunks.flatMap((c) => [...c]));
        },
      ),
    );
  });
});
