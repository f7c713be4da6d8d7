// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell code, whose ${…} are shell expansions.
import type { AgentEmulator, EmulatedSession, EmulatorShellOptions } from 'ssm-channel/testing';
import type { EmulatedRuntime, EmulatedSessionStatus } from './emulator-types.js';

/**
 * A stand-in for a Windows stream session's admin shell: a program in the pseudo-terminal that prints the
 * PowerShell banner and prompt and answers every line the way PowerShell answers an unknown command (which
 * is what the POSIX lines `--command` sends are to it). `exit` ends it.
 */
const POWERSHELL_SCRIPT = [
  "printf 'Windows PowerShell\\r\\nCopyright (C) Microsoft Corporation. All rights reserved.\\r\\n\\r\\n'",
  "printf 'Install the latest PowerShell for new features and improvements! https://aka.ms/PSWindows\\r\\n\\r\\n'",
  'while :; do',
  "  printf 'PS C:\\\\Windows\\\\system32> '",
  '  IFS= read -r line || exit 0',
  '  word=${line%% *}',
  '  [ "$word" = exit ] && exit 0',
  '  [ -z "$line" ] && continue',
  `  printf "%s : The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program.\\r\\n" "$word" "$word"`,
  'done',
].join('\n');

/** The shell options that make an agent session look like a Windows stream session's admin shell. */
export const POWERSHELL_SHELL: EmulatorShellOptions = { file: '/bin/sh', args: ['-c', POWERSHELL_SCRIPT] };

/** One stream session of the emulated stream group, and the terminal session its admin shell hands out. */
export class EmulatedStreamSession {
  readonly id: string;
  readonly arn: string;
  readonly runtime: EmulatedRuntime;
  readonly createdAt: number;
  status: EmulatedSessionStatus;
  statusReason: string | undefined;
  lastUpdatedAt: number;
  #current: Promise<EmulatedSession> | undefined;
  #currentEnded = false;
  readonly #agent: () => Promise<AgentEmulator>;
  readonly #usesFirst: boolean;

  /**
   * @param usesFirst the agent emulator's own first session is this stream session's first terminal session.
   */
  constructor(fields: {
    id: string;
    arn: string;
    runtime: EmulatedRuntime;
    status: EmulatedSessionStatus;
    createdAt: number;
    agent: () => Promise<AgentEmulator>;
    usesFirst: boolean;
  }) {
    this.id = fields.id;
    this.arn = fields.arn;
    this.runtime = fields.runtime;
    this.status = fields.status;
    this.statusReason = undefined;
    this.createdAt = fields.createdAt;
    this.lastUpdatedAt = fields.createdAt;
    this.#agent = fields.agent;
    this.#usesFirst = fields.usesFirst;
  }

  /**
   * The terminal session CreateStreamSessionAdminShell hands out now; once its shell has ended, a new one (a
   * new SessionId), as the service would.
   */
  terminalSession(): Promise<EmulatedSession> {
    if (this.#current === undefined) {
      this.#current = this.#track(this.#usesFirst ? this.#agent().then((a) => a.session) : this.#create());
    } else if (this.#currentEnded) {
      this.#current = this.#track(this.#create());
    }
    return this.#current;
  }

  /** Starts a new terminal session that later calls hand out; the previous one keeps running. */
  async replaceTerminalSession(): Promise<void> {
    const next = this.#track(this.#create());
    this.#current = next;
    await next;
  }

  #create(): Promise<EmulatedSession> {
    return this.#agent().then((a) =>
      a.createSession(this.runtime === 'windows' ? { shell: POWERSHELL_SHELL } : {}),
    );
  }

  #track(session: Promise<EmulatedSession>): Promise<EmulatedSession> {
    this.#currentEnded = false;
    session.then(
      (s) =>
        s.ended.then(() => {
          if (this.#current === session) this.#currentEnded = true;
        }),
      () => undefined,
    );
    return session;
  }
}
