import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../../src/codec/constants.js';
import { SsmProtocolError } from '../../src/errors.js';
import { type AgentEmulatorOptions, deterministicBytes, GARBAGE_KINDS } from '../../src/testing/index.js';
import { useEmulatorTestbed } from './emulator-testbed.js';
import type { MiniClient } from './mini-client.js';

const bed = useEmulatorTestbed();

async function start(options: AgentEmulatorOptions): Promise<MiniClient> {
  return bed.connect(await bed.start(options));
}

const SOURCE_BYTES = 60_000;
const expected = Buffer.from(deterministicBytes(4, SOURCE_BYTES));
const fastRetransmit = { minRetransmitIntervalMs: 10, maxRtoMs: 100 };

describe('frame faults toward the client (source mode)', () => {
  it('drop: the agent retransmits and the client still gets every byte in order', async () => {
    const c = await start({
      mode: 'source',
      source: { bytes: SOURCE_BYTES, seed: 4 },
      faults: { seed: 3, drop: 0.2, direction: 'to-client' },
      agent: { ...fastRetransmit, maxRetransmitBurst: 8 },
    });
    await c.waitFor(() => c.channelClosed !== undefined, 20_000);
    expect(c.output().equals(expected)).toBe(true);
    const stats = bed.emulator.stats();
    expect(stats.faults.dropped).toBeGreaterThan(0);
    expect(stats.retransmissions).toBeGreaterThan(0);
  });

  it('duplicate: the client sees duplicates and still the exact stream', async () => {
    const c = await start({
      mode: 'source',
      source: { bytes: SOURCE_BYTES, seed: 4 },
      faults: { seed: 3, duplicate: 0.3, direction: 'to-client' },
    });
    await c.waitFor(() => c.channelClosed !== undefined, 20_000);
    expect(c.output().equals(expected)).toBe(true);
    expect(bed.emulator.stats().faults.duplicated).toBeGreaterThan(0);
    expect(c.duplicates).toBeGreaterThan(0);
  });

  it('reorder: frames arrive out of order and are reassembled', async () => {
    const c = await start({
      mode: 'source',
      source: { bytes: SOURCE_BYTES, seed: 4 },
      faults: { seed: 3, reorder: 0.3, direction: 'to-client' },
    });
    await c.waitFor(() => c.channelClosed !== undefined, 20_000);
    expect(c.output().equals(expected)).toBe(true);
    expect(bed.emulator.stats().faults.reordered).toBeGreaterThan(0);
    const arrival = c.received
      .filter((m) => m.messageType === MessageType.OutputStreamData)
      .map((m) => m.sequenceNumber);
    expect(arrival).not.toEqual([...arrival].sort((a, b) => a - b));
  });

  it('garbage: every injected frame fails to decode or is ignored; the stream is intact', async () => {
    const c = await start({
      mode: 'source',
      source: { bytes: SOURCE_BYTES, seed: 4 },
      faults: { seed: 3, garbage: 0.2 },
    });
    await c.waitFor(() => c.channelClosed !== undefined, 20_000);
    expect(c.output().equals(expected)).toBe(true);
    const injected = bed.emulator.stats().faults.garbage;
    expect(injected).toBeGreaterThan(0);
    const unknown = c.received.filter((m) => m.messageType === 'emulator_garbage').length;
    expect(c.undecodable.length + unknown + c.textFrames.length).toBe(injected);
    expect(c.undecodable.every((e) => e instanceof SsmProtocolError)).toBe(true);
  });
});

