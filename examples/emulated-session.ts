/**
 * Talk to a real shell behind the SSM agent emulator over the data channel, no AWS involved: run a command,
 * wait for its output, resize the terminal, and end the session.
 * Run it after `pnpm build`: `node examples/dist/emulated-session.js`.
 */
import { connectDataChannel, type DataChannel } from 'ssm-channel';
import { startAgentEmulator } from 'ssm-channel/testing';

/** Resolves once the output read so far contains `text` (or rejects after 10 s). */
function outputContains(channel: DataChannel, text: string): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" in the output within 10 s`)), 10_000);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      clearTimeout(timer);
      channel.off('data', onData);
      resolve();
    };
    channel.on('data', onData);
  });
}

const emulator = await startAgentEmulator({ mode: 'shell' });
try {
  const channel = await connectDataChannel({
    streamUrl: emulator.url,
    tokenValue: emulator.tokenValue,
    terminalSize: { cols: 120, rows: 40 },
    // After a dropped connection: fresh credentials for the same session, like SSM's ResumeSession.
    reconnect: { credentials: async () => emulator.issueToken() },
  });
  channel.pipe(process.stdout);
  const sized = outputContains(channel, '40 120');
  channel.write('uname -s; stty size\n');
  await sized;
  // Sent at once; the shell sees the new size from its next command on.
  channel.resize(100, 30);
  channel.write('stty size; exit\n');
  const info = await channel.whenClosed;
  console.error(`session ended: ${info.reason}`);
} finally {
  await emulator.close();
}
