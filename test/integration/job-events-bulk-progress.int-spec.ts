/**
 * bulk.progress through the whole pipeline (issue 15): at most one per second per bulk, counters
 * only growing, and only to a subscription that lists it.
 */
import { WebhookSubscriptionsRepository } from '../../src/events/webhook-subscriptions.repository';
import { newWebhookSecret } from '../../src/events/webhook-signature';
import { BulkCounters, DEFAULT_EVENT_TYPES } from '../../src/events/event-types';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';
import { WebhookReceiver } from '../support/webhook-receiver';

interface Delivered {
  type: string;
  job_id: string;
  occurred_at: string;
  counters?: BulkCounters;
}

describe('bulk.progress events', () => {
  let h: PipelineHarness;
  let receiver: WebhookReceiver;

  afterEach(async () => {
    await receiver?.stop();
    await h?.close();
  });

  it('sends at most one per second per bulk with growing counters, only to subscriptions that list it', async () => {
    receiver = await new WebhookReceiver().start();
    h = await createPipelineHarness({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      EVENTS_POLL_MS: '50',
    });
    const subscriptions = new WebhookSubscriptionsRepository(h.db.dataSource);
    const secret = newWebhookSecret();
    await subscriptions.insert(
      'user-a',
      receiver.url('/progress'),
      ['bulk.progress', 'bulk.completed'],
      secret,
      new Date(),
    );
    // The API's default for a subscription without event_types: every type but bulk.progress.
    await subscriptions.insert(
      'user-a',
      receiver.url('/default'),
      [...DEFAULT_EVENT_TYPES],
      secret,
      new Date(),
    );
    await h.startWorker();
    // 4 files at a time (WORKER_CONCURRENCY), 300 ms each: the bulk takes about 2 seconds.
    const { parent } = await h.createBulk(Array.from({ length: 24 }, () => 'sleep:300'));
    const at = (path: string) =>
      receiver.received
        .filter((r) => r.path === path && r.status === 200)
        .map((r) => JSON.parse(r.body) as Delivered);
    await h.waitFor('bulk.completed at both receivers', async () =>
      ['/progress', '/default'].every((path) => at(path).some((e) => e.type === 'bulk.completed')),
    );
    const bulk = await h.jobs.get(parent.id);
    const seconds = (bulk.completedAt!.getTime() - bulk.createdAt.getTime()) / 1000;
    const progress = at('/progress')
      .filter((e) => e.type === 'bulk.progress')
      .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(progress.every((e) => e.job_id === parent.id)).toBe(true);
    for (let i = 1; i < progress.length; i += 1) {
      const [before, after] = [progress[i - 1], progress[i]];
      expect(Date.parse(after.occurred_at) - Date.parse(before.occurred_at)).toBeGreaterThanOrEqual(
        1000,
      );
      expect(after.counters!.completed).toBeGreaterThanOrEqual(before.counters!.completed);
      expect(after.counters!.pending).toBeLessThanOrEqual(before.counters!.pending);
    }
    expect(progress[0].counters).toMatchObject({ total: 24, failed: 0, cancelled: 0 });
    expect(progress.at(-1)!.counters!.pending).toBeGreaterThan(0);
    expect(at('/default').filter((e) => e.type === 'bulk.progress')).toEqual([]);
    expect(at('/default').filter((e) => e.type === 'job.completed')).toHaveLength(24);
  });
});
