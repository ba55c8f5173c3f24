import { BulkExtractionService } from '../../src/extraction/processing/bulk-extraction.service';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';
import { PrivateRedis, startPrivateRedis } from '../support/redis-server';

describe(`${BulkExtractionService.name} when Redis loses its data`, () => {
  let h: PipelineHarness;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await h?.close();
    await redis.stop();
  });

  it('brings every file to completion through the reconciler after FLUSHALL', async () => {
    h = await createPipelineHarness({
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: '2',
      RECONCILE_AFTER_SECONDS: '1',
    });
    await h.startWorker();
    const { parent } = await h.createBulk(Array.from({ length: 20 }, () => 'sleep:300'));
    await h.waitFor(
      'some files to finish',
      async () => (await h.jobs.get(parent.id)).processedItems >= 3,
    );
    await redis.client.flushall();
    expect(await redis.client.dbsize()).toBe(0);

    const done = await h.waitFor(
      'the bulk to finish',
      async () => {
        const p = await h.jobs.get(parent.id);
        return p.status === 'completed' ? p : null;
      },
      60_000,
    );
    expect(done).toMatchObject({ processedItems: 20, failedItems: 0 });
    const kids = (await h.jobs.listChildren(parent.id)).items;
    expect(kids.every((k) => k.status === 'completed' && k.attempt === 1)).toBe(true);
  });

  it('still creates jobs while Redis is unreachable, leaving them pending for the reconciler', async () => {
    await h?.close();
    const down = await startPrivateRedis();
    await down.stop();
    h = await createPipelineHarness({ REDIS_URL: down.url });
    const started = Date.now();
    const { job, created } = await h.jobs.create({
      ownerId: 'user-a',
      format: 'dxf',
      filename: 'a.dxf',
      fileUrl: await h.storeFile('a.dxf', 'ok'),
    });
    expect(created).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(h.jobs.get(job.id)).resolves.toMatchObject({ status: 'pending', attempt: 0 });
    // The circuit breaker: later creates do not wait for the enqueue timeout (3 s each before).
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t0 = Date.now();
      await h.jobs.create({
        ownerId: 'user-a',
        format: 'dxf',
        filename: `b${i}.dxf`,
        fileUrl: await h.storeFile(`b${i}.dxf`, 'ok'),
      });
      times.push(Date.now() - t0);
    }
    console.log(`[recovery] creates with Redis down: ${times.join(', ')} ms`);
    expect(Math.max(...times)).toBeLessThan(1000);
    // readiness names what is wrong, within its timeout
    const worker = await h.startWorker();
    const ready = await fetch(`http://127.0.0.1:${worker.port}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'error',
      error: { redis: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
  });
});
