import { connectDataChannel, type DataChannel } from 'ssm-channel';
import { type AgentEmulator, startAgentEmulator } from 'ssm-channel/testing';
import { afterEach, describe, expect, it } from 'vitest';

let agent: AgentEmulator | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

/** Collects output and resolves when `pattern` appears in what was read so far. */
function outputOf(channel: DataChannel): { text(): string; waitFor(pattern: RegExp): Promise<string> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  channel.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(text)) waiter.resolve(text);
      else waiters.push(waiter);
    }
  });
  return {
    text: () => text,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        if (pattern.test(text)) resolve(text);
        else waiters.push({ pattern, resolve });
      }),
  };
}

describe('a shell session through the agent emulator', () => {
  it('runs a command, applies resize() to the pty, and ends with channel_closed on exit', async () => {
    agent = await startAgentEmulator({ mode: 'shell', shell: { file: '/bin/sh' } });
    const channel = await connectDataChannel({
      streamUrl: agent.url,
      tokenValue: agent.tokenValue,
      terminalSize: { cols: 100, rows: 30 },
    });
    expect(channel.session?.handshake).toBe(false);
    const output = outputOf(channel);

    channel.write('echo "sum=$((40 + 2))"\n');
    await output.waitFor(/sum=42/);

    channel.write('stty size\n');
    await output.waitFor(/30 100/);

    channel.resize(132, 43);
    channel.write('stty size\n');
    await output.waitFor(/43 132/);

    channel.write('exit\n');
    const info = await channel.whenClosed;
    expect(info.reason).toBe('channel_closed');
    expect(agent.stats().resizes).toBe(2);
  });
});
