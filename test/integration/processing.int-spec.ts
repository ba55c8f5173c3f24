import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkExtractionService } from '../../src/extraction/processing/bulk-extraction.service';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';

interface Snapshot {
  total: number;
  processed: number;
  failed: number;
  cancelled: number;
  status: string;
  kids_settled: number;
  kids_failed: number;
  kids_completed: number;
  kids_open: number;
  bad_progress: number;
}

/** Parent counters and children read in one statement, so both come from one snapshot. */
async function snapshot(h: PipelineHarness, parentId: string): Promise<Snapshot> {
  const rows: Snapshot[] = await h.db.dataSource.query(
    `SELECT p.total_items AS total, p.processed_items AS processed, p.failed_items AS failed,
            p.cancelled_items AS cancelled, p.status::text AS status,
            count(c.id) FILTER (WHERE c.status IN ('completed', 'failed', 'cancelled'))::int AS kids_settled,
            count(c.id) FILTER (WHERE c.status = 'failed')::int AS kids_failed,
            count(c.id) FILTER (WHERE c.status = 'completed')::int AS kids_completed,
            count(c.id) FILTER (WHERE c.status IN ('pending', 'processing', 'retrying'))::int AS kids_open,
            count(c.id) FILTER (WHERE c.progress < 0 OR c.progress > 100 OR (c.status = 'completed' AND c.progress <> 100))::int AS bad_progress
     FROM extraction_jobs p LEFT JOIN extraction_jobs c ON c.parent_job_id = p.id
     WHERE p.id = $1 GROUP BY p.id`,
    [parentId],
  );
  return rows[0];
}

function expectExact(s: Snapshot): void {
  expect(s.processed).toBe(s.kids_settled);
  expect(s.failed).toBe(s.kids_failed);
  expect(s.processed - s.failed - s.cancelled).toBe(s.kids_completed);
  expect(s.kids_completed + s.kids_failed + s.cancelled + s.kids_open).toBe(s.total);
  expect(s.bad_progress).toBe(0);
}

const traceLog = () => join(mkdtempSync(join(tmpdir(), 'trace-')), 'extractor.log');
const traces = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [event, file, pid, at] = line.split(' ');
          return { event, file, pid: Number(pid), at: Number(at) };
        })
    : [];

