import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentEmulator, EmulatedSession } from 'ssm-channel/testing';
import { AdminShellError } from '../errors.js';
import { type EmulatedErrorType, INJECTABLE_STATUS, sendError, sendJson } from './api-errors.js';
import { checkEmulatedStatus, checkEmulatorOptions, checkInjectedFault } from './emulator-options.js';
import type {
  EmulatedOperation,
  EmulatedSessionStatus,
  EmulatorCall,
  GameLiftStreamsEmulator,
  GameLiftStreamsEmulatorOptions,
  InjectedFault,
} from './emulator-types.js';
import { readBody } from './request-body.js';
import { checkSigV4 } from './sigv4-check.js';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const IDENTIFIER = /^(?:[a-zA-Z0-9-]+|arn:aws:gameliftstreams:[^: ]*:[0-9]{12}:[^: ]*)$/;
const ROUTE = /^\/streamgroups\/([^/]+)\/streamsessions\/([^/]+?)(\/access)?\/?$/;
const MAX_BODY_BYTES = 64 * 1024;
const NOT_READY_MESSAGE = 'The terminal connection to the stream session is not yet available.';
/** The longest part of a failure's message quoted in the 500 answer. */
const MAX_FAILURE_CHARS = 240;

/**
 * Checks the `tokenValue` option with the agent emulator's rule, before anything starts.
 * @throws {AdminShellError} `INVALID_ARGUMENT`, without the value.
 */
async function checkTokenValue(value: string): Promise<void> {
  const { validateTokenValue } = await import('ssm-channel/testing');
  try {
    validateTokenValue(value);
  } catch (cause) {
    throw new AdminShellError('INVALID_ARGUMENT', (cause as Error).message, { cause });
  }
}

/**
 * Starts the agent emulator behind the URLs, in `shell` mode. A missing `node-pty` or a bad `agent` option is
 * refused here, when the API emulator starts, instead of as a 500 at the first call.
 * @throws {AdminShellError} `INVALID_ARGUMENT`, with the agent emulator's error (which names the install
 *   command of a missing `node-pty`) as its message and `cause`.
 */
