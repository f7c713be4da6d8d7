import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEscapeDetector } from '../../src/cli/escape-detector.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function run(chunks: string[]) {
  const detector = createEscapeDetector();
  let forward = '';
  const actions: string[] = [];
  for (const chunk of chunks) {
    const result = detector.push(bytes(chunk));
    forward += text(result.forward);
    actions.push(...result.actions);
  }
  return { forward, actions };
}

describe('escape detector', () => {
  it('Enter ~ . disconnects, at the start or after Enter, even split across reads', () => {
    expect(run(['~.'])).toEqual({ forward: '', actions: ['disconnect'] });
    expect(run(['ls\r', '~', '.'])).toEqual({ forward: 'ls\r', actions: ['disconnect'] });
    expect(run(['echo\n~.more'])).toEqual({ forward: 'echo\n', actions: ['disconnect'] });
  });

  it('drops everything after a disconnect', () => {
    expect(run(['\r~.', 'abc'])).toEqual({ forward: '\r', actions: ['disconnect'] });
  });

  it('~ in the middle of a line is an ordinary key', () => {
    expect(run(['cd ~/x.\r'])).toEqual({ forward: 'cd ~/x.\r', actions: [] });
    expect(run(['a~.'])).toEqual({ forward: 'a~.', actions: [] });
  });

  it('~~ sends one ~, ~? asks for help, ~x sends both', () => {
    expect(run(['~~.'])).toEqual({ forward: '~.', actions: [] });
    expect(run(['~?'])).toEqual({ forward: '', actions: ['help'] });
    expect(run(['~?~.'])).toEqual({ forward: '', actions: ['help', 'disconnect'] });
    expect(run(['~x'])).toEqual({ forward: '~x', actions: [] });
    expect(run(['~\r~.'])).toEqual({ forward: '~\r', actions: ['disconnect'] });
  });

  it('control keys pass through untouched', () => {
    expect(run(['\x03\x1a\x1c\x04'])).toEqual({ forward: '\x03\x1a\x1c\x04', actions: [] });
  });

  it('without escapes, the output is the input whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 10 }), (chunks) => {
        const all = Buffer.concat(chunks);
        fc.pre(!all.includes(0x7e));
        const result = run(chunks.map((c) => text(c)));
        expect(result).toEqual({ forward: text(all), actions: [] });
      }),
    );
  });

  it('the result does not depend on how the input is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('~', '.', '?', '\r', '\n', 'a', '\x03'), { maxLength: 30 }),
        fc.nat(),
        (keys, seed) => {
          const whole = run([keys.join('')]);
          const cut = seed % (keys.length + 1);
          const split = run([keys.slice(0, cut).join(''), keys.slice(cut).join('')]);
          expect(split).toEqual(whole);
        },
      ),
    );
  });
});
