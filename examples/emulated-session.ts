/**
 * Talk to a real shell behind the SSM agent emulator over the data channel, no AWS involved:
 * run one command, read its output, resize the terminal, and end the session.
 */
import { connectDataChannel } from 'ssm-channel';
import { startAgentEmulator } from 'ssm-channel/testing';

const emulator = await startAgentEmulator({ mode: 'shell' });
try {
  const channel = await connectDataChannel({
    streamUrl: emulator.url,
    tokenValue: emulator.tokenValue,
    terminalSize: { cols: 120, rows: 40 },
    // After a dropped connection: fresh credentials for the same session, like SSM's ResumeSession.
    reconnect: async () => emulator.issueToken(),
  });
  channel.pipe(process.stdout);
  channel.write('uname -a; stty size\n');
  channel.resize(100, 30);
  channel.write('stty size; exit\n');
  const info = await channel.whenClosed;
  console.error(`session ended: ${info.reason}`);
} finally {
  await emulator.close();
}
