/**
 * Sends one signed webhook: POST of the event as JSON, connecting only to addresses the
 * WebhookAddressPolicy accepted, a hard timeout, no redirects followed, at most 4 KB of the
 * response read. 2xx is delivered; anything else (and every network error) is a failed attempt
 * with a reason. At most `hostConcurrency` requests per host are in flight from this process; the
 * others wait their turn here, so one slow receiver does not hold deliveries to other hosts.
 */
import { Agent as HttpAgent, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { webhookHeaders } from './webhook-signature';

export const MAX_RESPONSE_BYTES = 4096;

export interface SendResult {
  delivered: boolean;
  statusCode: number | null;
  /** Why it was not delivered. */
  error?: string;
}

class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    if ((this.active.get(host) ?? 0) >= this.limit) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(host) ?? [];
        queue.push(resolve);
        this.waiting.set(host, queue);
      });
    } else {
      this.active.set(host, (this.active.get(host) ?? 0) + 1);
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.get(host)?.shift();
      if (next)
        next(); // hands its slot over
      else {
        const n = (this.active.get(host) ?? 1) - 1;
        if (n === 0) this.active.delete(host);
        else this.active.set(host, n);
        if (this.waiting.get(host)?.length === 0) this.waiting.delete(host);
      }
    }
  }
}

export class WebhookSender {
  private readonly limiter: HostLimiter;
  // Connections are kept alive per host and port; each new one is opened through the policy's
  // lookup, so a reused connection goes to an address that was checked when it was opened.
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly policy: WebhookAddressPolicy,
    private readonly opts: { timeoutMs: number; hostConcurrency: number; userAgent?: string },
  ) {
    this.limiter = new HostLimiter(opts.hostConcurrency);
    const agent = {
      keepAlive: true,
      maxSockets: opts.hostConcurrency,
      maxFreeSockets: opts.hostConcurrency,
      lookup: policy.socketLookup,
    };
    this.httpAgent = new HttpAgent(agent);
    this.httpsAgent = new HttpsAgent(agent);
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async send(rawUrl: string, secret: string, id: string, body: string): Promise<SendResult> {
    let url: URL;
    try {
      url = this.policy.parse(rawUrl);
      await this.policy.check(url);
    } catch (error) {
      return { delivered: false, statusCode: null, error: (error as Error).message };
    }
    return this.limiter.run(url.host, () => this.post(url, secret, id, body));
  }

  private post(url: URL, secret: string, id: string, body: string): Promise<SendResult> {
    const https = url.protocol === 'https:';
    const request = https ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(
        url,
        {
          method: 'POST',
          lookup: this.policy.socketLookup,
          agent: https ? this.httpsAgent : this.httpAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': this.opts.userAgent ?? 'extraction-service-webhooks/1',
            ...webhookHeaders(secret, id, body),
          },
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read >= MAX_RESPONSE_BYTES) {
              res.destroy();
              finish(outcome(status, res));
            }
          });
          res.on('end', () => finish(outcome(status, res)));
          res.on('error', () => finish(outcome(status, res)));
          res.on('close', () => finish(outcome(status, res)));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish({
          delivered: false,
          statusCode: null,
          error: `no answer within ${this.opts.timeoutMs} ms`,
        });
      }, this.opts.timeoutMs);
      req.on('error', (error: Error) =>
        finish({ delivered: false, statusCode: null, error: error.message }),
      );
      req.end(body);
    });
  }
}

function outcome(status: number, res: IncomingMessage): SendResult {
  if (status >= 200 && status < 300) return { delivered: true, statusCode: status };
  if (status >= 300 && status < 400)
    return {
      delivered: false,
      statusCode: status,
      error: `redirect to ${String(res.headers.location ?? '(no location)')} refused: redirects are not followed`,
    };
  return { delivered: false, statusCode: status, error: `receiver answered ${status}` };
}
