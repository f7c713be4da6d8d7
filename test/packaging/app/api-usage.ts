// Type-checked in a fresh project against the installed tarballs (node16 and bundler resolution): the public
// API as a user's code calls it.
import { GameLiftStreamsClient } from '@aws-sdk/client-gameliftstreams';
import {
  type AdminShell,
  AdminShellError,
  type AdminShellErrorCode,
  isAdminShellError,
  type OpenAdminShellOptions,
  openAdminShell,
} from 'gamelift-admin-shell';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';
import {
  CHANNEL_DEFAULTS,
  type CloseInfo,
  type ConnectDataChannelOptions,
  connectDataChannel,
  type DataChannel,
  decodeAgentMessage,
  encodeAgentMessage,
  MessageType,
  PayloadType,
  SsmChannelError,
  type SsmChannelErrorCode,
} from 'ssm-channel';
import { type AgentEmulator, startAgentEmulator } from 'ssm-channel/testing';

export async function viaApi(emulator: GameLiftStreamsEmulator): Promise<CloseInfo> {
  const client = new GameLiftStreamsClient({ region: emulator.region, endpoint: emulator.endpoint });
  const options: OpenAdminShellOptions = {
    streamGroupId: emulator.streamGroupId,
    streamSessionId: emulator.streamSessionId,
    terminalSize: { cols: 120, rows: 40 },
    signal: AbortSignal.timeout(60_000),
    api: { client, callTimeoutMs: 10_000, retry: { maxWaitMs: 30_000 } },
    channel: {
      timeouts: { connectMs: 5_000, startMs: 20_000, stallMs: 120_000 },
      limits: { outputBufferBytes: 512 * 1024 },
      reconnect: { maxAttempts: 4 },
    },
  };
  const shell: AdminShell = await openAdminShell(options);
  const id: string = shell.sessionId;
  shell.resize(100, 30);
  shell.end(`echo ${id}\n`);
  return shell.whenClosed;
}

export async function viaChannel(agent: AgentEmulator): Promise<number | undefined> {
  const options: ConnectDataChannelOptions = {
    streamUrl: agent.url,
    tokenValue: agent.tokenValue,
    reconnect: { credentials: async () => agent.issueToken(), maxAttempts: 3 },
    timeouts: { connectMs: 5_000, pingIntervalMs: 10_000, pongMs: 10_000 },
    limits: { outputBufferBytes: CHANNEL_DEFAULTS.limits.outputBufferBytes / 2, maxMessageBytes: 64 * 1024 },
  };
  const channel: DataChannel = await connectDataChannel(options);
  channel.on('error', (error: SsmChannelError) => {
    const code: SsmChannelErrorCode = error.code;
    return code;
  });
  channel.end('exit\n');
  const info = await channel.whenClosed;
  return info.exitCode;
}

export function codes(error: unknown): AdminShellErrorCode | SsmChannelErrorCode | undefined {
  if (isAdminShellError(error)) return error.code;
  if (error instanceof AdminShellError) return error.code;
  if (error instanceof SsmChannelError) return error.code;
  return undefined;
}

export function frame(): number {
  const bytes: Uint8Array = encodeAgentMessage({
    messageType: MessageType.InputStreamData,
    sequenceNumber: 0,
    payloadType: PayloadType.Output,
    payload: new TextEncoder().encode('ls\r'),
  });
  return decodeAgentMessage(bytes).sequenceNumber;
}

export const starters = [startGameLiftStreamsEmulator, startAgentEmulator] as const;
