/**
 * Recovery after an outage with the shipped defaults (issue 12 §1): every file of a bulk completes
 * exactly once, within seconds of the dependency coming back — not after the reconcile sweep's
 * RECONCILE_AFTER_SECONDS. The bound asserted is generous (< 30 s); the measured time is printed.
 */
import { validateEnvironment } from '../../src/config/environment';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';
import { PrivateRedis, startPrivateRedis } from '../support/redis-server';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';

const FILES = 40;
const BOUND_MS = 30_000;

/** The recovery settings as shipped, so the test measures what an operator gets. */
function shippedRecoveryDefaults(): Record<string, string> {
  const d = validateEnvironment({});
  return {
    SWEEP_INTERVAL_SECONDS: String(d.SWEEP_INTERVAL_SECONDS),
    SWEEP_BATCH_SIZE: String(d.SWEEP_BATCH_SIZE),
    RECONCILE_AFTER_SECONDS: String(d.RECONCILE_AFTER_SECONDS),
    QUEUE_WATCH_INTERVAL_MS: String(d.QUEUE_WATCH_INTERVAL_MS),
    LEASE_SECONDS: String(d.LEASE_SECONDS),
  };
}

describe('recovery after an outage, with the shipped defaults', () => {
  jest.setTimeout(120_000);
  let h: PipelineHarness | undefined;
  let redis: PrivateRedis | undefined;
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    await h?.close();
    await redis?.stop();
    await proxy?.close();
    h = redis = proxy = undefined;
  });

  const startBulk = async (harness: PipelineHarness) => {
    const { parent } = await harness.createBulk(Array.from({ length: FILES }, () => 'sleep:150'));
    await harness.waitFor(
      'some files to finish',
      async () => (await harness.jobs.get(parent.id)).processedItems >= 3,
    );
    return parent;
  };

  /**
   * From `since`: when work resumed (the first file completed afterwards) and when the bulk was
   * complete; every child completed exactly once.
   */
  const recoveryTime = async (harness: PipelineHarness, parent: ExtractionJob, since: number) => {
    const before = (await harness.jobs.get(parent.id)).processedItems;
    let resumedAt: number | null = null;
    const done = await harness.waitFor(
      'the bulk to complete',
      async () => {
        const p = await harness.jobs.get(parent.id);
        if (resumedAt === null && p.processedItems > before) resumedAt = Date.now();
        return p.status === 'completed' ? p : null;
      },
      BOUND_MS + 10_000,
    );
    const elapsed = Date.now() - since;
    expect(done).toMatchObject({ processedItems: FILES, failedItems: 0 });
    const kids = (await harness.jobs.listChildren(parent.id, { pageSize: FILES })).items;
    expect(kids.filter((k) => k.status === 'completed')).toHaveLength(FILES);
    return `work resumed after ${(resumedAt ?? Date.now()) - since} ms, bulk complete after ${elapsed} ms (${FILES - before} files left)`;
  };

  const assertBound = (summary: string) => {
    const complete = Number(/complete after (\d+) ms/.exec(summary)![1]);
    expect(complete).toBeLessThan(BOUND_MS);
  };

  it('after FLUSHALL', async () => {
    redis = await startPrivateRedis();
    h = await createPipelineHarness({
      ...shippedRecoveryDefaults(),
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: '2',
    });
    await h.startWorker();
    const parent = await startBulk(h);
    await redis.client.flushall();
    const flushedAt = Date.now();
    const summary = await recoveryTime(h, parent, flushedAt);
    console.log(`[recovery] FLUSHALL: ${summary}`);
    assertBound(summary);
  });

  it('after a Redis restart without persistence', async () => {
    redis = await startPrivateRedis();
    h = await createPipelineHarness({
      ...shippedRecoveryDefaults(),
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: '2',
    });
    await h.startWorker();
    const parent = await startBulk(h);
    const port = redis.port;
    await redis.stop();
    await new Promise((r) => setTimeout(r, 2000));
    redis = await startPrivateRedis(port);
    const backAt = Date.now();
    const summary = await recoveryTime(h, parent, backAt);
    console.log(`[recovery] Redis restart: ${summary}`);
    assertBound(summary);
  });

  it('after PostgreSQL is unreachable for 5 s', async () => {
    h = await createPipelineHarness({ ...shippedRecoveryDefaults(), WORKER_CONCURRENCY: '2' });
    const url = new URL(h.db.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    await h.startWorker({ DATABASE_URL: url.toString() });
    const parent = await startBulk(h);
    proxy.cut();
    await new Promise((r) => setTimeout(r, 5000));
    proxy.restore();
    const backAt = Date.now();
    const summary = await recoveryTime(h, parent, backAt);
    console.log(`[recovery] PostgreSQL outage: ${summary}`);
    assertBound(summary);
  });
});
