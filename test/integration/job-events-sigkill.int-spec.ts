/**
 * A worker SIGKILLed after the state changes, while their webhooks were still being retried, loses no
 * event: another worker relays and delivers each one, exactly once with a 2xx per event id.
 */
import { WebhookSubscriptionsRepository } from '../../src/events/webhook-subscriptions.repository';
import { newWebhookSecret } from '../../src/events/webhook-signature';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';
import { WebhookReceiver } from '../support/webhook-receiver';

describe('job events across a worker SIGKILL', () => {
  let h: PipelineHarness;
  let receiver: WebhookReceiver;

  afterEach(async () => {
    await receiver?.stop();
    await h?.close();
  });

  it('delivers every event after the worker that changed the jobs was killed before delivering them', async () => {
    receiver = await new WebhookReceiver().start();
    let answering = false;
    receiver.answer = () => ({ status: answering ? 200 : 503 });
    h = await createPipelineHarness({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      EVENTS_POLL_MS: '50',
      EVENT_RETRY_BASE_SECONDS: '0.3',
      EVENT_RETRY_CAP_SECONDS: '0.5',
      WEBHOOK_TIMEOUT_MS: '1000',
    });
    await new WebhookSubscriptionsRepository(h.db.dataSource).insert(
      'user-a',
      receiver.url(),
      ['job.completed', 'bulk.completed'],
      newWebhookSecret(),
      new Date(),
    );
    const first = await h.startWorker();
    const { parent } = await h.createBulk(Array.from({ length: 10 }, () => 'ok'));
    await h.waitFor('all events written and some attempts made', async () => {
      const [row] = await h.db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM extraction_events WHERE type <> 'bulk.progress') AS events,
                (SELECT count(*)::int FROM extraction_event_deliveries WHERE attempts > 0) AS tried`,
      );
      return row.events === 11 && row.tried > 0;
    });
    await first.stop('SIGKILL');
    const before = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_event_deliveries WHERE status = 'delivered'`,
    );
    expect(before[0].n).toBe(0);

    answering = true;
    await h.startWorker();
    const ids: Array<{ id: string }> = await h.db.dataSource.query(
      // bulk.progress is not among the subscription's types.
      `SELECT id FROM extraction_events WHERE type <> 'bulk.progress' ORDER BY seq`,
    );
    await h.waitFor(
      'every event delivered',
      async () => receiver.delivered().length >= ids.length,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const delivered = receiver.delivered<{ id: string; type: string; job_id: string }>();
    expect(delivered.map((e) => e.id).sort()).toEqual(ids.map((e) => e.id).sort());
    expect(delivered.filter((e) => e.type === 'bulk.completed').map((e) => e.job_id)).toEqual([
      parent.id,
    ]);
    // Earlier attempts (503s) carried the same ids: no message with an unknown id.
    const known = new Set(ids.map((e) => e.id));
    expect(receiver.received.every((m) => known.has(String(m.headers['webhook-id'])))).toBe(true);
  });
});
