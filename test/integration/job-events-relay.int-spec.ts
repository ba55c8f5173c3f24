/**
 * The outbox relay and in-process subscribers (issue 15 §2): at least once, after commit, with
 * the event id for deduplication; a throwing handler is retried with backoff without holding up
 * the others; a crash between the state change and the delivery loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { ExtractionEvent } from '../../src/events/event-types';
import { WebhookSubscriptionsRepository } from '../../src/events/webhook-subscriptions.repository';
import { newWebhookSecret } from '../../src/events/webhook-signature';
import { createEventRelay, eventually, EventRelayHarness } from '../support/event-harness';
import { FakeClock } from '../support/fake-clock';
import {
  createJobServiceHarness,
  JobServiceHarness,
  newJobInput,
} from '../support/job-service-harness';

describe('job events relay and in-process subscribers', () => {
  let h: JobServiceHarness;
  const relays: EventRelayHarness[] = [];

  beforeEach(async () => {
    h = await createJobServiceHarness();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.relay.stop()));
    await h.close();
  });

  const relay = (env: Record<string, string> = {}, clock?: FakeClock) => {
    const r = createEventRelay(h, env, clock);
    relays.push(r);
    return r;
  };

  const completedJob = async () => {
    const { job } = await h.service.create(newJobInput());
    const claimed = await h.service.claim({ id: job.id, attempt: 0 }, 'w');
    await h.service.complete({ id: job.id, attempt: claimed!.attempt }, { ok: true });
    return job;
  };

  /**
   * Ticks until no committed event is left past the cursor: the relay waits for every older
   * transaction of the database cluster, and other suites running at the same time have some.
   */
  const relayAll = (r: EventRelayHarness) =>
    eventually(async () => {
      await r.relay.tick();
      return (await unsent()) === 0;
    });

  /** Events not yet relayed: past the relay cursor. */
  const unsent = async () =>
    Number(
      (
        await h.db.dataSource.query(
          `SELECT count(*)::int AS n FROM extraction_events e, extraction_event_relay_cursor c
           WHERE (e.xid, e.seq) > (c.xid, c.seq)`,
        )
      )[0].n,
    );

  it('retries a handler that throws twice, with the same event id, without holding up another', async () => {
    const r = relay();
    const flaky: Array<{ id: string; at: number }> = [];
    const steady: ExtractionEvent[] = [];
    r.events.on('flaky', 'job.completed', (event) => {
      flaky.push({ id: event.id, at: Date.now() });
      if (flaky.length <= 2) throw new Error(`failure ${flaky.length}`);
    });
    r.events.on('steady', '*', (event) => {
      steady.push(event);
    });
    const job = await completedJob();
    r.relay.start();
    await eventually(() => flaky.length === 3);
    expect(steady).toHaveLength(1);
    expect(steady[0]).toMatchObject({ type: 'job.completed', job_id: job.id, owner_id: 'user-a' });
    expect(steady[0].job).toMatchObject({ id: job.id, status: 'completed' });
    expect(flaky.map((f) => f.id)).toEqual([steady[0].id, steady[0].id, steady[0].id]);
    // backoff: base 0.05 s, doubled (±25 % jitter) between the attempts
    expect(flaky[1].at - flaky[0].at).toBeGreaterThanOrEqual(35);
    expect(flaky[2].at - flaky[1].at).toBeGreaterThanOrEqual(75);
    await eventually(async () => {
      const rows: Array<{ handler: string; status: string; attempts: number }> =
        await h.db.dataSource.query(
          `SELECT handler, status, attempts FROM extraction_event_deliveries ORDER BY handler`,
        );
      return (
        JSON.stringify(rows) ===
        // `steady` succeeded at its first attempt, in the relay: no delivery row of its own.
        JSON.stringify([{ handler: 'flaky', status: 'delivered', attempts: 3 }])
      );
    });
    // The handler filter: only job.completed went to `flaky`.
    expect(await unsent()).toBe(0);
  });

  it('delivers events written while no relay ran (a worker killed after the state change)', async () => {
    const jobs = [await completedJob(), await completedJob()];
    expect(await unsent()).toBe(2);
    const r = relay();
    const seen: string[] = [];
    r.events.on('import', 'job.completed', (event) => {
      seen.push(event.job_id);
    });
    r.relay.start();
    await eventually(() => seen.length === 2);
    expect(seen.sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('delivers again a delivery whose process died while it ran, once its lease ended', async () => {
    const clock = new FakeClock(new Date().toISOString());
    const dead = relay({}, clock);
    dead.events.on('import', 'job.completed', () => new Promise(() => undefined)); // never settles
    await completedJob();
    // Relays: the handler's first attempt is still running after a second, so it gets a leased
    // delivery row, as if its process died now.
    await relayAll(dead);
    const [claimed] = await h.db.dataSource.query(
      `SELECT attempts, next_attempt_at FROM extraction_event_deliveries`,
    );
    expect(claimed.attempts).toBe(1);
    const next = relay({}, clock);
    const seen: ExtractionEvent[] = [];
    next.events.on('import', 'job.completed', (event) => {
      seen.push(event);
    });
    await next.relay.tick();
    expect(seen).toHaveLength(0); // still leased
    clock.advance(12_000); // the lease: 3 × WEBHOOK_TIMEOUT_MS (2 s) + 5 s
    await next.relay.tick();
    await eventually(() => seen.length === 1);
    await eventually(async () => {
      const [row] = await h.db.dataSource.query(
        `SELECT status, attempts FROM extraction_event_deliveries`,
      );
      return row.status === 'delivered' && row.attempts === 2;
    });
  });

  it('never passes over an event whose transaction commits after a later one, nor sends an aborted one', async () => {
    const r = relay();
    const seen: string[] = [];
    r.events.on('count', '*', (event) => void seen.push(event.job_id));
    const writeIn = async (jobId: string) => {
      const runner = h.db.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(
        `INSERT INTO extraction_events (type, owner_id, job_id, occurred_at, data)
         VALUES ('job.completed', 'user-a', $1, now(), '{"job": {}}')`,
        [jobId],
      );
      return runner;
    };
    // Two transactions write events first (lower transaction ids and seq), and stay open while
    // a later change commits its event.
    const lateId = randomUUID();
    const abortedId = randomUUID();
    const late = await writeIn(lateId);
    const aborted = await writeIn(abortedId);
    const later = await completedJob();
    await r.relay.tick();
    // Held back: a cursor moved past `later` would skip the lower ids when they commit.
    expect(seen).toEqual([]);
    await aborted.rollbackTransaction();
    await aborted.release();
    await late.commitTransaction();
    await late.release();
    r.relay.start();
    await eventually(() => seen.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([lateId, later.id]);
    expect(await unsent()).toBe(0);
  });

  it('relays each event once with several relays at once (SKIP LOCKED)', async () => {
    const seen: string[] = [];
    const many = [relay(), relay(), relay()];
    for (const r of many) r.events.on('count', '*', (event) => void seen.push(event.id));
    await Promise.all(Array.from({ length: 30 }, () => completedJob()));
    for (const r of many) r.relay.start();
    await eventually(() => seen.length >= 30);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(await unsent()).toBe(0);
  });

  it('deletes relayed events past the retention, keeps newer and unrelayed ones', async () => {
    const r = relay({ EVENT_RETENTION_DAYS: '1' });
    const old = await completedJob();
    const recent = await completedJob();
    await eventually(async () => {
      await r.outbox.relay(new Date(), 10, 60, async () => []);
      return (await unsent()) === 0;
    });
    const age = (jobId: string) =>
      h.db.dataSource.query(
        `UPDATE extraction_events SET occurred_at = now() - interval '2 days' WHERE job_id = $1`,
        [jobId],
      );
    await h.db.dataSource.query(`UPDATE extraction_events SET occurred_at = now()`);
    await age(old.id);
    const late = await completedJob(); // not relayed yet
    await age(late.id);
    // Only events behind the cursor go: the old one not yet relayed is kept.
    const cutoff = new Date(Date.now() - 86_400_000);
    await expect(r.outbox.deleteRelayedBefore(cutoff, 10)).resolves.toBe(1);
    // The tick relays it, then its retention (or this one) deletes it.
    await relayAll(r);
    await r.outbox.deleteRelayedBefore(cutoff, 10);
    const rows: Array<{ job_id: string }> = await h.db.dataSource.query(
      `SELECT job_id FROM extraction_events ORDER BY seq`,
    );
    expect(rows.map((row) => row.job_id)).toEqual([recent.id]);
    expect(await unsent()).toBe(0);
    const metrics = await r.registry.metrics();
    expect(metrics).toMatch(/extraction_events_written 3/);
    expect(metrics).toMatch(/extraction_events_relayed_total 1/);
  });

  it('gives up a delivery after its retry window, and disables a subscription failing for 3 days', async () => {
    const clock = new FakeClock(new Date().toISOString());
    const r = relay({ EVENT_RETRY_CAP_SECONDS: '1' }, clock);
    const subscriptions = new WebhookSubscriptionsRepository(h.db.dataSource);
    // Nothing listens on port 9 of loopback: every attempt is refused.
    const hook = await subscriptions.insert(
      'user-a',
      'http://127.0.0.1:9/hook',
      ['job.completed'],
      newWebhookSecret(),
      clock.now(),
    );
    await completedJob();
    await relayAll(r);
    await r.relay.idle();
    const webhook = async () => (await subscriptions.find(hook.id, 'user-a'))!;
    expect(await webhook()).toMatchObject({ enabled: true, failingSince: clock.now() });
    const delivery = async () =>
      (
        await h.db.dataSource.query(
          `SELECT status, attempts, last_error FROM extraction_event_deliveries`,
        )
      )[0] as { status: string; attempts: number; last_error: string };
    expect(await delivery()).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await delivery()).last_error).toMatch(/ECONNREFUSED/);

    clock.advance(25 * 3600 * 1000); // past the 24 h window, not yet 3 days
    await r.relay.tick();
    await r.relay.idle();
    expect(await delivery()).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await webhook()).toMatchObject({ enabled: true });

    clock.advance(2 * 24 * 3600 * 1000); // 3 days and an hour since the first failure
    await completedJob();
    await relayAll(r);
    await r.relay.idle();
    const disabled = await webhook();
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledReason).toMatch(
      /^Deliveries failed without a success since .*ECONNREFUSED/,
    );
    // A disabled subscription gets no new deliveries.
    await completedJob();
    await relayAll(r);
    const [{ n }] = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_event_deliveries WHERE webhook_id = $1`,
      [hook.id],
    );
    expect(n).toBe(2);
  });

  it('refuses a second handler under the same name and unknown event types', () => {
    const r = relay();
    r.events.on('a', 'job.failed', () => undefined);
    expect(() => r.events.on('a', 'job.completed', () => undefined)).toThrow(/already/);
    expect(() => r.events.on('b', 'job.exploded' as never, () => undefined)).toThrow(/Unknown/);
  });

  it("gives bulk.progress only to handlers that list it, not to '*'", () => {
    const r = relay();
    r.events.on('all', '*', () => undefined);
    r.events.on('progress', ['bulk.progress', 'bulk.completed'], () => undefined);
    expect(r.events.handlersFor('bulk.progress')).toEqual(['progress']);
    expect(r.events.handlersFor('bulk.completed')).toEqual(['all', 'progress']);
    expect(r.events.handlersFor('import.completed')).toEqual(['all']);
  });
});
