/**
 * The AWS Systems Manager Session Manager data channel in TypeScript: the agent-message codec, the protocol
 * engine, `connectDataChannel()` (a Node `Duplex` over `ws`) and `connectWebDataChannel()` (web streams over
 * a WHATWG `WebSocket`). Bundlers targeting browsers get the same without the Node parts (`browser.ts`).
 * @module ssm-channel
 */
export * from './browser.js';
export { connectDataChannel } from './channel/connect-data-channel.js';
export { DataChannel, type SessionInfo } from './channel/data-channel.js';
