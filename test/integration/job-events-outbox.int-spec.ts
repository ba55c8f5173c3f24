/**
 * The transactional outbox (issue 15): every event is written by the statement that changes the
 * job, so it exists exactly when the change committed.
 */
import { ExtractionJobService } from '../../src/extraction/jobs/extraction-job.service';
import { CreateBulkInput } from '../../src/extraction/jobs/job.types';
import {
  createJobServiceHarness,
  JobServiceHarness,
  newJobInput,
} from '../support/job-service-harness';

interface OutboxRow {
  id: string;
  type: string;
  owner_id: string;
  job_id: string;
  occurred_at: Date;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back, shape asserted below
  data: Record<string, any>;
}

const files = (n: number): CreateBulkInput['files'] =>
  Array.from({ length: n }, (_, i) => ({
    format: 'dxf' as const,
    filename: `f${i}.dxf`,
    fileUrl: `local://a/b/f${i}.dxf`,
    fileSize: 10,
  }));

describe('job events outbox', () => {
  let h: JobServiceHarness;
  let service: ExtractionJobService;

  beforeEach(async () => {
    h = await createJobServiceHarness({ MAX_RETRIES: '1' });
    service = h.service;
  });
  afterEach(async () => {
    await h.close();
  });

  const outbox = async (): Promise<OutboxRow[]> =>
    h.db.dataSource.query(`SELECT * FROM extraction_events ORDER BY seq`);

  const claimed = async (id: string, attempt = 0) => {
    const job = await service.claim({ id, attempt }, 'w');
    if (!job) throw new Error(`claim of ${id} failed`);
    return { id, attempt: job.attempt };
  };

  it('writes job.completed with the job as the API shows it, the result by link', async () => {
    const { job } = await service.create(newJobInput({ targetTableId: 't1' }));
    const ref = await claimed(job.id);
    await service.complete(ref, { big: 'x'.repeat(100) });
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    const [event] = rows;
    expect(event).toMatchObject({ type: 'job.completed', owner_id: 'user-a', job_id: job.id });
    expect(event.occurred_at.toISOString()).toBe(h.clock.now().toISOString());
    expect(event.data.job).toMatchObject({
      id: job.id,
      kind: 'single',
      status: 'completed',
      format: 'dxf',
      target_table_id: 't1',
      progress: 100,
      result: null,
      result_url: `/api/v1/extraction/jobs/${job.id}/result`,
      error_code: null,
      created_at: job.createdAt.toISOString(),
      completed_at: h.clock.now().toISOString(),
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes job.retrying then job.failed with error_code and retryable', async () => {
    const { job } = await service.create(newJobInput());
    const transient = { code: 'TIMEOUT', message: 'slow', retryable: true };
    await service.fail(await claimed(job.id), transient);
    h.clock.advance(3600 * 1000);
    await service.requeueDueRetries(10);
    await service.fail(await claimed(job.id, 1), transient);
    const rows = await outbox();
    expect(rows.map((r) => r.type)).toEqual(['job.retrying', 'job.failed']);
    expect(rows[0].data.error).toEqual({ code: 'TIMEOUT', message: 'slow', retryable: true });
    expect(rows[0].data.job).toMatchObject({ status: 'retrying', retry_count: 1 });
    expect(rows[0].data.job.next_retry_at).not.toBeNull();
    expect(rows[1].data.job).toMatchObject({ status: 'failed', error_code: 'TIMEOUT' });
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  });

  it('writes job.cancelled for a cancelled job', async () => {
    const { job } = await service.create(newJobInput());
    await service.cancel(job.id);
    const rows = await outbox();
    expect(rows.map((r) => [r.type, r.job_id])).toEqual([['job.cancelled', job.id]]);
    expect(rows[0].data.job.status).toBe('cancelled');
  });

  it('writes bulk.completed with counters in the statement that settles the last child', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-b', files: files(3) });
    await service.complete(await claimed(children[0].id), { ok: true });
    await service.fail(await claimed(children[1].id), {
      code: 'CORRUPT_FILE',
      message: 'bad',
      retryable: false,
    });
    // The first counter change writes a bulk.progress; the next, at the same time, none.
    expect((await outbox()).map((r) => r.type)).toEqual([
      'job.completed',
      'bulk.progress',
      'job.failed',
    ]);
    await service.complete(await claimed(children[2].id), { ok: true });
    const rows = await outbox();
    expect(rows.map((r) => r.type)).toEqual([
      'job.completed',
      'bulk.progress',
      'job.failed',
      'job.completed',
      'bulk.completed',
    ]);
    const bulk = rows[4];
    expect(bulk).toMatchObject({ owner_id: 'user-b', job_id: parent.id });
    expect(bulk.data.counters).toEqual({
      total: 3,
      completed: 2,
      failed: 1,
      cancelled: 0,
      pending: 0,
    });
    expect(bulk.data.job).toMatchObject({ kind: 'bulk', status: 'completed', result_url: null });
    expect(rows[2].data.job.parent_job_id).toBe(parent.id);
    expect(rows[1]).toMatchObject({ type: 'bulk.progress', job_id: parent.id });
    expect(rows[1].data.counters).toEqual({
      total: 3,
      completed: 1,
      failed: 0,
      cancelled: 0,
      pending: 2,
    });
  });

  it('writes bulk.progress at most once per second per bulk, from the counter update', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-b', files: files(8) });
    const other = await service.createBulk({ ownerId: 'user-b', files: files(2) });
    // A file settles every 400 ms: progress at 0 s, 1.2 s and 2.4 s (a second or more apart);
    // the last file settles the bulk (bulk.completed, no progress).
    for (const child of children) {
      await service.complete(await claimed(child.id), { ok: true });
      h.clock.advance(400);
    }
    // Another bulk has its own throttle.
    await service.complete(await claimed(other.children[0].id), { ok: true });
    const rows = await outbox();
    const progress = rows.filter((r) => r.type === 'bulk.progress' && r.job_id === parent.id);
    expect(progress.map((r) => r.data.counters.completed)).toEqual([1, 4, 7]);
    expect(
      progress.map((r) => r.occurred_at.getTime() - progress[0].occurred_at.getTime()),
    ).toEqual([0, 1200, 2400]);
    expect(progress[2].data.counters).toEqual({
      total: 8,
      completed: 7,
      failed: 0,
      cancelled: 0,
      pending: 1,
    });
    expect(progress[2].data.job).toMatchObject({
      id: parent.id,
      kind: 'bulk',
      status: 'processing',
    });
    expect(
      rows
        .filter((r) => r.job_id === parent.id)
        .map((r) => r.type)
        .pop(),
    ).toBe('bulk.completed');
    expect(rows.filter((r) => r.job_id === other.parent.id).map((r) => r.type)).toEqual([
      'bulk.progress',
    ]);
  });

  it('writes bulk.failed when no child completed, and job.cancelled for a cancelled bulk', async () => {
    const first = await service.createBulk({ ownerId: 'user-b', files: files(1) });
    await service.fail(await claimed(first.children[0].id), {
      code: 'CORRUPT_FILE',
      message: 'bad',
      retryable: false,
    });
    const second = await service.createBulk({ ownerId: 'user-b', files: files(2) });
    await service.cancel(second.parent.id);
    const rows = await outbox();
    expect(rows.map((r) => [r.type, r.job_id])).toEqual([
      ['job.failed', first.children[0].id],
      ['bulk.failed', first.parent.id],
      ['job.cancelled', second.children[0].id],
      ['job.cancelled', second.children[1].id],
      ['job.cancelled', second.parent.id],
    ]);
    expect(rows[1].data.counters).toMatchObject({ total: 1, completed: 0, failed: 1 });
  });

  it('writes no event for a change that does not commit, nor for a refused one', async () => {
    const { job } = await service.create(newJobInput());
    const ref = await claimed(job.id);
    // A result the database refuses aborts the completion statement: no change, no event.
    await expect(
      h.repository.complete([{ ref, resultJson: '{not json', resultPath: null }], h.clock.now()),
    ).rejects.toThrow();
    // A change inside a transaction that rolls back leaves no event either.
    await expect(
      h.db.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE extraction_jobs SET status = 'completed' WHERE id = $1 RETURNING id`,
          [job.id],
        );
        await manager.query(
          `INSERT INTO extraction_events (type, owner_id, job_id, occurred_at, data)
           VALUES ('job.completed', 'user-a', $1, now(), '{}')`,
          [job.id],
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // A stale attempt is refused (zero rows): no event.
    await expect(service.complete({ id: job.id, attempt: 99 }, {})).rejects.toThrow();
    expect(await outbox()).toEqual([]);
    await expect(service.get(job.id)).resolves.toMatchObject({ status: 'processing' });
    await service.complete(ref, {});
    expect((await outbox()).map((r) => r.type)).toEqual(['job.completed']);
  });

  it('writes one event per job of a completion batch, in the one batch statement', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 8 }, async () => (await service.create(newJobInput())).job),
    );
    const refs = await Promise.all(jobs.map((j) => claimed(j.id)));
    const answers = await h.repository.complete(
      refs.map((ref) => ({ ref, resultJson: '{}', resultPath: null })),
      h.clock.now(),
    );
    expect(answers.every((a) => a !== null)).toBe(true);
    expect((await outbox()).map((r) => r.job_id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });
});
