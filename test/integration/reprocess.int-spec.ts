/**
 * POST /jobs/reprocess through the fair path (issue 16) on the real pipeline: PostgreSQL, Redis,
 * worker child processes with the test extractors. Reprocessed jobs wait for their owner's
 * reprocess window and run in the background lane, so another owner's single job and bulk finish
 * before the backlog; the owner sees the completed job with its previous result until the new one
 * lands; a failed reprocess leaves the previous result; a dry run only counts; progress is in the
 * metrics.
 */
import { toJobResponse } from '../../src/api/dto/job-wire';
import { JobResultService } from '../../src/api/services/job-result.service';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { EXTRACTOR_VERSIONS } from '../../src/extraction/extractors/extractor-versions';
import { MetricsService } from '../../src/metrics/metrics.service';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';

const SETTLED = ['completed', 'failed', 'cancelled'];

describe('Reprocess through the fair path', () => {
  let h: PipelineHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function createSingle(owner: string, filename: string, command: string) {
    const { job } = await h!.jobs.create({
      ownerId: owner,
      format: 'dxf',
      filename,
      fileUrl: await h!.storeFile(filename, command),
      fileSize: command.length,
    });
    return job;
  }

  const settled = (id: string, timeoutMs = 30_000) =>
    h!.waitFor(
      `job ${id} to settle`,
      async () => {
        const job = await h!.jobs.get(id);
        return SETTLED.includes(job.status) && job.reprocessStatus !== 'pending' ? job : null;
      },
      timeoutMs,
    );

  async function reprocessStates(): Promise<Record<string, number>> {
    const rows: Array<{ state: string; n: number }> = await h!.db.dataSource.query(
      `SELECT CASE WHEN reprocess_status = 'pending' THEN 'pending:' || status::text
                   ELSE reprocess_status END AS state, count(*)::int AS n
       FROM extraction_jobs WHERE reprocess_status IS NOT NULL GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  const metric = (text: string, name: string, labels: string) =>
    Number(new RegExp(`${name}\\{${labels}\\} (\\d+)`).exec(text)?.[1] ?? NaN);

  it('runs a reprocess backlog behind another owner’s single job and bulk, showing the previous result until the new one lands', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2', BULK_WINDOW_PER_OWNER: '2' });
    await h.startWorker();
    // 24 distinct files of owner A (distinct contents: nothing to reuse), completed once.
    const originals: ExtractionJob[] = [];
    for (let i = 0; i < 24; i += 1)
      originals.push(await createSingle('owner-a', `a-${i}.dxf`, `sleep:150:${i}`));
    const before = await Promise.all(originals.map((j) => settled(j.id)));
    expect(before.map((j) => j.status)).toEqual(Array(24).fill('completed'));

    // A fixed extractor: new workers report a bumped version.
    const bumped = EXTRACTOR_VERSIONS.dxf + 1;
    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    const worker = await h.startWorker({ TEST_EXTRACTOR_VERSION: String(bumped) });

    const run = await h.jobs.reprocess({ ownerId: 'owner-a', extractorVersionLt: bumped });
    expect(run).toEqual({ dryRun: false, matched: 24, requeued: 24 });
    // Only a window's worth is in the queue; the rest waits in PostgreSQL.
    const released: Array<{ n: number }> = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs
       WHERE reprocess_status = 'pending' AND released_at IS NOT NULL`,
    );
    expect(released[0].n).toBeLessThanOrEqual(2);

    // While it runs, the owner sees the completed job with its previous result.
    const waiting = await h.jobs.get(originals[23].id);
    expect(waiting.status).toBe('pending'); // the row: a new attempt waits
    const shown = toJobResponse(waiting);
    expect(shown).toMatchObject({
      status: 'completed',
      progress: 100,
      result: before[23].result,
      completed_at: before[23].completedAt!.toISOString(),
      extractor_version: EXTRACTOR_VERSIONS.dxf,
      reprocess: { status: 'pending', error_code: null },
    });
    // Listing by status follows what the owner sees: completed, not pending.
    const listed = async (status: 'completed' | 'pending') =>
      (await h!.jobs.list({ ownerId: 'owner-a', status, pageSize: 100 })).total;
    expect(await listed('completed')).toBe(24);
    expect(await listed('pending')).toBe(0);
    const full = await h.api.get(JobResultService).fullResult(waiting);
    expect(full).toEqual({ ...before[23].result, job_status: 'completed' });
    const apiMetrics = async () => (await h!.api.get(MetricsService).render()).body;
    expect(
      metric(await apiMetrics(), 'extraction_reprocess_jobs', 'state="queued"'),
    ).toBeGreaterThan(15);

    // Another owner's single job and a bulk (bulk lane) overtake the whole backlog.
    const single = await createSingle('owner-b', 'b.dxf', 'sleep:150:b');
    const bulk = await h.createBulk(
      Array.from({ length: 12 }, (_, i) => `sleep:50:c${i}`),
      'owner-c',
    );
    const singleDone = await settled(single.id);
    expect(singleDone.status).toBe('completed');
    const backlogAtSingle = await reprocessStates();
    const bulkDone = await h.waitFor('the bulk', async () => {
      const p = await h!.jobs.get(bulk.parent.id);
      return SETTLED.includes(p.status) ? p : null;
    });
    expect(bulkDone).toMatchObject({ status: 'completed', processedItems: 12, failedItems: 0 });
    const backlogAtBulk = await reprocessStates();
    expect(backlogAtSingle['completed'] ?? 0).toBeLessThan(12);
    expect(backlogAtBulk['completed'] ?? 0).toBeLessThan(24);
    expect(backlogAtBulk['pending:pending']).toBeGreaterThan(0);

    // The backlog completes; each job now has the new result.
    const after = await Promise.all(originals.map((j) => settled(j.id, 60_000)));
    expect(after.map((j) => [j.status, j.extractorVersion, j.reprocessStatus])).toEqual(
      originals.map(() => ['completed', bumped, 'completed']),
    );
    expect(after[23].attempt).toBe(before[23].attempt + 1);
    expect(after[23].completedAt!.getTime()).toBeGreaterThan(before[23].completedAt!.getTime());
    expect((after[23].result!.metadata as { pid: number }).pid).toBe(worker.pid);
    expect(toJobResponse(after[23])).toMatchObject({
      status: 'completed',
      extractor_version: bumped,
      reprocess: { status: 'completed', error_code: null },
    });
    expect(metric(await apiMetrics(), 'extraction_reprocess_jobs', 'state="completed"')).toBe(24);
    const workerMetrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metric(workerMetrics, 'extraction_queue_wait_seconds_count', 'lane="background"')).toBe(
      24,
    );
    // Reprocess attempts never counted against the owner's quota: nothing left active.
    const active: Array<{ n: number }> = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs WHERE status IN ('pending', 'processing', 'retrying')`,
    );
    expect(active[0].n).toBe(0);
  }, 120_000);

  it('keeps the previous result when the reprocess fails, records why, and sends no event', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2' });
    await h.startWorker();
    const job = await createSingle('owner-a', 'x.dxf', 'ok:x');
    const before = await settled(job.id);
    expect(before.status).toBe('completed');
    // The stored file now makes the extractor fail for good.
    await h.storage.putBuffer(h.storage.keyFromUrl(before.fileUrl!), 'fail:permanent');

    const run = await h.jobs.reprocess({ ownerId: 'owner-a' });
    expect(run).toEqual({ dryRun: false, matched: 1, requeued: 1 });
    const after = await h.waitFor('the reprocess to fail', async () => {
      const j = await h!.jobs.get(job.id);
      return j.reprocessStatus === 'failed' ? j : null;
    });
    expect(after).toMatchObject({
      status: 'completed',
      result: before.result,
      resultPath: null,
      extractorVersion: before.extractorVersion,
      optionsDigest: before.optionsDigest,
      retryCount: before.retryCount,
      errorCode: null,
      reprocessErrorCode: 'CORRUPT_FILE',
    });
    expect(after.completedAt!.toISOString()).toBe(before.completedAt!.toISOString());
    expect(after.attempt).toBe(before.attempt + 1);
    expect(toJobResponse(after)).toMatchObject({
      status: 'completed',
      result: before.result,
      error_code: null,
      reprocess: { status: 'failed', error_code: 'CORRUPT_FILE' },
    });
    const events: Array<{ type: string }> = await h.db.dataSource.query(
      `SELECT type FROM extraction_events WHERE job_id = $1 ORDER BY seq`,
      [job.id],
    );
    expect(events.map((e) => e.type)).toEqual(['job.completed']);
    const metrics = (await h.api.get(MetricsService).render()).body;
    expect(metric(metrics, 'extraction_reprocess_jobs', 'state="failed"')).toBe(1);
    // The owner can still delete the job; the reprocess can be asked for again.
    const again = await h.jobs.reprocess({ ownerId: 'owner-a', dryRun: true });
    expect(again).toEqual({ dryRun: true, matched: 1, requeued: 0 });
  }, 60_000);

  it('a dry run only counts; the owner deletes (not cancels) a job whose reprocess waits', async () => {
    h = await createPipelineHarness({ WORKER_CONCURRENCY: '2' });
    await h.startWorker();
    const jobs = [];
    for (let i = 0; i < 3; i += 1)
      jobs.push(await createSingle('owner-a', `d-${i}.dxf`, `ok:${i}`));
    jobs.push(await createSingle('owner-b', 'other.dxf', 'ok:other'));
    await Promise.all(jobs.map((j) => settled(j.id)));
    const snapshot = async () =>
      h!.db.dataSource.query(
        `SELECT id, status::text, attempt, updated_at, reprocess_status FROM extraction_jobs ORDER BY id`,
      );
    const rowsBefore = await snapshot();
    expect(await h.jobs.reprocess({ ownerId: 'owner-a', dryRun: true })).toEqual({
      dryRun: true,
      matched: 3,
      requeued: 0,
    });
    expect(await h.jobs.reprocess({ dryRun: true })).toEqual({
      dryRun: true,
      matched: 4,
      requeued: 0,
    });
    expect(await snapshot()).toEqual(rowsBefore);

    // With the worker gone the reprocess waits; for its owner the job is completed.
    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    expect(await h.jobs.reprocess({ ownerId: 'owner-b' })).toMatchObject({ requeued: 1 });
    const other = jobs[3];
    await expect(h.jobs.cancel(other.id, 'owner-b')).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    const { files } = await h.jobs.delete(other.id, 'owner-b');
    expect(files).toEqual([other.fileUrl]);
    await expect(h.jobs.get(other.id)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  }, 60_000);
});
