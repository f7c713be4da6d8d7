import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestAdminShellAccess } from '../src/access-request.js';
import { AdminShellError, commandLineMessage } from '../src/errors.js';
import { checkIdentifiers } from '../src/identifiers.js';
import { type ClientSettings, createGameLiftStreamsClient } from '../src/sdk-client.js';
import { mapServiceError } from '../src/service-errors.js';
import { type GameLiftStreamsEmulator, startGameLiftStreamsEmulator } from '../src/testing/index.js';

// A clean environment: static credentials in the environment, no shared files, no instance metadata.
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDPROFILETEST00001',
  AWS_SECRET_ACCESS_KEY: 'profile-test-secret-key-000000000000000',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: undefined,
} as const;
const saved = Object.fromEntries(Object.keys(ENV).map((key) => [key, process.env[key]]));

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

let em: GameLiftStreamsEmulator;
beforeAll(async () => {
  em = await startGameLiftStreamsEmulator();
});
afterAll(async () => {
  await em.close();
});
afterEach(() => setEnv(saved));

async function credentialsError(settings: ClientSettings): Promise<AdminShellError> {
  const client = createGameLiftStreamsClient({ region: em.region, endpoint: em.endpoint, ...settings });
  try {
    const error = await requestAdminShellAccess(
      client,
      checkIdentifiers(em.streamGroupId, em.streamSessionId),
      {
        callTimeoutMs: 5_000,
      },
    ).then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdminShellError);
    expect((error as AdminShellError).code).toBe('CREDENTIALS_MISSING');
    return error as AdminShellError;
  } finally {
    client.destroy();
  }
}

describe('missing credentials with a named profile', () => {
  it('profile "nope" with keys in the environment: names the profile, not the environment variables', async () => {
    setEnv(ENV);
    const error = await credentialsError({ profile: 'nope' });
    expect(error.message).toContain(
      'No AWS credentials were found for profile "nope" (from the profile option',
    );
    expect(error.message).toContain('shared config and credentials files');
    expect(error.message).toContain('aws configure --profile nope');
    expect(error.message).not.toContain('Set AWS_ACCESS_KEY_ID');
    expect(em.calls).toHaveLength(0);
  });

  it('AWS_PROFILE=nope: says the profile came from AWS_PROFILE', async () => {
    setEnv({ ...ENV, AWS_PROFILE: 'nope' });
    const error = await credentialsError({});
    expect(error.message).toContain('profile "nope" (from AWS_PROFILE)');
    expect(error.message).not.toContain('Set AWS_ACCESS_KEY_ID');
  });

  it("no profile and no keys: the general advice, naming the library's option, or the command's flag", async () => {
    setEnv({ ...ENV, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const error = await credentialsError({});
    expect(error.message).toContain('No AWS credentials were found. Set AWS_ACCESS_KEY_ID');
    expect(error.message).toContain('choose a configured profile (the profile option), or run');
    expect(error.message).not.toContain('--profile');
    expect(commandLineMessage(error)).toContain('choose a configured profile (--profile), or run');
    expect(commandLineMessage(error)).not.toContain('option');
  });

  it('a profile name that is not safe to paste into a shell is not put in the suggested command', () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const mapped = mapServiceError(noCreds, {
      operation: 'CreateStreamSessionAdminShell',
      streamGroup: 'sg-1',
      streamSession: 'S1',
      profile: { name: 'x; rm -rf ~\u001b[2J', from: 'option' },
    });
    expect(mapped.code).toBe('CREDENTIALS_MISSING');
    expect(mapped.message).toContain('aws configure --profile <name>');
    expect(mapped.message).not.toContain('\u001b');
    expect(mapped.cause).toBe(noCreds);
  });
});
