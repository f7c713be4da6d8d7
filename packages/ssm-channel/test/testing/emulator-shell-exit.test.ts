import { once } from 'node:events';
import { connectDataChannel, type DataChannel } from 'ssm-channel';
import { type AgentEmulator, startAgentEmulator } from 'ssm-channel/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leakedSince, watchedResources } from '../transport/helpers.js';

let before: Map<string, number>;
let emulator: AgentEmulator | undefined;

beforeEach(() => {
  before = watchedResources();
});

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  expect(await leakedSince(before)).toEqual([]);
});

/** Reads the channel to its end; resolves with every output byte and how it closed. */
async function readAll(channel: DataChannel): Promise<{ text: string; reason: string }> {
  const chunks: Buffer[] = [];
  channel.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => channel.once('end', resolve).once('close', resolve));
  const info = await channel.whenClosed;
  return { text: Buffer.concat(chunks).toString('latin1'), reason: info.reason };
}

/** `seq 1 n` as the pty shows it: one number per line, ends of line as CR LF. */
function seqOutput(n: number): string {
  return `${Array.from({ length: n }, (_, i) => String(i + 1)).join('\r\n')}\r\n`;
}

describe('shell mode: output written just before the shell exits', () => {
  it('`seq 1 20000; exit` arrives complete, last line included, before channel_closed', async () => {
    // The pty echoes the typed line; the markers are built by printf so that they appear only in the output.
    emulator = await startAgentEmulator({ mode: 'shell', closeSocketDelayMs: 20 });
    const channel = await connectDataChannel({ streamUrl: emulator.url, tokenValue: emulator.tokenValue });
    const reading = readAll(channel);
    channel.write("printf '%s%s' '<' '<'; seq 1 20000; printf '%s%s' '>' '>'; exit\n");
    const { text, reason } = await reading;
    expect(reason).toBe('channel_closed');
    const start = text.indexOf('<<');
    const end = text.lastIndexOf('>>');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end, `output ends with ${JSON.stringify(text.slice(-60))}`).toBeGreaterThan(start);
    const body = text.slice(start + 2, end);
    expect(body.length).toBe(seqOutput(20_000).length);
    expect(body).toBe(seqOutput(20_000));
    expect((await emulator.ended).reason).toBe('exited');
  });

  it('a shell that exits while its output is held back by a full window still gets every byte out', async () => {
    // A 4 KiB agent window and a stalled connection (no acks): the pty is paused when the shell exits with
    // most of its output still in the kernel, for longer than node-pty waits before dropping it.
    emulator = await startAgentEmulator({
      mode: 'shell',
      closeSocketDelayMs: 20,
      agent: { maxUnackedBytes: 4_096, minRetransmitIntervalMs: 20, maxRtoMs: 100 },
    });
    const channel = await connectDataChannel({ streamUrl: emulator.url, tokenValue: emulator.tokenValue });
    const reading = readAll(channel);
    const typed = once(emulator.events, 'input');
    channel.write("sleep 0.2; printf '%s%s' '<' '<'; seq 1 3000; printf '%s%s' '>' '>'; exit\n");
    await typed;
    emulator.stall({ durationMs: 700 });
    const { text, reason } = await reading;
    expect(reason).toBe('channel_closed');
    expect(emulator.stats().faults.stalledFrames).toBeGreaterThan(0);
    const start = text.indexOf('<<');
    const end = text.lastIndexOf('>>');
    expect(end, `output ends with ${JSON.stringify(text.slice(-60))}`).toBeGreaterThan(start);
    expect(text.slice(start + 2, end)).toBe(seqOutput(3_000));
  });
});
