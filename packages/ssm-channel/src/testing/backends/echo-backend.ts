import type { BackendHost, SessionBackend } from './backend.js';

/** `echo` mode: every input byte comes back as output; input is refused while the output window is full. */
export function createEchoBackend(host: BackendHost): SessionBackend {
  return {
    start() {},
    input(bytes) {
      if (!host.output(bytes)) host.pauseInput(true);
    },
    resize() {},
    writable() {
      host.pauseInput(false);
    },
    stop: () => Promise.resolve(),
  };
}
