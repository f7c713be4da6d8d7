/**
 * Between the data channel's web streams and xterm.js: output into the terminal with backpressure, keys and
 * pastes into the channel, the size of the terminal to the remote side, and the clipboard keys.
 */
import type { Terminal } from '@xterm/xterm';
import type { WebDataChannel } from 'ssm-channel';

/** Output written to xterm.js and not yet parsed by it, past which the page waits before reading more. */
const XTERM_PENDING_BYTES = 256 * 1024;
/** Input not yet taken by the channel, past which keys and pastes are refused (a paste of megabytes). */
const INPUT_PENDING_BYTES = 4 * 1024 * 1024;

/**
 * Writes the channel's output into the terminal until it ends. Waits for xterm.js to parse what it has
 * once more than {@link XTERM_PENDING_BYTES} wait, so that a fast remote side is held by the channel's own
 * bounds instead of piling up in the terminal.
 */
export async function pumpOutput(
  channel: WebDataChannel,
  term: Terminal,
  onOutput: () => void,
): Promise<void> {
  const reader = channel.readable.getReader();
  let pending = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onOutput();
    pending += value.length;
    if (pending < XTERM_PENDING_BYTES) {
      term.write(value);
      continue;
    }
    await new Promise<void>((resolve) => term.write(value, resolve));
    pending = 0;
  }
}

/** Keys and pastes on their way to the channel: {@link forwardInput}. */
export interface InputForwarding {
  /**
   * Sends what was typed so far to `channel`, and from then on every key, paste and size change. The
   * channel is told the terminal's size first: it may have changed while connecting.
   */
  attach(channel: WebDataChannel): void;
  /** Stops listening to the terminal. */
  stop(): void;
}

/**
 * Takes keys and pastes from the terminal at once, before there is a channel (what is typed while connecting
 * is sent once it opens, as a terminal's typeahead), and the terminal's size whenever it changes once
 * attached. `onRefused` is told when input comes faster than the channel takes it.
 */
export function forwardInput(term: Terminal, onRefused: () => void): InputForwarding {
  const encoder = new TextEncoder();
  let writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  let channel: WebDataChannel | undefined;
  /** Typed before the channel opened. */
  const early: Uint8Array[] = [];
  let inFlight = 0;
  const write = (bytes: Uint8Array): void => {
    writer?.write(bytes).then(
      () => {
        inFlight -= bytes.length;
      },
      // The channel has ended: `closed` says how, and the page shows it.
      () => undefined,
    );
  };
  const send = (bytes: Uint8Array): void => {
    if (inFlight + bytes.length > INPUT_PENDING_BYTES) {
      onRefused();
      return;
    }
    inFlight += bytes.length;
    if (writer === undefined) early.push(bytes);
    else write(bytes);
  };
  const resize = (cols: number, rows: number): void => {
    try {
      channel?.resize(cols, rows);
    } catch {
      // A size the protocol cannot carry (0 columns while the page is collapsed): keep the last one.
    }
  };
  const data = term.onData((text) => send(encoder.encode(text)));
  // Mouse reports in X10 mode come as bytes (0x80-0xff), not as UTF-8 text.
  const binary = term.onBinary((text) => send(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)));
  const sizes = term.onResize(({ cols, rows }) => resize(cols, rows));
  return {
    attach(opened) {
      channel = opened;
      writer = opened.writable.getWriter();
      resize(term.cols, term.rows);
      for (const bytes of early.splice(0)) write(bytes);
    },
    stop() {
      data.dispose();
      binary.dispose();
      sizes.dispose();
      writer?.releaseLock();
    },
  };
}

/**
 * Ctrl+Shift+C copies the selection and Ctrl+Shift+V (or Shift+Insert) pastes, as in desktop terminals;
 * Ctrl+C stays the interrupt key. On macOS, Cmd+C and Cmd+V work as in any page.
 */
export function handleClipboardKeys(term: Terminal): void {
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    const key = event.key.toLowerCase();
    const copy = (event.ctrlKey && event.shiftKey && key === 'c') || (event.ctrlKey && key === 'insert');
    const paste = (event.ctrlKey && event.shiftKey && key === 'v') || (event.shiftKey && key === 'insert');
    if (copy) {
      const selection = term.getSelection();
      if (selection !== '') void navigator.clipboard.writeText(selection).catch(() => undefined);
      event.preventDefault();
      return false;
    }
    if (paste) {
      void navigator.clipboard
        .readText()
        .then((text) => term.paste(text))
        .catch(() => undefined);
      event.preventDefault();
      return false;
    }
    return true;
  });
}
