// A page's code, type-checked against the installed ssm-channel with the `browser` condition and without
// Node's types: the browser build's declarations must stand on their own.
// @ts-expect-error the Node Duplex is not part of the browser build
import { connectDataChannel, connectWebDataChannel, type WebDataChannel } from 'ssm-channel';

void connectDataChannel;

export async function open(streamUrl: string, tokenValue: string): Promise<WebDataChannel> {
  const channel = await connectWebDataChannel({
    streamUrl,
    tokenValue,
    terminalSize: { cols: 80, rows: 24 },
  });
  const writer = channel.writable.getWriter();
  await writer.write(new TextEncoder().encode('echo hi\n'));
  writer.releaseLock();
  return channel;
}
