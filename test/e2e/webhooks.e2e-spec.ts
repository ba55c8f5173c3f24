/**
 * Webhooks end to end (issue 15 §3): subscriptions through the API, deliveries from the worker
 * process to receivers on loopback, Standard Webhooks signatures, retries until the receiver is
 * back, SSRF refusals, owner scoping, callback_url, and every response against the OpenAPI document.
 */
import { verifyWebhook, WebhookVerificationError } from '../../src/events';
import { contractProblems } from '../support/openapi-contract';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';
import { SAMPLE_DXF } from '../support/sample-files';
import { WebhookReceiver } from '../support/webhook-receiver';

const API = '/api/v1/extraction';
const dxf = Buffer.from(SAMPLE_DXF);

interface DeliveredEvent {
  id: string;
  type: string;
  job_id: string;
  owner_id: string;
  occurred_at: string;
  job: Record<string, unknown>;
}

describe('webhooks (e2e)', () => {
  let h: E2eHarness;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    h = await createE2eHarness('local', {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      EVENTS_POLL_MS: '50',
      EVENT_RETRY_BASE_SECONDS: '0.2',
      EVENT_RETRY_CAP_SECONDS: '1',
      WEBHOOK_TIMEOUT_MS: '3000',
    });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await h.close();
  });

  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };
  const auth = (user: string) => `Bearer ${h.token(user)}`;
  const subscribe = (user: string, body: Record<string, unknown>) =>
    h.http().post(`${API}/webhooks`).set('Authorization', auth(user)).send(body);
  const upload = (user: string, extra: Record<string, string> = {}) => {
    const req = h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth(user))
      .attach('file', dxf, 'part.dxf')
      .field('format', 'dxf');
    for (const [k, v] of Object.entries(extra)) req.field(k, v);
    return req;
  };

  it('signs deliveries as Standard Webhooks does; the helper verifies them and refuses changes', async () => {
    const r = await receiver();
    const created = await subscribe('wh-alice', { url: r.url(), event_types: ['job.completed'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: r.url(),
      event_types: ['job.completed'],
      enabled: true,
      disabled_reason: null,
    });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown once: not in the list nor in GET.
    const list = await h.http().get(`${API}/webhooks`).set('Authorization', auth('wh-alice'));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].secret).toBeUndefined();

    const job = await upload('wh-alice');
    expect(job.status).toBe(202);
    await eventually('the job.completed webhook', async () => r.received.length > 0);
    const [message] = r.received;
    const event = verifyWebhook<DeliveredEvent>(secret, message.headers, message.body);
    expect(event).toMatchObject({
      type: 'job.completed',
      job_id: job.body.id,
      owner_id: 'wh-alice',
      job: {
        id: job.body.id,
        status: 'completed',
        result: null,
        result_url: `${API}/jobs/${job.body.id}/result`,
      },
    });
    expect(message.headers['webhook-id']).toBe(event.id);
    expect(message.headers['content-type']).toBe('application/json');
    expect(() =>
      verifyWebhook(secret, message.headers, message.body.replace('completed', 'failed')),
    ).toThrow(WebhookVerificationError);
    expect(() =>
      verifyWebhook(secret, message.headers, message.body, {
        now: new Date(Date.now() + 10 * 60_000),
      }),
    ).toThrow(/timestamp/);
    expect(() =>
      verifyWebhook(
        `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
        message.headers,
        message.body,
      ),
    ).toThrow(/signature/);

    // The delivery log shows it delivered with its response code.
    const log = await h
      .http()
      .get(`${API}/webhooks/${created.body.id}/deliveries`)
      .set('Authorization', auth('wh-alice'));
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({ total: 1, page: 1, page_size: 20 });
    expect(log.body.items[0]).toMatchObject({
      event_id: event.id,
      event_type: 'job.completed',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      next_attempt_at: null,
    });

    // A rotated secret signs the next deliveries; the old one no longer verifies them.
    const rotated = await h
      .http()
      .post(`${API}/webhooks/${created.body.id}/rotate-secret`)
      .set('Authorization', auth('wh-alice'));
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    await upload('wh-alice');
    await eventually('the second webhook', async () => r.received.length > 1);
    const second = r.received[1];
    expect(() =>
      verifyWebhook(rotated.body.secret as string, second.headers, second.body),
    ).not.toThrow();
    expect(() => verifyWebhook(secret, second.headers, second.body)).toThrow(/signature/);
  });

  it('delivers every event exactly once per id to a receiver that was down for a while', async () => {
    const r = new WebhookReceiver();
    await r.start();
    const port = r.port;
    await r.stop(); // down: connections are refused
    const created = await subscribe('wh-bob', { url: r.url() });
    expect(created.status).toBe(201);
    const jobs = await Promise.all([upload('wh-bob'), upload('wh-bob'), upload('wh-bob')]);
    // Let some attempts fail.
    await eventually('failed attempts', async () => {
      const log = await h
        .http()
        .get(`${API}/webhooks/${created.body.id}/deliveries`)
        .set('Authorization', auth('wh-bob'));
      return (
        log.body.total === 3 &&
        (log.body.items as Array<{ attempts: number; last_error: string | null }>).every(
          (d) => d.attempts >= 1 && d.last_error !== null,
        )
      );
    });
    // Up again, answering 503 once more for every event before the 200.
    const seen = new Set<string>();
    r.answer = ({ body }) => {
      const id = (JSON.parse(body) as { id: string }).id;
      if (seen.has(id)) return { status: 200 };
      seen.add(id);
      return { status: 503 };
    };
    receivers.push(await r.start(port));
    await eventually('three deliveries', async () => r.delivered().length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // no more after success
    const delivered = r.delivered<DeliveredEvent>();
    expect(delivered.map((e) => e.job_id).sort()).toEqual(jobs.map((j) => j.body.id).sort());
    expect(new Set(delivered.map((e) => e.id)).size).toBe(3);
    // Every message of an event carries the same id; only these three ids ever arrived.
    const ids = r.received.map((m) => m.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set(delivered.map((e) => e.id)));
    const log = await h
      .http()
      .get(`${API}/webhooks/${created.body.id}/deliveries?page_size=10`)
      .set('Authorization', auth('wh-bob'));
    for (const d of log.body.items as Array<Record<string, unknown>>) {
      expect(d).toMatchObject({ status: 'delivered', last_status_code: 200, last_error: null });
      expect(d.attempts as number).toBeGreaterThanOrEqual(3);
    }
  });

  it('refuses private, metadata and non-https targets on subscription, and redirects at delivery', async () => {
    for (const url of [
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00:ec2::254]/',
      'http://192.168.0.10:8080/x',
      'http://localhost.localdomain.invalid/x',
    ]) {
      const res = await subscribe('wh-carol', { url });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('WEBHOOK_URL_REFUSED');
    }
    const ftp = await subscribe('wh-carol', { url: 'ftp://example.com/x' });
    expect(ftp.body).toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    const invalid = await subscribe('wh-carol', { url: 'x', event_types: ['job.exploded'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');

    const target = await receiver();
    const redirecting = await receiver();
    redirecting.answer = () => ({ status: 302, headers: { location: target.url('/stolen') } });
    const created = await subscribe('wh-carol', { url: redirecting.url() });
    expect(created.status).toBe(201);
    await upload('wh-carol');
    await eventually('a refused redirect', async () => {
      const log = await h
        .http()
        .get(`${API}/webhooks/${created.body.id}/deliveries`)
        .set('Authorization', auth('wh-carol'));
      const d = (log.body.items as Array<Record<string, unknown>>)[0];
      return d?.last_status_code === 302 && /redirect/.test(String(d.last_error)) && d;
    });
    expect(target.received).toEqual([]);
  });

  it("answers 404 for another user's subscriptions and deliveries", async () => {
    const r = await receiver();
    const mine = await subscribe('wh-dave', { url: r.url() });
    await upload('wh-dave');
    const log = await eventually('a delivery', async () => {
      const res = await h
        .http()
        .get(`${API}/webhooks/${mine.body.id}/deliveries`)
        .set('Authorization', auth('wh-dave'));
      return res.body.total > 0 && res.body;
    });
    const deliveryId = (log.items as Array<{ id: string }>)[0].id;
    const other = auth('wh-eve');
    const answers = await Promise.all([
      h.http().get(`${API}/webhooks/${mine.body.id}`).set('Authorization', other),
      h.http().delete(`${API}/webhooks/${mine.body.id}`).set('Authorization', other),
      h.http().post(`${API}/webhooks/${mine.body.id}/rotate-secret`).set('Authorization', other),
      h.http().get(`${API}/webhooks/${mine.body.id}/deliveries`).set('Authorization', other),
      h
        .http()
        .post(`${API}/webhooks/deliveries/${deliveryId}/redeliver`)
        .set('Authorization', other),
      h.http().get(`${API}/webhooks/not-a-uuid`).set('Authorization', other),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('WEBHOOK_NOT_FOUND');
    }
    const list = await h.http().get(`${API}/webhooks`).set('Authorization', other);
    expect(list.body).toEqual({ items: [] });
    // The owner can redeliver: the same event id arrives again.
    const before = r.received.length;
    const again = await h
      .http()
      .post(`${API}/webhooks/deliveries/${deliveryId}/redeliver`)
      .set('Authorization', auth('wh-dave'));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: deliveryId, status: 'pending' });
    await eventually('the redelivery', async () => r.received.length > before);
    expect(r.received[before].headers['webhook-id']).toBe(r.received[0].headers['webhook-id']);
    const gone = await h
      .http()
      .delete(`${API}/webhooks/${mine.body.id}`)
      .set('Authorization', auth('wh-dave'));
    expect(gone.status).toBe(204);
  });

  it('calls the callback_url of a job, signed with the callback secret', async () => {
    const r = await receiver();
    const refused = await upload('wh-frank', { callback_url: r.url('/cb') });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('CALLBACK_SECRET_MISSING');
    const privateTarget = await upload('wh-frank', { callback_url: 'http://10.0.0.1/cb' });
    expect(privateTarget.body.code).toBe('WEBHOOK_URL_REFUSED');
    const secret = await h
      .http()
      .post(`${API}/webhooks/callback-secret`)
      .set('Authorization', auth('wh-frank'));
    expect(secret.status).toBe(201);
    const job = await upload('wh-frank', { callback_url: r.url('/cb') });
    expect(job.status).toBe(202);
    await eventually('the callback', async () => r.received.length > 0);
    const event = verifyWebhook<DeliveredEvent>(
      secret.body.secret as string,
      r.received[0].headers,
      r.received[0].body,
    );
    expect(event).toMatchObject({ type: 'job.completed', job_id: job.body.id });
    expect(r.received[0].path).toBe('/cb');
  });

  // Last on purpose: checks every response the tests above received.
  it('answered every request as the OpenAPI document describes it', async () => {
    const document = (await h.http().get('/api/docs/openapi.json')).body as unknown;
    expect(contractProblems(document, h.responses)).toEqual([]);
  });
});
