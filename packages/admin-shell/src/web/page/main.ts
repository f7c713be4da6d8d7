/**
 * The page of `gamelift-admin-shell web`: exchanges the link's one-time secret for a page key, asks the local
 * server for a StreamUrl and token (it calls CreateStreamSessionAdminShell with the user's credentials),
 * connects straight to the StreamUrl with `connectWebDataChannel`, and runs xterm.js on the channel.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { type CloseInfo, connectWebDataChannel, type WebDataChannel } from 'ssm-channel';
import { type Claim, claim, type EndReport, reportEnd, requestAccess, watchCommand } from './local-api.js';
import { forwardInput, handleClipboardKeys, pumpOutput } from './terminal-io.js';

const statusLine = document.getElementById('status') as HTMLElement;
const whereLine = document.getElementById('where') as HTMLElement;
const container = document.getElementById('terminal') as HTMLElement;

/** Shown when the command was stopped (Ctrl-C): the session ends with it. */
const STOPPED = 'The gamelift-admin-shell web command was stopped; so was the session.';

type State = 'starting' | 'connecting' | 'open' | 'reconnecting' | 'ended' | 'failed';

function setStatus(text: string, state: State): void {
  statusLine.textContent = text;
  statusLine.dataset.state = state;
}

/** Text of the remote side or of an error, without terminal escapes, for the terminal and the status line. */
function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 500);
}

function describeEnd(info: CloseInfo): { text: string; report: EndReport; state: State } {
  switch (info.reason) {
    case 'channel_closed': {
      const status = info.exitCode === undefined ? '' : ` (exit status ${info.exitCode})`;
      const output = info.output === undefined || info.output === '' ? '' : `: ${plain(info.output)}`;
      const report: EndReport = { reason: 'channel_closed' };
      if (info.exitCode !== undefined) report.exitCode = info.exitCode;
      if (info.output !== undefined) report.output = info.output;
      return { text: `The session ended${status}${output}.`, report, state: 'ended' };
    }
    case 'local':
      return { text: 'The session was closed.', report: { reason: 'local' }, state: 'ended' };
    case 'aborted':
      return { text: 'The session was aborted.', report: { reason: 'aborted' }, state: 'ended' };
    default: {
      const code = info.error?.code ?? 'UNKNOWN';
      const message = plain(info.error?.message ?? '');
      return {
        text: `The connection failed (${code}): ${message}`,
        report: { reason: 'error', code, message },
        state: 'failed',
      };
    }
  }
}

function openTerminal(): { term: Terminal; fit: FitAddon } {
  const term = new Terminal({
    cursorBlink: true,
    scrollback: 5_000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    theme: { background: '#1e1e1e', foreground: '#d4d4d4' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  fit.fit();
  // Resizes follow the page: the window, and anything else that changes the terminal's box.
  new ResizeObserver(() => fit.fit()).observe(container);
  handleClipboardKeys(term);
  term.focus();
  return { term, fit };
}

/** Shows a failure before or while connecting, and tells the local server (the command then ends). */
function failEarly(term: Terminal, text: string, pageKey?: string, report?: EndReport): void {
  setStatus(text, 'failed');
  term.write(`\r\n\x1b[31m${plain(text)}\x1b[0m\r\n`);
  if (pageKey !== undefined && report !== undefined) reportEnd(pageKey, report);
}

/**
 * Calls for access and connects. Resolves undefined when that failed (shown, and told to the server) or
 * when `stop` aborted it (the command was stopped).
 */
async function connect(term: Terminal, page: Claim, stop: AbortSignal): Promise<WebDataChannel | undefined> {
  setStatus('Calling CreateStreamSessionAdminShell…', 'connecting');
  try {
    const access = await requestAccess(page.pageKey, stop);
    setStatus(`Connecting to terminal session ${access.sessionId}…`, 'connecting');
    const channel = await connectWebDataChannel({
      streamUrl: access.streamUrl,
      tokenValue: access.tokenValue,
      terminalSize: { cols: term.cols, rows: term.rows },
      signal: stop,
      reconnect: {
        credentials: async ({ signal }) => {
          setStatus('The connection dropped; reconnecting…', 'reconnecting');
          const fresh = await requestAccess(page.pageKey, signal);
          if (fresh.sessionId !== access.sessionId) {
            throw new Error('the service answered with a new terminal session: the shell is gone');
          }
          return { streamUrl: fresh.streamUrl, tokenValue: fresh.tokenValue };
        },
      },
    });
    setStatus(`Connected (terminal session ${access.sessionId})`, 'open');
    return channel;
  } catch (error) {
    if (stop.aborted) {
      setStatus(`${STOPPED} You can close this page.`, 'ended');
      return undefined;
    }
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    failEarly(term, `Could not open the admin shell: ${message}`, page.pageKey, {
      reason: 'error',
      code: typeof code === 'string' ? code : 'UNKNOWN',
      message,
    });
    return undefined;
  }
}

async function main(): Promise<void> {
  // The secret leaves the address bar and the history at once; it is good for one claim only.
  const secret = new URLSearchParams(location.hash.slice(1)).get('k') ?? '';
  history.replaceState(null, '', location.pathname);
  const { term } = openTerminal();
  if (secret === '') {
    failEarly(
      term,
      'Open this page from the address that `gamelift-admin-shell web` prints (it ends with #k=…). ' +
        'That address works once: run the command again for a new one.',
    );
    return;
  }
  let page: Claim;
  try {
    page = await claim(secret);
  } catch (error) {
    failEarly(term, error instanceof Error ? error.message : String(error));
    return;
  }
  whereLine.textContent = `stream group ${page.streamGroupId} · stream session ${page.streamSessionId} · ${page.region}`;
  document.title = `admin shell · ${page.streamSessionId}`;

  // The command's stop ends the session here, whether it is connecting or open.
  const stop = new AbortController();
  void watchCommand(page.pageKey).then(() => stop.abort());
  const input = forwardInput(term, () => {
    setStatus('Input is coming faster than the session takes it; some was not sent.', 'open');
  });
  const channel = await connect(term, page, stop.signal);
  if (channel === undefined) {
    input.stop();
    return;
  }
  input.attach(channel);

  let live = true;
  const onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (live) event.preventDefault();
  };
  const onPageHide = (): void => {
    if (live) reportEnd(page.pageKey, { reason: 'page_closed' });
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  window.addEventListener('pagehide', onPageHide);
  const output = pumpOutput(channel, term, () => {
    if (statusLine.dataset.state === 'reconnecting') setStatus('Reconnected.', 'open');
  }).catch(() => undefined);
  const info = await channel.closed;
  await output;
  live = false;
  input.stop();
  window.removeEventListener('beforeunload', onBeforeUnload);
  term.options.disableStdin = true;
  const end =
    info.reason === 'aborted' && stop.signal.aborted
      ? { text: STOPPED, state: 'ended' as const }
      : describeEnd(info);
  setStatus(`${end.text} You can close this page.`, end.state);
  term.write(`\r\n\x1b[${end.state === 'failed' ? '31' : '1'}m[${plain(end.text)}]\x1b[0m\r\n`);
  if ('report' in end) reportEnd(page.pageKey, end.report);
}

void main();
