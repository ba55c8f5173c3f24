/**
 * The webhook sender against real HTTP servers on loopback: signed POST, 2xx only, no redirects,
 * bounded response reading, a hard timeout, the per-host concurrency limit, and the SSRF check in
 * the socket's own lookup (a name that resolves to a private address at delivery is refused).
 */
import { LookupAddress } from 'node:dns';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/events';
import { WebhookAddressPolicy } from '../../src/events/webhook-address-policy';
import { WebhookSender } from '../../src/events/webhook-sender';
import { newWebhookSecret } from '../../src/events/webhook-signature';
import { WebhookReceiver } from '../support/webhook-receiver';

const secret = newWebhookSecret();
const body = JSON.stringify({ id: 'evt_1', type: 'job.completed' });

function sender(
  opts: { timeoutMs?: number; hostConcurrency?: number } = {},
  names: Record<string, string[]> = {},
) {
  const policy = new WebhookAddressPolicy({ allowHttp: true, allowedAddresses: ['127.0.0.1'] }, ((
    host: string,
    _o: unknown,
    cb: (e: Error | null, a: LookupAddress[]) => void,
  ) =>
    cb(
      null,
      (names[host] ?? ['127.0.0.1']).map((address) => ({ address, family: 4 })),
    )) as never);
  return new WebhookSender(policy, {
    timeoutMs: opts.timeoutMs ?? 2000,
    hostConcurrency: opts.hostConcurrency ?? 4,
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe(WebhookSender.name, () => {
  const receivers: WebhookReceiver[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });
  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };

  it('posts the signed body and counts only 2xx as delivered', async () => {
    const r = await receiver();
    await expect(sender().send(r.url(), secret, 'evt_1', body)).resolves.toEqual({
      delivered: true,
      statusCode: 200,
    });
    expect(verifyWebhook(secret, r.received[0].headers, r.received[0].body)).toEqual(
      JSON.parse(body),
    );
    r.answer = () => ({ status: 500 });
    await expect(sender().send(r.url(), secret, 'evt_1', body)).resolves.toEqual({
      delivered: false,
      statusCode: 500,
      error: 'receiver answered 500',
    });
  });

  it('does not follow redirects', async () => {
    const target = await receiver();
    const r = await receiver();
    r.answer = () => ({ status: 307, headers: { location: target.url('/elsewhere') } });
    const result = await sender().send(r.url(), secret, 'evt_1', body);
    expect(result).toMatchObject({ delivered: false, statusCode: 307 });
    expect(result.error).toMatch(/redirect .* refused/);
    expect(target.received).toEqual([]);
  });

  it('reads at most 4 KB of the answer and gives up after the timeout', async () => {
    let written = 0;
    const endless = createServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024, 97);
      const timer = setInterval(() => {
        written += chunk.length;
        if (!res.write(chunk) || res.destroyed) clearInterval(timer);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    servers.push(endless);
    const port = await listen(endless);
    const started = Date.now();
    await expect(
      sender({ timeoutMs: 5000 }).send(`http://127.0.0.1:${port}/`, secret, 'evt_1', body),
    ).resolves.toEqual({ delivered: true, statusCode: 200 });
    expect(Date.now() - started).toBeLessThan(2000);

    const silent = createServer(() => undefined); // never answers
    servers.push(silent);
    const silentPort = await listen(silent);
    const t0 = Date.now();
    await expect(
      sender({ timeoutMs: 300 }).send(`http://127.0.0.1:${silentPort}/`, secret, 'evt_1', body),
    ).resolves.toEqual({ delivered: false, statusCode: null, error: 'no answer within 300 ms' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(written).toBeGreaterThan(0);
  });

  it('refuses at delivery a name that now resolves to a private or metadata address', async () => {
    const r = await receiver();
    const names: Record<string, string[]> = { 'hooks.test': ['127.0.0.1'] };
    const s = sender({}, names);
    const url = `http://hooks.test:${r.port}/hook`;
    await expect(s.send(url, secret, 'evt_1', body)).resolves.toMatchObject({ delivered: true });
    names['hooks.test'] = ['169.254.169.254'];
    const refused = await s.send(url, secret, 'evt_2', body);
    expect(refused).toMatchObject({ delivered: false, statusCode: null });
    expect(refused.error).toMatch(/169\.254\.169\.254/);
    names['hooks.test'] = ['10.0.0.8'];
    await expect(s.send(url, secret, 'evt_3', body)).resolves.toMatchObject({ delivered: false });
    expect(r.received).toHaveLength(1);
    // A literal private address is refused without a lookup.
    await expect(s.send('http://192.168.4.4/', secret, 'evt_4', body)).resolves.toMatchObject({
      delivered: false,
      error: expect.stringMatching(/private/),
    });
  });

  it('keeps at most hostConcurrency requests in flight per host', async () => {
    let active = 0;
    let peak = 0;
    const slow = createServer((_req, res) => {
      active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active -= 1;
        res.end('ok');
      }, 100);
    });
    servers.push(slow);
    const port = await listen(slow);
    const fast = await receiver();
    const s = sender({ hostConcurrency: 2 });
    const slowOnes = Array.from({ length: 6 }, (_, i) =>
      s.send(`http://127.0.0.1:${port}/`, secret, `evt_${i}`, body),
    );
    // Another host is not held up by the slow one's queue.
    const t0 = Date.now();
    await expect(s.send(fast.url(), secret, 'evt_fast', body)).resolves.toMatchObject({
      delivered: true,
    });
    expect(Date.now() - t0).toBeLessThan(250);
    const results = await Promise.all(slowOnes);
    expect(results.every((res) => res.delivered)).toBe(true);
    expect(peak).toBe(2);
  });
});
