/**
 * A minimal WebSocket client over node:http/https (text messages, ping/pong, close), enough for
 * Werk24's Techread protocol. Errors are Werk24TransportError so the provider can classify them.
 */
import http from 'node:http';
import https from 'node:https';
import { Socket } from 'node:net';
import {
  acceptKey,
  encodeFrame,
  FrameDecoder,
  MAX_MESSAGE_BYTES,
  newClientKey,
  OPCODES,
} from './websocket-frames';
import { Werk24TransportError } from './werk24-transport-error';

export class MiniWebSocket {
  private readonly decoder = new FrameDecoder();
  private readonly queue: string[] = [];
  private waiters: { resolve: (value: string | null) => void; reject: (error: Error) => void }[] =
    [];
  private fragments: Buffer[] = [];
  private closed = false;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) =>
      this.fail(new Werk24TransportError('network', `WebSocket error: ${error.message}`)),
    );
    socket.on('close', () => this.finish());
    if (head.length > 0) this.onData(head);
  }

  /** Opens ws:// or wss://; rejects with the HTTP status when the server refuses the upgrade. */
  static connect(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<MiniWebSocket> {
    const secure = url.protocol === 'wss:';
    const key = newClientKey();
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        hostname: url.hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: {
          ...headers,
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': key,
          'Sec-WebSocket-Version': '13',
        },
        signal,
      });
      request.on('upgrade', (response, socket, head) => {
        if (response.headers['sec-websocket-accept'] !== acceptKey(key)) {
          socket.destroy();
          reject(
            new Werk24TransportError(
              'protocol',
              'WebSocket handshake answered with a wrong accept key',
            ),
          );
          return;
        }
        resolve(new MiniWebSocket(socket, head));
      });
      request.on('response', (response) => {
        response.resume();
        reject(
          new Werk24TransportError(
            'http',
            `WebSocket upgrade refused with HTTP ${response.statusCode}`,
            response.statusCode,
          ),
        );
      });
      request.on('error', (error) =>
        reject(
          signal.aborted
            ? abortReason(signal)
            : new Werk24TransportError('network', `Cannot reach Werk24: ${error.message}`),
        ),
      );
      request.end();
    });
  }

  send(text: string): void {
    if (this.closed) throw new Werk24TransportError('network', 'WebSocket is closed');
    this.socket.write(encodeFrame(OPCODES.text, Buffer.from(text, 'utf8'), true));
  }

  /** The next text message, or null once the server closed the connection. */
  next(signal: AbortSignal): Promise<string | null> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as string);
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(abortReason(signal));
      };
      const done = (value: string | null) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push({
        resolve: done,
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
    });
  }

  close(): void {
    if (!this.closed && !this.socket.destroyed) {
      try {
        this.socket.write(encodeFrame(OPCODES.close, Buffer.alloc(0), true));
      } catch {
        // The socket is going away anyway.
      }
    }
    this.closed = true;
    this.socket.destroy();
    this.finish();
  }

  private onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail(new Werk24TransportError('protocol', (error as Error).message));
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.opcode === OPCODES.ping)
        this.socket.write(encodeFrame(OPCODES.pong, frame.payload, true));
      else if (frame.opcode === OPCODES.close) this.close();
      else if (
        frame.opcode === OPCODES.text ||
        frame.opcode === OPCODES.continuation ||
        frame.opcode === OPCODES.binary
      ) {
        this.fragments.push(frame.payload);
        if (this.fragments.reduce((n, b) => n + b.length, 0) > MAX_MESSAGE_BYTES) {
          this.fail(new Werk24TransportError('protocol', 'WebSocket message too large'));
          this.socket.destroy();
          return;
        }
        if (frame.fin) {
          this.deliver(Buffer.concat(this.fragments).toString('utf8'));
          this.fragments = [];
        }
      }
    }
  }

  private deliver(text: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(text);
    else this.queue.push(text);
  }

  private fail(error: Error): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private finish(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(null);
  }
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Werk24TransportError('aborted', 'Request aborted');
}
