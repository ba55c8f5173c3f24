/**
 * Werk24's Techread WebSocket as a stream of text messages, on `ws`. Errors are
 * Werk24TransportError so the provider can classify them.
 */
import WebSocket from 'ws';
import { Werk24TransportError } from './werk24-transport-error';

/** Werk24 answers are JSON, a few MB at most; anything larger is a protocol error. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

interface Waiter {
  resolve: (value: string | null) => void;
  reject: (error: Error) => void;
}

export class TextWebSocket {
  private readonly queue: string[] = [];
  private waiters: Waiter[] = [];
  private closed = false;
  private failure: Error | null = null;

  private constructor(private readonly socket: WebSocket) {
    // Werk24 sends text frames; a binary one would carry the same UTF-8 JSON.
    socket.on('message', (data) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.deliver(bytes.toString('utf8'));
    });
    socket.on('error', (error) => this.fail(transportError(error)));
    socket.on('close', () => this.finish());
  }

  /** Opens ws:// or wss://; rejects with the HTTP status when the server refuses the upgrade. */
  static connect(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<TextWebSocket> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortReason(signal));
      const socket = new WebSocket(url, {
        headers,
        maxPayload: MAX_MESSAGE_BYTES,
        followRedirects: false,
      });
      const onAbort = () => {
        socket.terminate();
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners('open');
        socket.removeAllListeners('unexpected-response');
      };
      socket.once('open', () => {
        settle();
        socket.removeAllListeners('error');
        resolve(new TextWebSocket(socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        settle();
        response.resume();
        socket.on('error', () => undefined); // terminate() below reports the abort as an error
        socket.terminate();
        reject(
          new Werk24TransportError(
            'http',
            `WebSocket upgrade refused with HTTP ${response.statusCode}`,
            response.statusCode,
          ),
        );
      });
      socket.once('error', (error) => {
        settle();
        reject(
          signal.aborted
            ? abortReason(signal)
            : new Werk24TransportError('network', `Cannot reach Werk24: ${error.message}`),
        );
      });
    });
  }

  send(text: string): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN)
      throw new Werk24TransportError('network', 'WebSocket is closed');
    this.socket.send(text);
  }

  /** The next text message, or null once the server closed the connection. */
  next(signal: AbortSignal): Promise<string | null> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as string);
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  close(): void {
    if (!this.closed) this.socket.close();
    this.closed = true;
    this.finish();
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

function transportError(error: Error): Werk24TransportError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
    return new Werk24TransportError('protocol', 'WebSocket message too large');
  if (code?.startsWith('WS_ERR_')) return new Werk24TransportError('protocol', error.message);
  return new Werk24TransportError('network', `WebSocket error: ${error.message}`);
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Werk24TransportError('aborted', 'Request aborted');
}
