/**
 * Fair scheduling (issue 13) on the real pipeline: PostgreSQL, Redis, worker child processes.
 * Single jobs overtake queued bulk files; owners' bulks share the workers; the per-owner window
 * holds through a worker SIGKILL and a Redis FLUSHALL; cancelling a windowed bulk leaves nothing
 * running or queued.
 */
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { EXTRACTION_QUEUE } from '../../src/queue/extraction-queue.constants';
import { MetricsService } from '../../src/metrics/metrics.service';
import { BulkReleaseService } from '../../src/extraction/jobs/bulk-release.service';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';
import { PrivateRedis, startPrivateRedis } from '../support/redis-server';

interface FileRow {
  owner_id: string;
  parent_job_id: string | null;
  status: string;
  attempt: number;
  started: number | null;
  completed: number | null;
  created: number;
}

async function files(h: PipelineHarness): Promise<FileRow[]> {
  return h.db.dataSource.query(
    `SELECT owner_id, parent_job_id, status::text AS status, attempt,
            (extract(epoch FROM started_at) * 1000)::float8 AS started,
            (extract(epoch FROM completed_at) * 1000)::float8 AS completed,
            (extract(epoch FROM created_at) * 1000)::float8 AS created
     FROM extraction_jobs WHERE kind <> 'bulk' ORDER BY started_at NULLS LAST`,
  );
}