async function startAgent(
  options: GameLiftStreamsEmulatorOptions,
  tokenValue?: string,
): Promise<AgentEmulator> {
  const { startAgentEmulator } = await import('ssm-channel/testing');
  try {
    return await startAgentEmulator({
      ...options.agent,
      ...(tokenValue === undefined ? {} : { tokenValue }),
      mode: 'shell',
    });
  } catch (cause) {
    throw new AdminShellError(
      'INVALID_ARGUMENT',
      `the agent emulator did not start: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

/** What the 500 answer of a request the emulator failed to handle says: the failure, code and message. */
function failureText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const text = typeof code === 'string' && code.length > 0 ? `${code}: ${message}` : message;
  return text.length > MAX_FAILURE_CHARS ? `${text.slice(0, MAX_FAILURE_CHARS - 3)}...` : text;
}

function randomId(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUM[b % ALPHANUM.length]).join('');
}

/**
 * Starts a GameLift Streams API emulator on 127.0.0.1: a real HTTP server that answers
 * CreateStreamSessionAdminShell (`POST /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/access`)
 * and GetStreamSession (`GET /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}`) in the
 * service's REST JSON shapes, errors included, and hands out URLs into an agent emulator that runs a real shell.
 * Every request must carry a SigV4 Authorization header (see {@link GameLiftStreamsEmulatorOptions.credentials}).
 * The agent emulator behind the URLs starts with it (no shell runs before a client connects).
 * A request the emulator fails to handle is answered 500 InternalServerException whose message says what
 * failed, and recorded in `calls` with the error as `failure`.
 * @throws {AdminShellError} `INVALID_ARGUMENT` for a bad option (region, IDs, `status`, `notReadyTimes`,
 *   `faults`, `credentials`, `port`, `tokenValue`, `agent`…), or when the agent emulator cannot run a shell
 *   (`node-pty` missing: the message names the install command), before anything starts.
 */
export async function startGameLiftStreamsEmulator(
  options: GameLiftStreamsEmulatorOptions = {},
): Promise<GameLiftStreamsEmulator> {
  checkEmulatorOptions(options);
  const fixedToken = options.tokenValue;
  if (fixedToken !== undefined) await checkTokenValue(fixedToken);
  const region = options.region ?? 'us-west-2';
  const accountId = options.accountId ?? '111122223333';
  const streamGroupId = options.streamGroupId ?? `sg-${randomId(9)}`;
  const streamSessionId = options.streamSessionId ?? randomId(13);
  const streamGroupArn = `arn:aws:gameliftstreams:${region}:${accountId}:streamgroup/${streamGroupId}`;
  const streamSessionArn = `arn:aws:gameliftstreams:${region}:${accountId}:streamsession/${streamGroupId}/${streamSessionId}`;
  const createdAt = Math.floor(Date.now() / 1000);
  let status: EmulatedSessionStatus = options.status ?? 'ACTIVE';
  let statusReason: string | undefined;
  let notReadyLeft = options.notReadyTimes ?? 0;
  const faults: InjectedFault[] = [...(options.faults ?? [])];
  const calls: EmulatorCall[] = [];

  const agent = await startAgent(options, fixedToken);
  let current: Promise<EmulatedSession> | undefined;
  let closed = false;
  const getAgent = (): Promise<AgentEmulator> => {
    if (closed) return Promise.reject(new Error('the emulator is closed'));
    return Promise.resolve(agent);
  };
  // Like the service, a call after the terminal session has ended (its shell exited) starts a new one.
  let currentEnded = false;
  const track = (session: Promise<EmulatedSession>): Promise<EmulatedSession> => {
    currentEnded = false;
    session.then(
      (s) =>
        s.ended.then(() => {
          if (current === session) currentEnded = true;
        }),
      () => undefined,
    );
    return session;
  };
  const terminalSession = (): Promise<EmulatedSession> => {
    current ??= track(getAgent().then((a) => a.session));
    if (currentEnded) current = track(getAgent().then((a) => a.createSession()));
    return current;
  };
  const issuedTokens: string[] = [];

  const takeFault = (operation: EmulatedOperation): InjectedFault | undefined => {
    const index = faults.findIndex((f) => (f.operation ?? 'CreateStreamSessionAdminShell') === operation);
    if (index === -1) return undefined;
    const fault = faults[index] as InjectedFault;
    const times = (fault.times ?? Number.POSITIVE_INFINITY) - 1;
    if (times <= 0) faults.splice(index, 1);
    else faults[index] = { ...fault, times };
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = q === -1 ? '' : rawUrl.slice(q + 1);
    const fail = (
      call: Omit<EmulatorCall, 'httpStatus' | 'errorType'>,
      type: EmulatedErrorType,
      message: string,
    ) => {
      sendError(res, type, message);
      calls.push({ ...call, httpStatus: res.statusCode, errorType: type });
    };

    const route = ROUTE.exec(path);
    const operation: EmulatedOperation | undefined =
      route === null
        ? undefined
        : req.method === 'POST' && route[3] !== undefined
          ? 'CreateStreamSessionAdminShell'
          : req.method === 'GET' && route[3] === undefined
            ? 'GetStreamSession'
            : undefined;
    const authFailure = checkSigV4(
      { method: req.method ?? 'GET', path, query, headers: req.headers, body },
      { region, service: 'gameliftstreams', credentials: options.credentials },
    );
    if (authFailure !== undefined) {
      fail({ operation: operation ?? 'unknown' }, authFailure.errorType, authFailure.message);
      return;
    }
    if (route === null || operation === undefined) {
      fail(
        { operation: 'unknown' },
        'UnknownOperationException',
        `No operation matches ${req.method} ${path}.`,
      );
      return;
    }
    let identifier: string;
    let sessionIdentifier: string;
    try {
      identifier = decodeURIComponent(route[1] ?? '');
      sessionIdentifier = decodeURIComponent(route[2] ?? '');
    } catch {
      fail({ operation }, 'ValidationException', 'The identifiers are not correctly percent-encoded.');
      return;
    }
    const call = { operation, identifier, streamSessionIdentifier: sessionIdentifier };
    for (const [name, value] of [
      ['identifier', identifier],
      ['streamSessionIdentifier', sessionIdentifier],
    ] as const) {
      if (value.length < 1 || value.length > 128 || !IDENTIFIER.test(value)) {
        fail(
          call,
          'ValidationException',
          `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern.`,
        );
        return;
      }
    }
    if (operation === 'CreateStreamSessionAdminShell' && notReadyLeft > 0) {
      notReadyLeft--;
      fail(call, 'StreamSessionAccessNotReadyException', NOT_READY_MESSAGE);
      return;
    }
    const fault = takeFault(operation);
    if (fault !== undefined) {
      const type = INJECTABLE_STATUS[fault.status];
      fail(call, type, fault.message ?? `Injected ${type}.`);
      return;
    }
    if (
      (identifier !== streamGroupId && identifier !== streamGroupArn) ||
      (sessionIdentifier !== streamSessionId && sessionIdentifier !== streamSessionArn)
    ) {
      fail(
        call,
        'ResourceNotFoundException',
        `Stream session ${sessionIdentifier} not found in stream group ${identifier}.`,
      );
      return;
    }
    if (operation === 'GetStreamSession') {
      sendJson(res, {
        Arn: streamSessionArn,
        StreamGroupId: streamGroupId,
        Status: status,
        ...(statusReason === undefined ? {} : { StatusReason: statusReason }),
        Protocol: 'WebRTC',
        Location: region,
        UserId: 'emulated-user',
        ApplicationArn: `arn:aws:gameliftstreams:${region}:${accountId}:application/a-${randomId(9)}`,
        ConnectionTimeoutSeconds: 120,
        SessionLengthSeconds: 43_200,
        CreatedAt: createdAt,
        LastUpdatedAt: Math.floor(Date.now() / 1000),
      });
      calls.push({ ...call, httpStatus: 200 });
      return;
    }
    if (status === 'ACTIVATING') {
      fail(call, 'StreamSessionAccessNotReadyException', NOT_READY_MESSAGE);
      return;
    }
    if (status === 'TERMINATING' || status === 'TERMINATED' || status === 'ERROR') {
      fail(
        call,
        'ValidationException',
        `Stream session ${streamSessionId} is ${status}; admin shell access needs an active stream session.`,
      );
      return;
    }
    const session = await terminalSession();
    const issued = session.issueToken();
    issuedTokens.push(issued.tokenValue);
    sendJson(res, {
      SessionId: session.sessionId,
      StreamUrl: issued.streamUrl,
      TokenValue: issued.tokenValue,
    });
    calls.push({ ...call, httpStatus: 200 });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((failure: unknown) => {
      if (!res.headersSent) {
        sendError(
          res,
          'InternalServerException',
          `The emulator failed to handle the request: ${failureText(failure)}`,
        );
        calls.push({ operation: 'unknown', httpStatus: 500, errorType: 'InternalServerException', failure });
      } else res.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await agent.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    streamGroupId,
    streamSessionId,
    streamGroupArn,
    streamSessionArn,
    calls,
    issuedTokens,
    agent: getAgent,
    terminalSession,
    setStatus(next, reason) {
      status = checkEmulatedStatus(next);
      if (reason !== undefined && typeof reason !== 'string') {
        throw new AdminShellError('INVALID_ARGUMENT', 'statusReason must be a string.');
      }
      statusReason = reason;
    },
    injectFault(fault) {
      faults.push(checkInjectedFault(fault));
    },
    async replaceTerminalSession() {
      const next = track((await getAgent()).createSession());
      current = next;
      await next;
    },
    async close() {
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await agent.close();
    },
  };
}
