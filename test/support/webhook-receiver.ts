/** An HTTP server on loopback that records webhook requests and answers as the test says. */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status (and optional headers) to answer a request with. */
  answer: (req: { path: string; body: string }) => {
    status: number;
    headers?: Record<string, string>;
  } = () => ({ status: 200 });
  private server: Server | null = null;
  port = 0;

  /** Listens on `port` (0 = any free one). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const { status, headers } = this.answer({ path, body });
        this.received.push({ path, headers: req.headers, body, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Events answered with 2xx, parsed. */
  delivered<T = Record<string, unknown>>(): T[] {
    return this.received
      .filter((r) => r.status >= 200 && r.status < 300)
      .map((r) => JSON.parse(r.body) as T);
  }
}
