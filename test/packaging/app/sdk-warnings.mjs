// The AWS SDK warnings the READMEs explain, with the way they give to turn each off from the application.
// `node sdk-warnings.mjs node-version [silenced]`: a client is made (on Node < 22 the SDK warns that its
// releases after early January 2027 need Node 22). `node sdk-warnings.mjs credentials [silenced]`: a call
// made while AWS_PROFILE and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are both set.
import { GameLiftStreamsClient, GetStreamSessionCommand } from '@aws-sdk/client-gameliftstreams';
import { startGameLiftStreamsEmulator } from 'gamelift-admin-shell/testing';

const [warning, silenced] = process.argv.slice(2);
if (warning === 'node-version') {
  if (silenced === 'silenced') process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  new GameLiftStreamsClient({ region: 'us-west-2' }).destroy();
} else if (warning === 'credentials') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const emulator = await startGameLiftStreamsEmulator();
  const warnings = [];
  const client = new GameLiftStreamsClient({
    region: emulator.region,
    endpoint: emulator.endpoint,
    ...(silenced === 'silenced'
      ? { logger: { debug() {}, info() {}, warn: (...args) => warnings.push(args.join(' ')), error() {} } }
      : {}),
  });
  try {
    await client.send(
      new GetStreamSessionCommand({
        Identifier: emulator.streamGroupId,
        StreamSessionIdentifier: emulator.streamSessionId,
      }),
    );
  } finally {
    client.destroy();
    await emulator.close();
  }
  process.stdout.write(
    `logger.warn got ${warnings.length} warning(s): ${warnings.join(' ').slice(0, 200)}\n`,
  );
} else {
  throw new Error(`unknown warning ${warning}`);
}
