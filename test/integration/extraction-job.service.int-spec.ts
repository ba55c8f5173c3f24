import { ExtractionJobService } from '../../src/extraction/jobs/extraction-job.service';
import {
  InvalidTransitionError,
  JobNotFailedError,
  JobNotFoundError,
  RetriesExhaustedError,
} from '../../src/extraction/jobs/job-errors';
import {
  createJobServiceHarness,
  JobServiceHarness,
  newJobInput,
} from '../support/job-service-harness';

const permanent = { code: 'CORRUPT_FILE', message: 'bad file', retryable: false };
const transient = { code: 'TIMEOUT', message: 'took too long', retryable: true };

describe(ExtractionJobService.name, () => {
  let h: JobServiceHarness;
  let service: ExtractionJobService;

  beforeEach(async () => {
    h = await createJobServiceHarness();
    service = h.service;
  });
  afterEach(async () => {
    await h.close();
  });

  const claimed = async (input = newJobInput()) => {
    const { job } = await service.create(input);
    const running = await service.claim({ id: job.id, attempt: job.attempt }, 'worker-1');
    if (!running) throw new Error('claim failed');
    return running;
  };

  describe('create', () => {
    it('creates a pending job with the original defaults and enqueues it after commit', async () => {
      const { job, created } = await service.create(newJobInput({ targetTableId: 'tbl-1' }));
      expect(created).toBe(true);
      expect(job).toMatchObject({
        status: 'pending',
        retryCount: 0,
        maxRetries: 3,
        progress: 0,
        attempt: 0,
        kind: 'single',
        targetTableId: 'tbl-1',
      });
      expect(job.startedAt).toBeNull();
      expect(job.errorCode).toBeNull();
      expect(job.errorMessage).toBeNull();
      expect(h.dispatcher.dispatched).toEqual([{ id: job.id, attempt: 0 }]);
    });

    it('keeps the job pending when the queue is unreachable', async () => {
      h.dispatcher.failNext = true;
      const { job } = await service.create(newJobInput());
      await expect(service.get(job.id)).resolves.toMatchObject({ status: 'pending' });
      expect(h.dispatcher.dispatched).toEqual([]);
    });

    it('returns the existing job for a repeated idempotency key', async () => {
      const input = newJobInput({ idempotencyKey: 'key-1', contentSha256: 'a'.repeat(64) });
      const first = await service.create(input);
      // A fresh upload of the same file lands under another storage URL: still the same request.
      const second = await service.create({ ...input, fileUrl: 'local://user-a/other/x.dxf' });
      expect(second.created).toBe(false);
      expect(second.job.id).toBe(first.job.id);
    });

    it('refuses a repeated idempotency key with a different request (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      const input = newJobInput({ idempotencyKey: 'key-2', contentSha256: 'a'.repeat(64) });
      const first = await service.create(input);
      for (const change of [
        { format: 'pdf' as const },
        { contentSha256: 'b'.repeat(64) },
        { filename: 'other.dxf' },
        { options: { extract_text: false } },
      ]) {
        await expect(service.create({ ...input, ...change })).rejects.toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
          details: { job_id: first.job.id },
        });
      }
      const rows: { n: number }[] = await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM extraction_jobs`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('scopes idempotency keys per route kind: the key of a job does not name a bulk', async () => {
      const single = await service.create(newJobInput({ idempotencyKey: 'shared-key' }));
      const bulk = await service.createBulk({
        ownerId: 'user-a',
        idempotencyKey: 'shared-key',
        files: [{ format: 'dxf', filename: 'b.dxf', fileUrl: 'local://user-a/b/b.dxf' }],
      });
      expect(bulk.created).toBe(true);
      expect(bulk.parent.kind).toBe('bulk');
      expect(bulk.parent.id).not.toBe(single.job.id);
      expect(bulk.children).toHaveLength(1);
      await expect(
        service.createBulk({
          ownerId: 'user-a',
          idempotencyKey: 'shared-key',
          files: [{ format: 'dxf', filename: 'c.dxf', fileUrl: 'local://user-a/b/c.dxf' }],
        }),
      ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('refuses options over 64 KB at creation', async () => {
      await expect(
        service.create(newJobInput({ options: { pad: 'x'.repeat(65 * 1024) } })),
      ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
      await expect(
        service.createBulk({
          ownerId: 'user-a',
          files: [{ format: 'dxf', filename: 'b.dxf', options: { pad: 'x'.repeat(65 * 1024) } }],
        }),
      ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    });

    it('answers a create whose live attachment job keeps settling with a job, never an error', async () => {
      const link = { recordId: 'rec-busy', attachmentId: 'att-busy' };
      // Another client wins every insert and its job settles before this create can read it.
      const insert = h.repository.insertIfAbsent.bind(h.repository);
      const find = h.repository.findConflicting.bind(h.repository);
      let peer: string | null = null;
      jest.spyOn(h.repository, 'insertIfAbsent').mockImplementation(async (job, now, runner) => {
        h.clock.advance(1000);
        const won = await insert(
          { ...newJobInput(link), kind: 'single', maxRetries: 3 },
          h.clock.now(),
        );
        peer = won?.id ?? null;
        return insert(job, h.clock.now(), runner);
      });
      jest.spyOn(h.repository, 'findConflicting').mockImplementation(async (job, runner, opts) => {
        if (peer && !opts?.anyStatus) await service.cancel(peer);
        return find(job, runner, opts);
      });
      const outcome = await service.create(newJobInput(link));
      expect(outcome.created).toBe(false);
      expect(outcome.job).toMatchObject({ recordId: 'rec-busy', attachmentId: 'att-busy' });
      expect(outcome.job.id).toBe(peer);
    });

    it('creates exactly one row for concurrent creates with one idempotency key', async () => {
      const input = newJobInput({ idempotencyKey: 'same' });
      const results = await Promise.all(Array.from({ length: 20 }, () => service.create(input)));
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const rows: { n: number }[] = await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM extraction_jobs`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('returns the live job for the same record and attachment, and allows a new one once it settled', async () => {
      const link = { recordId: 'rec-1', attachmentId: 'att-1' };
      const first = await service.create(newJobInput(link));
      const again = await service.create(newJobInput(link));
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      await service.cancel(first.job.id);
      const fresh = await service.create(newJobInput(link));
      expect(fresh.created).toBe(true);
      expect(fresh.job.id).not.toBe(first.job.id);
      await expect(service.getByAttachment('att-1', 'rec-1')).resolves.toMatchObject({
        id: fresh.job.id,
      });
    });

    it('finds a job by its file url', async () => {
      const { job } = await service.create(newJobInput({ fileUrl: 'local://u/j/x.pdf' }));
      await expect(service.getByFileUrl('local://u/j/x.pdf')).resolves.toMatchObject({
        id: job.id,
      });
      await expect(service.getByFileUrl('local://nothing')).resolves.toBeNull();
    });
  });

  describe('reads', () => {
    it('filters by status and format and pages with no overlap and a stable total', async () => {
      for (let i = 0; i < 7; i += 1) {
        await service.create(newJobInput({ format: i % 2 === 0 ? 'dxf' : 'pdf' }));
        h.clock.advance(1000);
      }
      await service.create(newJobInput({ ownerId: 'user-b' }));
      const cancelled = await service.create(newJobInput());
      await service.cancel(cancelled.job.id);

      const pages = [1, 2, 3].map((page) => service.list({ ownerId: 'user-a', page, pageSize: 3 }));
      const [p1, p2, p3] = await Promise.all(pages);
      expect([p1.total, p2.total, p3.total]).toEqual([8, 8, 8]);
      const ids = [...p1.items, ...p2.items, ...p3.items].map((j) => j.id);
      expect(ids).toHaveLength(8);
      expect(new Set(ids).size).toBe(8);
      expect(p1.items[0].id).toBe(cancelled.job.id);

      await expect(service.list({ ownerId: 'user-a', format: 'pdf' })).resolves.toMatchObject({
        total: 3,
      });
      await expect(service.list({ ownerId: 'user-a', status: 'cancelled' })).resolves.toMatchObject(
        { total: 1 },
      );
      await expect(service.list({ ownerId: 'user-b' })).resolves.toMatchObject({ total: 1 });
    });

    it('scopes get to the owner', async () => {
      const { job } = await service.create(newJobInput());
      await expect(service.get(job.id, 'user-b')).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(service.get(job.id, 'user-a')).resolves.toMatchObject({ id: job.id });
    });

    it('counts jobs by status with the retryable ones', async () => {
      await service.create(newJobInput());
      const r = await claimed();
      await service.fail({ id: r.id, attempt: r.attempt }, transient);
      const f = await claimed();
      await service.fail({ id: f.id, attempt: f.attempt }, permanent);
      let stats = await service.stats('user-a');
      expect(stats).toMatchObject({ total: 3, retryable: 0 });
      expect(stats.byStatus).toMatchObject({ pending: 1, retrying: 1, failed: 1, completed: 0 });
      h.clock.advance(60_000);
      stats = await service.stats();
      expect(stats.retryable).toBe(1);
    });
  });

  describe('claim and fencing', () => {
    it('lets exactly one of two concurrent claims win', async () => {
      const { job } = await service.create(newJobInput());
      const ref = { id: job.id, attempt: job.attempt };
      const results = await Promise.all([service.claim(ref, 'w1'), service.claim(ref, 'w2')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const row = await service.get(job.id);
      expect(row).toMatchObject({ status: 'processing', attempt: 1 });
      expect(row.startedAt).toEqual(h.clock.now());
      expect(row.leaseExpiresAt).toEqual(new Date(h.clock.now().getTime() + 120_000));
    });

    it('refuses a message for an older attempt', async () => {
      const { job } = await service.create(newJobInput());
      await expect(service.claim({ id: job.id, attempt: 5 }, 'w')).resolves.toBeNull();
    });

    it('keeps a zombie attempt from completing or failing a re-claimed job', async () => {
      const first = await claimed();
      const zombie = { id: first.id, attempt: first.attempt };
      h.clock.advance(121_000);
      const recovered = await service.recoverExpiredLeases(10);
      expect(recovered.map((j) => [j.id, j.status, j.errorCode])).toEqual([
        [first.id, 'retrying', 'WORKER_LOST'],
      ]);
      h.clock.advance(60_000);
      const [requeued] = await service.requeueDueRetries(10);
      const second = await service.claim(requeued, 'worker-2');
      expect(second).toMatchObject({ attempt: 2, status: 'processing' });

      await expect(service.complete(zombie, { stale: true })).rejects.toBeInstanceOf(
        InvalidTransitionError,
      );
      await expect(service.fail(zombie, permanent)).rejects.toBeInstanceOf(InvalidTransitionError);
      await expect(service.heartbeat(zombie)).resolves.toBe(false);
      await expect(service.updateProgress(zombie, 50)).resolves.toBe(false);

      await service.complete({ id: first.id, attempt: 2 }, { fresh: true });
      const done = await service.get(first.id);
      expect(done).toMatchObject({ status: 'completed', result: { fresh: true }, progress: 100 });
    });

    it('does not treat a lease renewed in time as lost', async () => {
      const job = await claimed();
      h.clock.advance(100_000);
      await expect(service.heartbeat({ id: job.id, attempt: job.attempt })).resolves.toBe(true);
      h.clock.advance(100_000);
      await expect(service.recoverExpiredLeases(10)).resolves.toEqual([]);
    });
  });

  describe('progress and completion', () => {
    it('records progress and completes with the result and duration', async () => {
      const job = await claimed();
      const ref = { id: job.id, attempt: job.attempt };
      await expect(service.updateProgress(ref, 42.123)).resolves.toBe(true);
      await expect(service.get(job.id)).resolves.toMatchObject({ progress: 42.12 });
      h.clock.advance(2500);
      const done = await service.complete(ref, { success: true });
      expect(done).toMatchObject({
        status: 'completed',
        progress: 100,
        durationMs: 2500,
        result: { success: true },
      });
      expect(done.completedAt).toEqual(h.clock.now());
      await expect(service.get(job.id)).resolves.toMatchObject({
        status: 'completed',
        result: { success: true },
      });
      await expect(service.complete(ref, {})).rejects.toBeInstanceOf(InvalidTransitionError);
    });
  });

  describe('fail and retry sweep', () => {
    it('backs off exponentially, is picked up only when due, and ends failed after max_retries', async () => {
      const { job } = await service.create(newJobInput());
      let ref = { id: job.id, attempt: job.attempt };
      const delays: number[] = [];
      for (let n = 1; n <= 3; n += 1) {
        const running = await service.claim(ref, 'w');
        expect(running).not.toBeNull();
        const failed = await service.fail({ id: job.id, attempt: running!.attempt }, transient);
        expect(failed).toMatchObject({ status: 'retrying', retryCount: n, errorCode: 'TIMEOUT' });
        const delay = failed.nextRetryAt!.getTime() - h.clock.now().getTime();
        delays.push(delay / 1000);
        h.clock.advance(delay - 1);
        await expect(service.requeueDueRetries(10)).resolves.toEqual([]);
        h.clock.advance(1);
        const due = await service.requeueDueRetries(10);
        expect(due).toEqual([{ id: job.id, attempt: running!.attempt }]);
        ref = due[0];
      }
      expect(delays).toEqual([60, 120, 240]);
      const last = await service.claim(ref, 'w');
      const failed = await service.fail({ id: job.id, attempt: last!.attempt }, transient);
      expect(failed).toMatchObject({
        status: 'failed',
        retryCount: 3,
        errorCode: 'TIMEOUT',
        errorMessage: 'took too long',
      });
      expect(failed.nextRetryAt).toBeNull();
    });

    it('caps the backoff', async () => {
      const capped = await createJobServiceHarness({
        RETRY_BASE_SECONDS: '100',
        RETRY_CAP_SECONDS: '150',
        MAX_RETRIES: '5',
      });
      try {
        const { job } = await capped.service.create(newJobInput());
        let ref = { id: job.id, attempt: 0 };
        const delays: number[] = [];
        for (let n = 1; n <= 3; n += 1) {
          const running = await capped.service.claim(ref, 'w');
          const failed = await capped.service.fail(
            { id: job.id, attempt: running!.attempt },
            transient,
          );
          delays.push((failed.nextRetryAt!.getTime() - capped.clock.now().getTime()) / 1000);
          capped.clock.advance(1_000_000);
          ref = (await capped.service.requeueDueRetries(10))[0];
        }
        expect(delays).toEqual([100, 150, 150]);
      } finally {
        await capped.close();
      }
    });

    it('fails a permanent error at once and the sweep never picks it up', async () => {
      const job = await claimed();
      const failed = await service.fail({ id: job.id, attempt: job.attempt }, permanent);
      expect(failed).toMatchObject({ status: 'failed', retryCount: 0, errorCode: 'CORRUPT_FILE' });
      h.clock.advance(10 * 86_400_000);
      await expect(service.requeueDueRetries(100)).resolves.toEqual([]);
      await expect(service.get(job.id)).resolves.toMatchObject({ status: 'failed' });
    });
  });

  describe('manual retry', () => {
    it('puts a failed job back to pending and enqueues it', async () => {
      const job = await claimed();
      await service.fail({ id: job.id, attempt: job.attempt }, permanent);
      const retried = await service.retry(job.id, { ownerId: 'user-a' });
      expect(retried).toMatchObject({
        status: 'pending',
        retryCount: 1,
        errorCode: null,
        errorMessage: null,
      });
      expect(h.dispatcher.dispatched.at(-1)).toEqual({ id: job.id, attempt: 1 });
    });

    it('refuses a job that is not failed', async () => {
      const { job } = await service.create(newJobInput());
      await expect(service.retry(job.id)).rejects.toBeInstanceOf(JobNotFailedError);
      await expect(service.retry(job.id)).rejects.toThrow('not in failed state');
    });

    it('refuses exhausted retries unless forced', async () => {
      const job = await claimed(newJobInput({ maxRetries: 0 }));
      await service.fail({ id: job.id, attempt: job.attempt }, transient);
      await expect(service.retry(job.id)).rejects.toBeInstanceOf(RetriesExhaustedError);
      await expect(service.retry(job.id)).rejects.toThrow('exhausted');
      await expect(service.retry(job.id, { force: true })).resolves.toMatchObject({
        status: 'pending',
      });
    });

    it('answers not found for an unknown job or another owner', async () => {
      await expect(service.retry('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(
        JobNotFoundError,
      );
      const { job } = await service.create(newJobInput());
      await expect(service.retry(job.id, { ownerId: 'user-b' })).rejects.toBeInstanceOf(
        JobNotFoundError,
      );
    });
  });

  describe('cancel, recover, release and delete', () => {
    it('cancels active jobs and refuses settled ones', async () => {
      const job = await claimed();
      const cancelled = await service.cancel(job.id);
      expect(cancelled).toMatchObject({ status: 'cancelled' });
      await expect(
        service.complete({ id: job.id, attempt: job.attempt }, {}),
      ).rejects.toBeInstanceOf(InvalidTransitionError);
      await expect(service.cancel(job.id)).rejects.toBeInstanceOf(InvalidTransitionError);
    });

    it('recovers a stuck job under a new attempt', async () => {
      const job = await claimed();
      h.clock.advance(31 * 60_000);
      await expect(service.findStuck(30)).resolves.toHaveLength(1);
      const recovered = await service.recover(job.id);
      expect(recovered).toMatchObject({ status: 'pending', attempt: 1 });
      await expect(service.complete({ id: job.id, attempt: 1 }, {})).rejects.toBeInstanceOf(
        InvalidTransitionError,
      );
      await expect(service.claim({ id: job.id, attempt: 1 }, 'w2')).resolves.toMatchObject({
        attempt: 2,
      });
      await expect(service.findStuck(30)).resolves.toHaveLength(0);
    });

    it('releases a running attempt back to pending and enqueues it', async () => {
      const job = await claimed();
      await expect(service.release({ id: job.id, attempt: job.attempt })).resolves.toMatchObject({
        status: 'pending',
        attempt: 1,
      });
      expect(h.dispatcher.dispatched.at(-1)).toEqual({ id: job.id, attempt: 1 });
      await expect(service.release({ id: job.id, attempt: job.attempt })).resolves.toBeNull();
    });

    it('deletes settled jobs and returns their files, refusing active ones', async () => {
      const { job } = await service.create(newJobInput({ fileUrl: 'local://a/1/f.dxf' }));
      await expect(service.delete(job.id)).rejects.toBeInstanceOf(InvalidTransitionError);
      await service.cancel(job.id);
      await expect(service.delete(job.id, 'user-b')).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(service.delete(job.id)).resolves.toEqual({ files: ['local://a/1/f.dxf'] });
      await expect(service.get(job.id)).rejects.toBeInstanceOf(JobNotFoundError);
    });
  });

  describe('cleanup', () => {
    it('removes completed and cancelled jobs strictly older than the retention; dry run only counts', async () => {
      const done = await claimed();
      await service.complete({ id: done.id, attempt: done.attempt }, {});
      const { job: cancelled } = await service.create(newJobInput());
      await service.cancel(cancelled.id);
      const failed = await claimed();
      await service.fail({ id: failed.id, attempt: failed.attempt }, permanent);
      await service.create(newJobInput());
      await claimed();

      h.clock.advance(30 * 86_400_000);
      // exactly at the limit: kept
      await expect(service.cleanup({ olderThanDays: 30, dryRun: true })).resolves.toEqual({
        count: 0,
        files: [],
      });
      h.clock.advance(1);
      await expect(service.cleanup({ olderThanDays: 30, dryRun: true })).resolves.toEqual({
        count: 2,
        files: [],
      });
      await expect(service.stats()).resolves.toMatchObject({ total: 5 });
      const result = await service.cleanup({ olderThanDays: 30 });
      expect(result.count).toBe(2);
      expect(result.files).toHaveLength(2);
      const stats = await service.stats();
      expect(stats.byStatus).toMatchObject({
        completed: 0,
        cancelled: 0,
        failed: 1,
        pending: 1,
        processing: 1,
      });
    });
  });

  describe('reconciliation', () => {
    it('re-enqueues stale pending jobs whose message is gone', async () => {
      h.dispatcher.failNext = true;
      const { job: lost } = await service.create(newJobInput());
      const { job: queued } = await service.create(newJobInput());
      h.clock.advance(119_000);
      await expect(service.reconcileStalePending(120, 10, async () => false)).resolves.toEqual([]);
      h.clock.advance(2000);
      const isQueued = async (ref: { id: string }) => ref.id === queued.id;
      await expect(service.reconcileStalePending(120, 10, isQueued)).resolves.toEqual([
        { id: lost.id, attempt: 0 },
      ]);
      // touched: the next sweep does not look at them again at once
      await expect(service.reconcileStalePending(120, 10, async () => false)).resolves.toEqual([]);
    });
  });
});
