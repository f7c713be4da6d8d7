// CommonJS: require() of these ESM-only packages, which Node allows from 20.19 and 22.12 on.
const assert = require('node:assert/strict');
const adminShell = require('gamelift-admin-shell');
const adminShellTesting = require('gamelift-admin-shell/testing');
const ssmChannel = require('ssm-channel');
const ssmChannelTesting = require('ssm-channel/testing');

assert.equal(typeof adminShell.openAdminShell, 'function');
assert.equal(typeof adminShellTesting.startGameLiftStreamsEmulator, 'function');
assert.equal(typeof ssmChannel.connectDataChannel, 'function');
assert.equal(typeof ssmChannelTesting.startAgentEmulator, 'function');
const version = require('gamelift-admin-shell/package.json').version;
process.stdout.write(`required gamelift-admin-shell ${version} and ssm-channel\n`);
