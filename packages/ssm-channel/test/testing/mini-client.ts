import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type RawData, WebSocket } from 'ws';
import type { AgentMessage } from '../../src/codec/agent-message.js';
import { decodeAgentMessage } from '../../src/codec/agent-message-decode.js';
import { encodeAgentMessage } from '../../src/codec/agent-message-encode.js';
import { HeaderFlag, MessageType, PayloadType } from '../../src/codec/constants.js';
import { decodeAcknowledge, encodeAcknowledge } from '../../src/codec/payloads/acknowledge.js';
import { type ChannelClosed, decodeChannelClosed } from '../../src/codec/payloads/channel-closed.js';
import { encodeFlag } from '../../src/codec/payloads/flag.js';
import { decodeHandshakeRequest, type HandshakeRequest } from '../../src/codec/payloads/handshake-request.js';
import {
  encodeHandshakeResponse,
  type ProcessedClientAction,
} from '../../src/codec/payloads/handshake-response.js';
import { encodeOpenDataChannel } from '../../src/codec/payloads/open-data-channel.js';
import { encodeTerminalSize } from '../../src/codec/payloads/terminal-size.js';

/**
 * A deliberately small data channel client for the emulator tests, written straight on the codec: it acks
 * every output message (duplicates too), reorders by sequence number, and can resend its unacked input.
 * State (sequence numbers, buffers) survives `reconnect()`, like a real client's.
 */
export class MiniClient {
  ws!: WebSocket;
  readonly clientId = randomUUID();
  /** Every decoded message, in arrival order. */
  readonly received: AgentMessage[] = [];
  /** Stream messages in sequence order, each once. */
  readonly delivered: AgentMessage[] = [];
  /** Frames that did not decode. */
  readonly undecodable: unknown[] = [];
  readonly textFrames: string[] = [];
  readonly acksReceived: number[] = [];
  readonly publication: string[] = [];
  channelClosed: ChannelClosed | undefined;
  duplicates = 0;
  /** Whether output messages are acknowledged (off: a client that reads and never acks). */
  autoAck = true;
  closeEvent: Promise<{ code: number; reason: string }> = Promise.resolve({ code: 0, reason: '' });
  #expected = 0;
  #nextSeq = 0;
  readonly #reorder = new Map<number, AgentMessage>();
  readonly #unacked = new Map<number, Uint8Array>();
  #resendTimer: NodeJS.Timeout | undefined;

  constructor(readonly url: string) {}

  /** Opens a connection and sends the OpenDataChannel frame; resolves once it is sent. */
  async connect(tokenValue: string, url = this.url): Promise<this> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws = ws;
    this.closeEvent = once(ws, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }));
    ws.on('error', () => {});
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(data as Buffer, isBinary));
    await once(ws, 'open');
    ws.send(
      encodeOpenDataChannel({
        requestId: randomUUID(),
        tokenValue,
        clientId: this.clientId,
        clientVersion: '1.2.0.0',
      }),
    );
    return this;
  }

  /** Terminates the current socket and connects again with `tokenValue`; sequence state is kept. */
  async reconnect(tokenValue: string): Promise<this> {
    this.ws.terminate();
    await this.closeEvent;
    await this.connect(tokenValue);
    for (const frame of this.#unacked.values()) this.ws.send(frame);
    return this;
  }

  /** Resends every unacked input message every `intervalMs` (a crude retransmitter for fault tests). */
  startResending(intervalMs = 50): void {
    this.#resendTimer = setInterval(() => {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      for (const frame of this.#unacked.values()) this.ws.send(frame);
    }, intervalMs);
  }

  get unacked(): number {
    return this.#unacked.size;
  }

  sendStream(payloadType: number, payload: Uint8Array): number {
    const sequenceNumber = this.#nextSeq++;
    const frame = encodeAgentMessage({
      messageType: MessageType.InputStreamData,
      sequenceNumber,
      payloadType,
      payload,
    });
    this.#unacked.set(sequenceNumber, frame);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
    return sequenceNumber;
  }

  sendInput(bytes: Uint8Array | string): number {
    return this.sendStream(PayloadType.Output, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  }

  sendSize(cols: number, rows: number): number {
    return this.sendStream(PayloadType.Size, encodeTerminalSize({ cols, rows }));
  }

  sendFlag(flag: number): number {
    return this.sendStream(PayloadType.Flag, encodeFlag(flag));
  }

  /** Answers a HandshakeRequest, every action with `status` (1 = Success). */
  answerHandshake(request: HandshakeRequest, status = 1): number {
    const actions: ProcessedClientAction[] = request.requestedClientActions.map((action) => ({
      actionType: action.actionType,
      actionStatus: status,
      actionResult: null,
      error: status === 1 ? '' : 'refused by the test client',
    }));
    return this.sendStream(
      PayloadType.HandshakeResponse,
      encodeHandshakeResponse({
        clientVersion: '1.2.0.0',
        processedClientActions: actions,
        errors: status === 1 ? null : ['refused'],
      }),
    );
  }

  /** The concatenated payloads of delivered messages of `payloadType` (default: Output). */
  output(payloadType: number = PayloadType.Output): Buffer {
    return Buffer.concat(this.delivered.filter((m) => m.payloadType === payloadType).map((m) => m.payload));
  }

  handshakeRequest(): HandshakeRequest | undefined {
    const message = this.delivered.find((m) => m.payloadType === PayloadType.HandshakeRequest);
    return message && decodeHandshakeRequest(message.payload);
  }

  async waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('MiniClient: condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#resendTimer);
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.terminate();
      await this.closeEvent;
    }
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.textFrames.push(data.toString());
      return;
    }
    let message: AgentMessage;
    try {
      const decoded = decodeAgentMessage(data);
      message = { ...decoded, payload: decoded.payload.slice() };
    } catch (error) {
      this.undecodable.push(error);
      return;
    }
    this.received.push(message);
    switch (message.messageType) {
      case MessageType.OutputStreamData:
        if (this.autoAck) this.#ack(message);
        this.#onStream(message);
        return;
      case MessageType.Acknowledge: {
        const seq = decodeAcknowledge(message.payload).acknowledgedMessageSequenceNumber;
        this.acksReceived.push(seq);
        this.#unacked.delete(seq);
        return;
      }
      case MessageType.ChannelClosed:
        this.channelClosed = decodeChannelClosed(message.payload);
        return;
      case MessageType.PausePublication:
      case MessageType.StartPublication:
        this.publication.push(message.messageType);
        return;
      default:
        return;
    }
  }

  #onStream(message: AgentMessage): void {
    if (message.sequenceNumber < this.#expected || this.#reorder.has(message.sequenceNumber)) {
      this.duplicates += 1;
      return;
    }
    this.#reorder.set(message.sequenceNumber, message);
    for (
      let next = this.#reorder.get(this.#expected);
      next !== undefined;
      next = this.#reorder.get(this.#expected)
    ) {
      this.#reorder.delete(this.#expected);
      this.delivered.push(next);
      this.#expected += 1;
    }
  }

  #ack(message: AgentMessage): void {
    this.ws.send(
      encodeAgentMessage({
        messageType: MessageType.Acknowledge,
        sequenceNumber: 0,
        flags: HeaderFlag.Ack,
        payloadType: PayloadType.Undefined,
        payload: encodeAcknowledge({
          acknowledgedMessageType: message.messageType,
          acknowledgedMessageId: message.messageId,
          acknowledgedMessageSequenceNumber: message.sequenceNumber,
        }),
      }),
    );
  }
}