describe('frame faults toward the agent (sink mode)', () => {
  it('drop, duplicate and reorder of input: the sink still gets the exact bytes once', async () => {
    const c = await start({
      mode: 'sink',
      faults: { seed: 9, drop: 0.15, duplicate: 0.15, reorder: 0.15, direction: 'to-agent' },
    });
    c.startResending(30);
    const data = deterministicBytes(12, 40 * 1024);
    for (let offset = 0; offset < data.length; offset += 1024)
      c.sendInput(data.subarray(offset, offset + 1024));
    await c.waitFor(() => c.unacked === 0, 20_000);
    const stats = bed.emulator.stats();
    expect(stats.sink.bytes).toBe(data.length);
    expect(stats.sink.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(stats.faults.dropped).toBeGreaterThan(0);
    expect(stats.faults.duplicated).toBeGreaterThan(0);
    expect(stats.faults.reordered).toBeGreaterThan(0);
  });
});

describe('connection faults', () => {
  it('cut after N bytes, K times: the client reconnects with fresh tokens and gets every byte', async () => {
    const c = await start({
      mode: 'source',
      source: { bytes: SOURCE_BYTES, seed: 4 },
      faults: { cut: { afterBytes: 20_000, times: 2 } },
    });
    let reconnects = 0;
    const reconnectOnClose = async (): Promise<void> => {
      const { code } = await c.closeEvent;
      if (c.channelClosed !== undefined || code !== 1006 || reconnects >= 5) return;
      reconnects += 1;
      await c.connect(bed.emulator.issueToken().tokenValue);
      void reconnectOnClose();
    };
    void reconnectOnClose();
    await c.waitFor(() => c.channelClosed !== undefined, 20_000);
    expect(c.output().equals(expected)).toBe(true);
    expect(reconnects).toBe(2);
    expect(bed.emulator.stats()).toMatchObject({
      connections: 3,
      faults: expect.objectContaining({ cuts: 2 }),
    });
  });

  it('disconnect() drops the TCP connection on demand (close code 1006 at the client)', async () => {
    const c = await start({ mode: 'echo' });
    await c.waitFor(() => bed.emulator.connected);
    bed.emulator.disconnect();
    expect((await c.closeEvent).code).toBe(1006);
    await c.waitFor(() => !bed.emulator.connected);
  });

  it('stall after N bytes for a while: nothing flows, then the session recovers', async () => {
    const c = await start({ mode: 'echo', faults: { stall: { afterBytes: 1, durationMs: 150 } } });
    c.sendInput('during the stall');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(c.delivered).toHaveLength(0);
    expect(bed.emulator.stats().faults.stalls).toBe(1);
    c.startResending(30);
    await c.waitFor(() => c.output().toString() === 'during the stall');
  });
});

describe('service messages on demand', () => {
  it('pause_publication and start_publication reach the client; input while paused is counted', async () => {
    const c = await start({ mode: 'echo' });
    await c.waitFor(() => bed.emulator.connected);
    bed.emulator.pausePublication();
    await c.waitFor(() => c.publication.length === 1);
    c.sendInput('sneaky');
    await c.waitFor(() => bed.emulator.stats().inputWhilePaused === 1);
    bed.emulator.startPublication();
    await c.waitFor(() => c.publication.length === 2);
    expect(c.publication).toEqual([MessageType.PausePublication, MessageType.StartPublication]);
  });

  it('sendGarbage() sends each kind once', async () => {
    const c = await start({ mode: 'echo' });
    await c.waitFor(() => bed.emulator.connected);
    for (const kind of GARBAGE_KINDS) bed.emulator.sendGarbage(kind);
    await c.waitFor(
      () => c.undecodable.length + c.textFrames.length + c.received.length === GARBAGE_KINDS.length,
    );
    expect(c.undecodable).toHaveLength(4);
    expect(c.textFrames).toHaveLength(1);
    expect(bed.emulator.stats().faults.garbage).toBe(GARBAGE_KINDS.length);
  });

  it('terminate() sends channel_closed with the output and ends the session', async () => {
    const c = await start({ mode: 'echo' });
    await c.waitFor(() => bed.emulator.connected);
    bed.emulator.terminate('terminated by the test');
    expect((await bed.emulator.ended).reason).toBe('terminated');
    await c.waitFor(() => c.channelClosed !== undefined);
    expect(c.channelClosed!.output).toBe('terminated by the test');
  });
});
