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
  type CloseInfo,
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
    client,
    streamGroupId: emulator.streamGroupId,
    streamSessionId: emulator.streamSessionId,
    terminalSize: { cols: 120, rows: 40 },
    signal: AbortSignal.timeout(60_000),
  };
  const shell: AdminShell = await openAdminShell(options);
  const id: string = shell.sessionId;
  shell.resize(100, 30);
  shell.end(`echo ${id}\n`);
  return shell.whenClosed;
}

export async function viaChannel(agent: AgentEmulator): Promise<number | undefined> {
  const channel: DataChannel = await connectDataChannel({
    streamUrl: agent.url,
    tokenValue: agent.tokenValue,
  });
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
