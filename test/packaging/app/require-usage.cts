// A CommonJS TypeScript file importing the ESM-only packages: allowed under `module: nodenext` (TypeScript
// 5.8+, for Node's require() of ESM); `module: node16` refuses it (TS1479).
import { openAdminShell } from 'gamelift-admin-shell';
import { connectDataChannel } from 'ssm-channel';

export const entries: readonly unknown[] = [openAdminShell, connectDataChannel];
