import { afterEach, beforeEach, expect } from 'vitest';
import {
  type AgentEmulator,
  type AgentEmulatorOptions,
  startAgentEmulator,
} from '../../src/testing/index.js';
import { leakedSince, watchedResources } from '../transport/helpers.js';
import { MiniClient } from './mini-client.js';

/** The emulator and MiniClients of the running test; everything is closed after it. */
export interface EmulatorTestbed {
  /** The emulator {@link start} started in this test (throws when none). */
  readonly emulator: AgentEmulator;
  /** Starts this test's emulator. */
  start(options?: AgentEmulatorOptions): Promise<AgentEmulator>;
  /** A MiniClient connected to `url` with `token`. */
  client(url: string, token: string): Promise<MiniClient>;
  /** A MiniClient connected to `target` with its token. */
  connect(target: AgentEmulator): Promise<MiniClient>;
  /** Closes `client` after the test too. */
  track(client: MiniClient): MiniClient;
}

/**
 * Registers the hooks of an emulator test file: after each test its clients and emulator are closed and no
 * socket, server or timer may be left over.
 */
export function useEmulatorTestbed(): EmulatorTestbed {
  let before: Map<string, number>;
  let current: AgentEmulator | undefined;
  const clients: MiniClient[] = [];

  beforeEach(() => {
    before = watchedResources();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await current?.close();
    current = undefined;
    expect(await leakedSince(before)).toEqual([]);
  });

  const bed: EmulatorTestbed = {
    get emulator(): AgentEmulator {
      if (current === undefined) throw new Error('no emulator started in this test');
      return current;
    },
    start: async (options) => {
      current = await startAgentEmulator(options);
      return current;
    },
    client: (url, token) => bed.track(new MiniClient(url)).connect(token),
    connect: (target) => bed.client(target.url, target.tokenValue),
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
  return bed;
}
