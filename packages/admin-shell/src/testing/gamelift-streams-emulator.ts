import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentEmulator } from 'ssm-channel/testing';
import { AdminShellError } from '../errors.js';
import { type EmulatedErrorType, INJECTABLE_STATUS, sendError, sendJson } from './api-errors.js';
import { checkEmulatedStatus, checkEmulatorOptions, checkInjectedFault } from './emulator-options.js';
import type {
  EmulatedOperation,
  EmulatedRuntime,
  EmulatedSessionStatus,
  EmulatorCall,
  GameLiftStreamsEmulator,
  GameLiftStreamsEmulatorOptions,
  InjectedFault,
} from './emulator-types.js';
import { listPage, moreSessionSpecs } from './list-page.js';
import { readBody } from './request-body.js';
import { checkSigV4 } from './sigv4-check.js';
import { EmulatedStreamSession, POWERSHELL_SHELL } from './stream-sessions.js';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const IDENTIFIER = /^(?:[a-zA-Z0-9-]+|arn:aws:gameliftstreams:[^: ]*:[0-9]{12}:[^: ]*)$/;
const ROUTE = /^\/streamgroups\/([^/]+)\/streamsessions\/([^/]+?)(\/access)?\/?$/;
const LIST_ROUTE = /^\/streamgroups\/([^/]+)\/streamsessions\/?$/;
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
  tokenValue: string | undefined,
  streamSessions: number,
): Promise<AgentEmulator> {
  const { startAgentEmulator } = await import('ssm-channel/testing');
  try {
    return await startAgentEmulator({
      // Room for a few terminal sessions per stream session (each run of a command starts one).
      maxSessions: Math.max(64, 4 * streamSessions),
      ...options.agent,
      ...(options.runtime === 'windows' ? { shell: POWERSHELL_SHELL } : {}),
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
 * CreateStreamSessionAdminShell (`POST /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/access`),
 * GetStreamSession (`GET /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}`) and
 * ListStreamSessions (`GET /streamgroups/{Identifier}/streamsessions`, page by page) in the service's REST JSON
 * shapes, errors included, for a stream group of one or many stream sessions, and hands out URLs into an agent
 * emulator that runs a real shell per terminal session.
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
  const ApplicationArn = `arn:aws:gameliftstreams:${region}:${accountId}:application/a-${randomId(9)}`;
  const faults: InjectedFault[] = [...(options.faults ?? [])];
  const calls: EmulatorCall[] = [];
  let notReadyLeft = options.notReadyTimes ?? 0;
  const pageSize = options.pageSize ?? 25;

  const specs = moreSessionSpecs(options.moreSessions);
  const agent = await startAgent(options, fixedToken, specs.length + 1);
  let closed = false;
  const getAgent = (): Promise<AgentEmulator> => {
    if (closed) return Promise.reject(new Error('the emulator is closed'));
    return Promise.resolve(agent);
  };
  const now = Math.floor(Date.now() / 1000);
  const sessionArn = (id: string): string =>
    `arn:aws:gameliftstreams:${region}:${accountId}:streamsession/${streamGroupId}/${id}`;
  const sessions = new Map<string, EmulatedStreamSession>();
  const addSession = (
    id: string,
    status: EmulatedSessionStatus,
    runtime: EmulatedRuntime,
    first: boolean,
  ) => {
    if (sessions.has(id)) {
      throw new AdminShellError('INVALID_ARGUMENT', `stream session ${id} is given twice.`);
    }
    sessions.set(
      id,
      new EmulatedStreamSession({
        id,
        arn: sessionArn(id),
        runtime,
        status,
        // Older first, a second apart, so that listings have distinct ages.
        createdAt: now - (specs.length + 1) + sessions.size,
        agent: getAgent,
        usesFirst: first,
      }),
    );
  };
  try {
    addSession(streamSessionId, options.status ?? 'ACTIVE', options.runtime ?? 'linux', true);
    for (const spec of specs) {
      addSession(spec.id ?? randomId(13), spec.status ?? 'ACTIVE', spec.runtime ?? 'linux', false);
    }
  } catch (error) {
    await agent.close();
    throw error;
  }
  const sessionOf = (id: string | undefined): EmulatedStreamSession => {
    const found = sessions.get(id ?? streamSessionId);
    if (found === undefined) {
      throw new AdminShellError('INVALID_ARGUMENT', `the emulated stream group has no stream session ${id}.`);
    }
    return found;
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
    const list = route === null ? LIST_ROUTE.exec(path) : null;
    const operation: EmulatedOperation | undefined =
      route !== null
        ? req.method === 'POST' && route[3] !== undefined
          ? 'CreateStreamSessionAdminShell'
          : req.method === 'GET' && route[3] === undefined
            ? 'GetStreamSession'
            : undefined
        : list !== null && req.method === 'GET'
          ? 'ListStreamSessions'
          : undefined;
    const authFailure = checkSigV4(
      { method: req.method ?? 'GET', path, query, headers: req.headers, body },
      { region, service: 'gameliftstreams', credentials: options.credentials },
    );
    if (authFailure !== undefined) {
      fail({ operation: operation ?? 'unknown' }, authFailure.errorType, authFailure.message);
      return;
    }
    if (operation === undefined) {
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
      identifier = decodeURIComponent((route ?? list)?.[1] ?? '');
      sessionIdentifier = route === null ? '' : decodeURIComponent(route[2] ?? '');
    } catch {
      fail({ operation }, 'ValidationException', 'The identifiers are not correctly percent-encoded.');
      return;
    }
    const call = {
      operation,
      identifier,
      ...(route === null ? {} : { streamSessionIdentifier: sessionIdentifier }),
    };
    const checked: (readonly [string, string])[] = [['identifier', identifier]];
    if (route !== null) checked.push(['streamSessionIdentifier', sessionIdentifier]);
    for (const [name, value] of checked) {
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
    if (identifier !== streamGroupId && identifier !== streamGroupArn) {
      fail(call, 'ResourceNotFoundException', `Stream group ${identifier} not found.`);
      return;
    }
    if (operation === 'ListStreamSessions') {
      const page = listPage([...sessions.values()], new URLSearchParams(query), pageSize);
      if (typeof page === 'string') {
        fail(call, 'ValidationException', page);
        return;
      }
      sendJson(res, {
        Items: page.items.map((session) => summary(session)),
        ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
      });
      calls.push({ ...call, httpStatus: 200 });
      return;
    }
    const bySession = sessionIdentifier.startsWith('arn:')
      ? [...sessions.values()].find((session) => session.arn === sessionIdentifier)
      : sessions.get(sessionIdentifier);
    if (bySession === undefined) {
      fail(
        call,
        'ResourceNotFoundException',
        `Stream session ${sessionIdentifier} not found in stream group ${identifier}.`,
      );
      return;
    }
    if (operation === 'GetStreamSession') {
      sendJson(res, {
        ...summary(bySession),
        StreamGroupId: streamGroupId,
        ConnectionTimeoutSeconds: 120,
        SessionLengthSeconds: 43_200,
      });
      calls.push({ ...call, httpStatus: 200 });
      return;
    }
    if (bySession.status === 'ACTIVATING') {
      fail(call, 'StreamSessionAccessNotReadyException', NOT_READY_MESSAGE);
      return;
    }
    if (
      bySession.status === 'TERMINATING' ||
      bySession.status === 'TERMINATED' ||
      bySession.status === 'ERROR'
    ) {
      fail(
        call,
        'ValidationException',
        `Stream session ${bySession.id} is ${bySession.status}; admin shell access needs an active stream session.`,
      );
      return;
    }
    const session = await bySession.terminalSession();
    const issued = session.issueToken();
    issuedTokens.push(issued.tokenValue);
    sendJson(res, {
      SessionId: options.rewriteSessionId?.(session.sessionId) ?? session.sessionId,
      StreamUrl: issued.streamUrl,
      TokenValue: issued.tokenValue,
    });
    calls.push({ ...call, httpStatus: 200 });
  };

  const summary = (session: EmulatedStreamSession) => ({
    Arn: session.arn,
    Status: session.status,
    ...(session.statusReason === undefined ? {} : { StatusReason: session.statusReason }),
    Protocol: 'WebRTC',
    Location: region,
    UserId: 'emulated-user',
    ApplicationArn,
    CreatedAt: session.createdAt,
    LastUpdatedAt: session.lastUpdatedAt,
  });

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
    streamSessionIds: [...sessions.keys()],
    terminalSession: (id) => sessionOf(id).terminalSession(),
    setStatus(next, reason, id) {
      const session = sessionOf(id);
      const status = checkEmulatedStatus(next);
      if (reason !== undefined && typeof reason !== 'string') {
        throw new AdminShellError('INVALID_ARGUMENT', 'statusReason must be a string.');
      }
      session.status = status;
      session.statusReason = reason;
      session.lastUpdatedAt = Math.floor(Date.now() / 1000);
    },
    injectFault(fault) {
      faults.push(checkInjectedFault(fault));
    },
    replaceTerminalSession: (id) => sessionOf(id).replaceTerminalSession(),
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