describe(BulkExtractionService.name, () => {
  let h: PipelineHarness;

  afterEach(async () => {
    await h?.close();
  });

  it('completes a bulk of 50 files with exact counters and per-file progress at every poll', async () => {
    h = await createPipelineHarness();
    const worker = await h.startWorker();
    const { parent } = await h.createBulk(
      Array.from({ length: 50 }, (_, i) => `sleep:${50 + (i % 5) * 40}`),
    );
    let polls = 0;
    const done = await h.waitFor('the bulk to finish', async () => {
      const s = await snapshot(h, parent.id);
      expectExact(s);
      polls += 1;
      return s.status === 'completed' ? s : null;
    });
    expect(done).toMatchObject({ total: 50, processed: 50, failed: 0, kids_completed: 50 });
    expect(polls).toBeGreaterThan(3);
    const child = (await h.jobs.listChildren(parent.id)).items[7];
    expect(child).toMatchObject({
      status: 'completed',
      progress: 100,
      result: { success: true, metadata: { command: 'sleep:130' } },
    });

    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toContain('extraction_jobs_finished_total{format="dxf",status="completed"} 50');
    expect(metrics).toContain(
      'extraction_processing_duration_seconds_count{format="dxf",status="completed"} 50',
    );
    expect(metrics).toMatch(/extraction_sweep_runs_total\{sweep="reconcile",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/extraction_queue_depth\{state="waiting"\} 0/);
    const ready = await fetch(`http://127.0.0.1:${worker.port}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        redis: { status: 'up' },
        storage: { status: 'up', driver: 'local' },
      },
    });
  });

  it('recycles the extractor thread a spiking file left holding memory, and counts it in /metrics', async () => {
    h = await createPipelineHarness({ EXTRACTOR_MEMORY_MB: '512', EXTRACTOR_RECYCLE_MB: '200' });
    const worker = await h.startWorker();
    const { parent } = await h.createBulk(['spike:250', 'ok:a', 'ok:b']);
    const done = await h.waitFor('the bulk to finish', async () => {
      const s = await snapshot(h, parent.id);
      return s.status === 'completed' ? s : null;
    });
    expect(done).toMatchObject({ total: 3, processed: 3, failed: 0, kids_completed: 3 });
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toContain('extraction_extractor_threads_recycled_total{reason="spike"} 1');
    expect(metrics).not.toContain(
      'extraction_extractor_threads_recycled_total{reason="over_budget"}',
    );
  });

  it('retries a failing file at the backoff time until max_retries, and fails a permanent error at once', async () => {
    h = await createPipelineHarness({ MAX_RETRIES: '2' });
    await h.startWorker();
    const { parent, children } = await h.createBulk(['fail:retryable', 'fail:permanent', 'ok']);
    const [flaky, broken] = children;
    const permanent = await h.waitFor('the permanent failure', async () => {
      const job = await h.jobs.get(broken.id);
      return job.status === 'failed' ? job : null;
    });
    expect(permanent).toMatchObject({
      retryCount: 0,
      errorCode: 'CORRUPT_FILE',
      errorMessage: 'test file file-001.dxf is corrupt',
    });

    const retrying = await h.waitFor('the first retry to be scheduled', async () => {
      const job = await h.jobs.get(flaky.id);
      return job.status === 'retrying' ? job : null;
    });
    expect(retrying.retryCount).toBe(1);
    expect(retrying.nextRetryAt!.getTime() - retrying.updatedAt.getTime()).toBe(1000);

    const failed = await h.waitFor(
      'retries to run out',
      async () => {
        const job = await h.jobs.get(flaky.id);
        return job.status === 'failed' ? job : null;
      },
      20_000,
    );
    expect(failed).toMatchObject({ retryCount: 2, errorCode: 'PROVIDER_UNAVAILABLE', attempt: 3 });
    expect(failed.errorMessage).toContain('test provider unavailable');
    const s = await snapshot(h, parent.id);
    expect(s).toMatchObject({ status: 'completed', processed: 3, failed: 2 });
  });

  it('recovers every file after a worker is SIGKILLed mid-bulk, without two workers on one file', async () => {
    const log = traceLog();
    h = await createPipelineHarness({ TEST_EXTRACTOR_LOG: log });
    const first = await h.startWorker();
    const { parent, children } = await h.createBulk(Array.from({ length: 12 }, () => 'sleep:1500'));
    await h.waitFor(
      'files to be running',
      async () => traces(log).filter((t) => t.event === 'start').length >= 4,
    );
    await first.stop('SIGKILL');
    const killedAt = Date.now();
    const second = await h.startWorker();

    const done = await h.waitFor(
      'the bulk to finish',
      async () => {
        const s = await snapshot(h, parent.id);
        expectExact(s);
        return s.status === 'completed' ? s : null;
      },
      60_000,
    );
    expect(done).toMatchObject({ processed: 12, failed: 0 });

    const events = traces(log);
    const interrupted = new Set(
      events.filter((t) => t.pid === first.pid && t.event === 'start').map((t) => t.file),
    );
    const finishedByFirst = new Set(
      events.filter((t) => t.pid === first.pid && t.event === 'end').map((t) => t.file),
    );
    for (const file of finishedByFirst) interrupted.delete(file);
    expect(interrupted.size).toBeGreaterThan(0);
    for (const file of interrupted) {
      // the second worker started it only after the first one was gone
      const restarts = events.filter(
        (t) => t.file === file && t.pid === second.pid && t.event === 'start',
      );
      expect(restarts.length).toBeGreaterThanOrEqual(1);
      for (const r of restarts) expect(r.at).toBeGreaterThanOrEqual(killedAt);
    }
    const kids = (await h.jobs.listChildren(parent.id)).items;
    for (const kid of kids) {
      expect(kid.status).toBe('completed');
      const byWorker = kid.result?.metadata as { pid: number };
      if (interrupted.has(kid.filename!)) {
        expect(byWorker.pid).toBe(second.pid);
        expect(kid.retryCount).toBe(1);
      }
    }
    expect(kids.map((k) => k.id).sort()).toEqual(children.map((c) => c.id).sort());
  });

  it('aborts running files on cancel and completes nothing afterwards', async () => {
    const log = traceLog();
    h = await createPipelineHarness({ TEST_EXTRACTOR_LOG: log, WORKER_CONCURRENCY: '2' });
    await h.startWorker();
    const { parent } = await h.createBulk([
      'ok',
      'ok',
      'sleep:6000',
      'sleep:6000',
      'sleep:6000',
      'sleep:6000',
    ]);
    await h.waitFor(
      'slow files to run',
      async () =>
        traces(log).filter((t) => t.event === 'start' && t.file >= 'file-002').length >= 2,
    );
    const cancelledAt = new Date();
    const cancelled = await h.jobs.cancel(parent.id);
    expect(cancelled.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 3000));
    const kids = (await h.jobs.listChildren(parent.id)).items;
    expect(kids.map((k) => k.status)).toEqual([
      'completed',
      'completed',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    for (const kid of kids.filter((k) => k.status === 'completed'))
      expect(kid.completedAt!.getTime()).toBeLessThanOrEqual(cancelledAt.getTime());
    expect(traces(log).filter((t) => t.event === 'end' && t.file >= 'file-002')).toEqual([]);
    expectExact(await snapshot(h, parent.id));
  });

  it('stops a hanging extractor by the timeout and fails a crashing one, keeping the worker responsive', async () => {
    h = await createPipelineHarness({
      EXTRACTION_TIMEOUT_SECONDS: '5',
      MAX_RETRIES: '0',
      LEASE_SECONDS: '5',
      EXTRACTOR_MEMORY_MB: '64',
    });
    const worker = await h.startWorker();
    const { parent } = await h.createBulk(['hang', 'crash', 'oom', 'ok']);
    let worst = 0;
    const done = await h.waitFor('the bulk to finish', async () => {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${worker.port}/health/live`);
      expect(res.status).toBe(200);
      worst = Math.max(worst, Date.now() - started);
      const s = await snapshot(h, parent.id);
      return s.processed === 4 ? s : null;
    });
    expect(done).toMatchObject({ status: 'completed', failed: 3 });
    const kids = (await h.jobs.listChildren(parent.id)).items;
    expect(kids.map((k) => [k.status, k.errorCode])).toEqual([
      ['failed', 'TIMEOUT'],
      ['failed', 'EXTRACTOR_CRASHED'],
      ['failed', 'EXTRACTOR_OUT_OF_MEMORY'],
      ['completed', null],
    ]);
    expect(worst).toBeLessThan(500);
    expect(worker.proc.exitCode).toBeNull();
  });

  it('hands unfinished files back on SIGTERM and loses nothing', async () => {
    const log = traceLog();
    h = await createPipelineHarness({
      TEST_EXTRACTOR_LOG: log,
      SHUTDOWN_GRACE_SECONDS: '1',
      WORKER_CONCURRENCY: '2',
    });
    const first = await h.startWorker();
    const { parent } = await h.createBulk(['sleep:400', 'sleep:8000', 'sleep:8000', 'ok']);
    await h.waitFor(
      'slow files to run',
      async () => traces(log).filter((t) => t.event === 'start' && t.pid === first.pid).length >= 2,
    );
    // Nest re-raises the signal once it has shut down cleanly, so the exit is by SIGTERM.
    const exit = await first.stop('SIGTERM');
    expect(exit).toBe('SIGTERM');
    expect(first.output()).toMatch(/Shutting down \(SIGTERM\): [12] file\(s\) running/);
    expect(first.output()).toContain('Handed back');
    const handedBack = (await h.jobs.listChildren(parent.id)).items.filter(
      (k) => k.status === 'pending',
    );
    expect(handedBack.length).toBeGreaterThan(0);
    for (const kid of handedBack) expect(kid.retryCount).toBe(0);

    await h.startWorker();
    const done = await h.waitFor(
      'the bulk to finish',
      async () => {
        const s = await snapshot(h, parent.id);
        return s.status === 'completed' ? s : null;
      },
      30_000,
    );
    expect(done).toMatchObject({ processed: 4, failed: 0 });
  });
});