/** Released bulk files not settled, per owner: what the window bounds. */
async function windowOccupancy(h: PipelineHarness): Promise<Record<string, number>> {
  const rows: Array<{ owner_id: string; n: number }> = await h.db.dataSource.query(
    `SELECT owner_id, count(*)::int AS n FROM extraction_jobs
     WHERE kind = 'file' AND status IN ('pending', 'processing') AND released_at IS NOT NULL
     GROUP BY owner_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.owner_id, r.n]));
}

async function bulkDone(h: PipelineHarness, id: string, timeoutMs = 60_000) {
  return h.waitFor(
    `bulk ${id} to settle`,
    async () => {
      const p = await h.jobs.get(id);
      return ['completed', 'failed', 'cancelled'].includes(p.status) ? p : null;
    },
    timeoutMs,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Fair scheduling', () => {
  let h: PipelineHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs single jobs before the queued files of a bulk, and keeps the bulk in its window', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2', BULK_WINDOW_PER_OWNER: '6' });
    const worker = await h.startWorker();
    const { parent } = await h.createBulk(
      Array.from({ length: 30 }, () => 'sleep:150'),
      'user-a',
    );
    await h.waitFor(
      'the bulk to start',
      async () => (await h!.jobs.get(parent.id)).processedItems >= 2,
    );
    // Only a window of the bulk is in the queue; the rest waits in PostgreSQL.
    const occupancy = await windowOccupancy(h);
    expect(occupancy['user-a']).toBeLessThanOrEqual(6);
    const unreleased = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs WHERE parent_job_id = $1 AND released_at IS NULL AND status = 'pending'`,
      [parent.id],
    );
    expect(unreleased[0].n).toBeGreaterThan(10);

    const singles: ExtractionJob[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { job } = await h.jobs.create({
        ownerId: 'user-b',
        format: 'dxf',
        filename: `single-${i}.dxf`,
        fileUrl: await h.storeFile(`single-${i}.dxf`, 'ok'),
      });
      singles.push(job);
    }
    const waits = await h.waitFor('the single jobs', async () => {
      const done = await Promise.all(singles.map((s) => h!.jobs.get(s.id)));
      return done.every((d) => d.status === 'completed')
        ? done.map((d) => d.startedAt!.getTime() - d.createdAt.getTime())
        : null;
    });
    const bulkAtThatTime = await h.jobs.get(parent.id);
    // They overtook bulk files that were queued before them (Bull priority, not FIFO).
    const firstSingle = Math.min(...singles.map((s) => s.createdAt.getTime()));
    const lastSingleStart = Math.max(
      ...(await Promise.all(singles.map((s) => h!.jobs.get(s.id)))).map((s) =>
        s.startedAt!.getTime(),
      ),
    );
    const overtaken: Array<{ n: number }> = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs WHERE parent_job_id = $1
         AND released_at < $2 AND (started_at IS NULL OR started_at > $3)`,
      [parent.id, new Date(firstSingle), new Date(lastSingleStart)],
    );
    expect(overtaken[0].n).toBeGreaterThan(0);
    // Each single waited at most about one bulk file (150 ms) for a slot, not the queued window.
    expect(Math.max(...waits)).toBeLessThan(1000);
    expect(bulkAtThatTime.processedItems).toBeLessThan(30);

    // The active-files gauge names the owner (top-N), read from PostgreSQL at scrape time.
    const apiMetrics = (await h.api.get(MetricsService).render()).body;
    const active = /extraction_owner_active_files\{owner="user-a"\} (\d+)/.exec(apiMetrics);
    expect(Number(active?.[1])).toBeGreaterThan(0);

    const done = await bulkDone(h, parent.id);
    expect(done).toMatchObject({ status: 'completed', processedItems: 30, failedItems: 0 });
    // Queue wait per lane, observed by the worker at each claim.
    const workerMetrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    const claims = (lane: string) =>
      Number(
        new RegExp(`extraction_queue_wait_seconds_count\\{lane="${lane}"\\} (\\d+)`).exec(
          workerMetrics,
        )?.[1],
      );
    expect(claims('bulk')).toBe(30);
    expect(claims('interactive')).toBe(4);
  }, 90_000);

  it('shares the workers between owners: two bulks interleave and a third owner joining later gets its share', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2', BULK_WINDOW_PER_OWNER: '4' });
    await h.startWorker();
    const a = await h.createBulk(
      Array.from({ length: 40 }, () => 'sleep:100'),
      'owner-a',
    );
    await sleep(500);
    const b = await h.createBulk(
      Array.from({ length: 40 }, () => 'sleep:100'),
      'owner-b',
    );
    await sleep(1000);
    const cCreated = Date.now();
    const c = await h.createBulk(
      Array.from({ length: 10 }, () => 'sleep:100'),
      'owner-c',
    );
    await Promise.all([a, b, c].map((x) => bulkDone(h!, x.parent.id, 90_000)));

    const rows = (await files(h)).filter((r) => r.started !== null);
    const startsOf = (owner: string) =>
      rows.filter((r) => r.owner_id === owner).map((r) => r.started!);
    const [aStarts, bStarts, cStarts] = ['owner-a', 'owner-b', 'owner-c'].map(startsOf);
    // While both A and B had files left, they started about as many each.
    const overlapFrom = Math.min(...bStarts);
    const overlapTo = Math.min(Math.max(...aStarts), Math.max(...bStarts));
    const inOverlap = (xs: number[]) => xs.filter((t) => t >= overlapFrom && t <= overlapTo).length;
    const [nA, nB] = [inOverlap(aStarts), inOverlap(bStarts)];
    expect(nA + nB).toBeGreaterThan(20);
    expect(nB).toBeGreaterThanOrEqual(0.7 * nA);
    expect(nA).toBeGreaterThanOrEqual(0.7 * nB);
    // C started within its window's first turn, long before A and B were done.
    expect(Math.min(...cStarts) - cCreated).toBeLessThan(2500);
    expect(Math.max(...cStarts)).toBeLessThan(Math.max(...aStarts, ...bStarts));
    for (const x of [a, b, c]) {
      const p = await h.jobs.get(x.parent.id);
      expect(p.processedItems).toBe(p.totalItems);
      expect(p.failedItems).toBe(0);
    }
  }, 120_000);

  it('never overfills a window while two worker processes and the API release at once', async () => {
    h = await createPipelineHarness({
      WORKER_CONCURRENCY: '2',
      BULK_WINDOW_PER_OWNER: '3',
      BULK_RELEASE_INTERVAL_MS: '50',
    });
    await Promise.all([h.startWorker(), h.startWorker()]);
    let maxOccupancy = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const o = await windowOccupancy(h);
        maxOccupancy = Math.max(maxOccupancy, ...Object.values(o), 0);
        await sleep(10);
      }
    })();
    const bulks = await Promise.all(
      ['owner-a', 'owner-b'].map((owner) =>
        h!.createBulk(
          Array.from({ length: 25 }, () => 'sleep:50'),
          owner,
        ),
      ),
    );
    try {
      for (const b of bulks) {
        await expect(bulkDone(h, b.parent.id)).resolves.toMatchObject({
          status: 'completed',
          processedItems: 25,
          failedItems: 0,
        });
      }
    } finally {
      sampling = false;
      await sampler;
    }
    expect(maxOccupancy).toBeGreaterThan(0);
    expect(maxOccupancy).toBeLessThanOrEqual(3);
    const rows = await files(h);
    expect(rows.filter((r) => r.status !== 'completed' || r.attempt !== 1)).toEqual([]);
  }, 90_000);

  it('cancels a windowed bulk: no file runs or stays queued afterwards, unreleased files included', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2', BULK_WINDOW_PER_OWNER: '4' });
    await h.startWorker();
    const { parent } = await h.createBulk(
      Array.from({ length: 30 }, () => 'sleep:400'),
      'user-a',
    );
    await h.waitFor('two files to run', async () => {
      const rows = await files(h!);
      return rows.filter((r) => r.status === 'processing').length >= 2;
    });
    const cancelled = await h.jobs.cancel(parent.id, 'user-a');
    expect(cancelled.status).toBe('cancelled');
    const queue = h.api.get<Queue>(getQueueToken(EXTRACTION_QUEUE));
    await h.waitFor('nothing running or queued', async () => {
      const rows = await files(h!);
      const counts = await queue.getJobCounts();
      return rows.every((r) => r.status === 'cancelled') &&
        counts.waiting + counts.active + counts.delayed === 0
        ? true
        : null;
    });
    await sleep(1500); // release ticks and sweeps run meanwhile: nothing comes back
    const rows = await files(h);
    expect(rows.filter((r) => r.status !== 'cancelled')).toEqual([]);
    expect(rows.filter((r) => r.started !== null).length).toBeLessThanOrEqual(4);
    const p = await h.jobs.get(parent.id);
    expect(p).toMatchObject({ processedItems: 30, cancelledItems: 30, failedItems: 0 });
    await expect(h.api.get(BulkReleaseService).release()).resolves.toBe(0);
  }, 60_000);

  it('sends a retried bulk through the window again', async () => {
    h = await createPipelineHarness({
      WORKER_CONCURRENCY: '2',
      BULK_WINDOW_PER_OWNER: '3',
      MAX_RETRIES: '0',
    });
    await h.startWorker();
    const { parent } = await h.createBulk(
      Array.from({ length: 12 }, () => 'fail:permanent'),
      'user-a',
    );
    await bulkDone(h, parent.id);
    // Now the files succeed (same storage keys): rewrite them, then retry the bulk.
    for (const kid of (await h.jobs.listChildren(parent.id)).items) {
      await h.storage.putBuffer(h.storage.keyFromUrl(kid.fileUrl!), 'sleep:150');
    }
    const { retried } = await h.jobs.retryBulk(parent.id, { ownerId: 'user-a' });
    expect(retried).toHaveLength(12);
    expect((await windowOccupancy(h))['user-a'] ?? 0).toBeLessThanOrEqual(3);
    const done = await bulkDone(h, parent.id);
    expect(done).toMatchObject({ status: 'completed', processedItems: 12, failedItems: 0 });
  }, 60_000);
});

describe('Fair scheduling when a worker dies and Redis loses its data', () => {
  let h: PipelineHarness | undefined;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await h?.close();
    await redis.stop();
  });

  it('completes every file once with exact counters, the window never overfilled', async () => {
    h = await createPipelineHarness({
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: '2',
      BULK_WINDOW_PER_OWNER: '5',
      RECONCILE_AFTER_SECONDS: '1',
    });
    const first = await h.startWorker();
    const { parent } = await h.createBulk(
      Array.from({ length: 30 }, () => 'sleep:200'),
      'user-a',
    );
    let maxOccupancy = 0;
    const watch = setInterval(() => {
      void windowOccupancy(h!).then(
        (o) => (maxOccupancy = Math.max(maxOccupancy, o['user-a'] ?? 0)),
      );
    }, 50);
    try {
      await h.waitFor(
        'some files done',
        async () => (await h!.jobs.get(parent.id)).processedItems >= 4,
      );
      await first.stop('SIGKILL');
      await redis.client.flushall();
      await h.startWorker();
      const done = await bulkDone(h, parent.id, 90_000);
      expect(done).toMatchObject({
        status: 'completed',
        processedItems: 30,
        failedItems: 0,
        cancelledItems: 0,
      });
    } finally {
      clearInterval(watch);
    }
    const kids = (await h.jobs.listChildren(parent.id)).items;
    expect(kids).toHaveLength(30);
    expect(kids.every((k) => k.status === 'completed' && k.releasedAt !== null)).toBe(true);
    // Files lost with the killed worker came back as retries (WORKER_LOST), once each.
    expect(kids.filter((k) => k.attempt > 1).length).toBeLessThanOrEqual(2);
    expect(maxOccupancy).toBeLessThanOrEqual(5 + 2); // window + the killed worker's files retried
  }, 120_000);
});
