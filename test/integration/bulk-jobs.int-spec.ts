import { ExtractionJobService } from '../../src/extraction/jobs/extraction-job.service';
import { CreateBulkInput } from '../../src/extraction/jobs/job.types';
import { InvalidJobInputError, NoFailedJobsError } from '../../src/extraction/jobs/job-errors';
import { createJobServiceHarness, JobServiceHarness } from '../support/job-service-harness';

const files = (n: number): CreateBulkInput['files'] =>
  Array.from({ length: n }, (_, i) => ({
    format: 'dxf' as const,
    filename: `f${i}.dxf`,
    fileUrl: `local://a/b/f${i}.dxf`,
    fileSize: 10,
  }));

describe(`${ExtractionJobService.name} (bulk)`, () => {
  let h: JobServiceHarness;
  let service: ExtractionJobService;

  beforeEach(async () => {
    h = await createJobServiceHarness({ DATABASE_POOL_SIZE: '20' });
    service = h.service;
  });
  afterEach(async () => {
    await h.close();
  });

  const runChild = async (id: string, outcome: 'complete' | 'fail' | 'retryable') => {
    const child = await service.claim({ id, attempt: 0 }, 'w');
    if (!child) throw new Error(`claim of ${id} failed`);
    const ref = { id, attempt: child.attempt };
    if (outcome === 'complete') return service.complete(ref, { ok: true });
    return service.fail(ref, {
      code: 'CORRUPT_FILE',
      message: 'bad',
      retryable: outcome === 'retryable',
    });
  };

  it('creates the parent and one pending child per file at once, and enqueues the children', async () => {
    const { parent, children } = await service.createBulk({
      ownerId: 'user-a',
      files: files(3),
      targetTableId: 't1',
    });
    expect(parent).toMatchObject({
      kind: 'bulk',
      status: 'pending',
      totalItems: 3,
      processedItems: 0,
      failedItems: 0,
      progress: 0,
    });
    expect(children.map((c) => [c.filename, c.status, c.parentJobId, c.targetTableId])).toEqual([
      ['f0.dxf', 'pending', parent.id, 't1'],
      ['f1.dxf', 'pending', parent.id, 't1'],
      ['f2.dxf', 'pending', parent.id, 't1'],
    ]);
    expect(h.dispatcher.dispatched).toEqual(children.map((c) => ({ id: c.id, attempt: 0 })));
    const listed = await service.listChildren(parent.id);
    expect(listed.items.map((c) => c.filename)).toEqual(['f0.dxf', 'f1.dxf', 'f2.dxf']);
    await expect(service.list({ ownerId: 'user-a' })).resolves.toMatchObject({ total: 1 });
  });

  it('stores refused files as failed entries and counts them', async () => {
    const input = files(2);
    input.push({
      format: null,
      filename: 'notes.txt',
      initialError: { code: 'UNSUPPORTED_FORMAT', message: 'Unsupported file type .txt' },
    });
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: input });
    expect(parent).toMatchObject({
      status: 'pending',
      totalItems: 3,
      processedItems: 1,
      failedItems: 1,
    });
    expect(children[2]).toMatchObject({ status: 'failed', errorCode: 'UNSUPPORTED_FORMAT' });
    expect(h.dispatcher.dispatched).toHaveLength(2);
  });

  it('refuses an empty bulk', async () => {
    await expect(service.createBulk({ ownerId: 'user-a', files: [] })).rejects.toBeInstanceOf(
      InvalidJobInputError,
    );
  });

  it('keeps the counters exact when 200 children finish concurrently and finishes the parent once', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(200) });
    const outcomes = children.map((c, i) => runChild(c.id, i % 10 === 0 ? 'fail' : 'complete'));
    await Promise.all(outcomes);
    const done = await service.get(parent.id);
    expect(done).toMatchObject({
      status: 'completed',
      totalItems: 200,
      processedItems: 200,
      failedItems: 20,
      cancelledItems: 0,
      progress: 100,
    });
    expect(done.completedAt).not.toBeNull();
  });

  it('opens the parent when a child starts and fails it when every child failed', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(2) });
    await service.claim({ id: children[0].id, attempt: 0 }, 'w');
    await expect(service.get(parent.id)).resolves.toMatchObject({ status: 'processing' });
    await service.fail(
      { id: children[0].id, attempt: 1 },
      { code: 'X', message: 'x', retryable: false },
    );
    await expect(service.get(parent.id)).resolves.toMatchObject({
      status: 'processing',
      processedItems: 1,
      failedItems: 1,
      progress: 50,
    });
    await runChild(children[1].id, 'fail');
    await expect(service.get(parent.id)).resolves.toMatchObject({
      status: 'failed',
      processedItems: 2,
      failedItems: 2,
    });
  });

  it('does not count a child waiting for a retry as done', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(1) });
    await runChild(children[0].id, 'retryable');
    await expect(service.get(parent.id)).resolves.toMatchObject({
      status: 'processing',
      processedItems: 0,
    });
  });

  it('cancels the active children with the parent and leaves finished ones alone', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(3) });
    await runChild(children[0].id, 'complete');
    await service.claim({ id: children[1].id, attempt: 0 }, 'w');
    const cancelled = await service.cancel(parent.id, 'user-a');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      processedItems: 3,
      cancelledItems: 2,
      failedItems: 0,
    });
    const after = await service.listChildren(parent.id);
    expect(after.items.map((c) => c.status)).toEqual(['completed', 'cancelled', 'cancelled']);
    await expect(service.complete({ id: children[1].id, attempt: 1 }, {})).rejects.toThrow(
      'cancelled',
    );
  });

  it('retries only the failed files, keeps their ids, can be called twice, and then says none failed', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(3) });
    await runChild(children[0].id, 'complete');
    await runChild(children[1].id, 'fail');
    await runChild(children[2].id, 'fail');
    await expect(service.get(parent.id)).resolves.toMatchObject({
      status: 'completed',
      processedItems: 3,
      failedItems: 2,
    });

    const first = await service.retryBulk(parent.id, { ownerId: 'user-a' });
    expect(first.retried.map((r) => r.id).sort()).toEqual([children[1].id, children[2].id].sort());
    expect(first.parent).toMatchObject({ status: 'processing', processedItems: 1, failedItems: 0 });
    const kids = await service.listChildren(parent.id);
    expect(kids.items.map((c) => [c.id, c.status, c.errorCode])).toEqual([
      [children[0].id, 'completed', null],
      [children[1].id, 'pending', null],
      [children[2].id, 'pending', null],
    ]);
    expect(kids.items[0].result).toEqual({ ok: true });

    await service
      .fail({ id: children[1].id, attempt: 1 }, { code: 'X', message: 'x', retryable: false })
      .catch(() => undefined);
    const c1 = await service.claim({ id: children[1].id, attempt: 1 }, 'w');
    await service.fail(
      { id: children[1].id, attempt: c1!.attempt },
      { code: 'X', message: 'again', retryable: false },
    );
    const second = await service.retryBulk(parent.id);
    expect(second.retried).toEqual([{ id: children[1].id, attempt: 2 }]);

    const c1b = await service.claim({ id: children[1].id, attempt: 2 }, 'w');
    await service.complete({ id: children[1].id, attempt: c1b!.attempt }, {});
    const c2 = await service.claim({ id: children[2].id, attempt: 1 }, 'w');
    await service.complete({ id: children[2].id, attempt: c2!.attempt }, {});
    await expect(service.get(parent.id)).resolves.toMatchObject({
      status: 'completed',
      processedItems: 3,
      failedItems: 0,
    });
    await expect(service.retryBulk(parent.id)).rejects.toBeInstanceOf(NoFailedJobsError);
    await expect(service.retryBulk(parent.id)).rejects.toThrow('No failed jobs found');
  });

  it('deletes a settled bulk with its children and returns every stored file', async () => {
    const { parent, children } = await service.createBulk({ ownerId: 'user-a', files: files(2) });
    await service.cancel(parent.id);
    const { files: removed } = await service.delete(parent.id);
    expect(removed.sort()).toEqual(['local://a/b/f0.dxf', 'local://a/b/f1.dxf']);
    await expect(service.get(children[0].id)).rejects.toThrow('not found');
  });

  it('returns the same bulk for a repeated idempotency key', async () => {
    const first = await service.createBulk({
      ownerId: 'user-a',
      files: files(2),
      idempotencyKey: 'bulk-1',
    });
    const again = await service.createBulk({
      ownerId: 'user-a',
      files: files(2),
      idempotencyKey: 'bulk-1',
    });
    expect(again.created).toBe(false);
    expect(again.parent.id).toBe(first.parent.id);
    expect(again.children.map((c) => c.id)).toEqual(first.children.map((c) => c.id));
  });

  describe('batched claims and completions', () => {
    it('claims concurrent messages in one statement, and a message twice in a batch only once', async () => {
      const { parent, children } = await service.createBulk({
        ownerId: 'user-a',
        files: files(3),
      });
      const claims = jest.spyOn(h.repository, 'claim');
      const [a, b, c] = children.map((child) => ({ id: child.id, attempt: 0 }));
      const results = await Promise.all([
        service.claim(a, 'w'), // goes alone; the others wait for it and go together
        service.claim(b, 'w'),
        service.claim(c, 'w'),
        service.claim(c, 'w'),
      ]);
      expect(claims.mock.calls.map(([requests]) => requests.map((r) => r.ref.id))).toEqual([
        [a.id],
        [b.id, c.id, c.id],
      ]);
      expect(results.map((job) => job && [job.id, job.status, job.attempt])).toEqual([
        [a.id, 'processing', 1],
        [b.id, 'processing', 1],
        [c.id, 'processing', 1],
        null,
      ]);
      await expect(service.get(parent.id)).resolves.toMatchObject({ status: 'processing' });
    });

    it('settles children of two bulks in shared statements with exact counters for each', async () => {
      const first = await service.createBulk({ ownerId: 'user-a', files: files(4) });
      const second = await service.createBulk({ ownerId: 'user-a', files: files(3) });
      const children = [...first.children, ...second.children];
      const refs = await Promise.all(
        children.map(async (child) => {
          const job = await service.claim({ id: child.id, attempt: 0 }, 'w');
          return { id: child.id, attempt: job!.attempt };
        }),
      );
      const completions = jest.spyOn(h.repository, 'complete');
      await Promise.all(refs.map((ref) => service.complete(ref, { ok: ref.id })));
      expect(completions.mock.calls.length).toBeLessThan(refs.length);
      for (const [bulk, total] of [
        [first, 4],
        [second, 3],
      ] as const) {
        await expect(service.get(bulk.parent.id)).resolves.toMatchObject({
          status: 'completed',
          totalItems: total,
          processedItems: total,
          failedItems: 0,
          progress: 100,
        });
      }
      const child = await service.get(children[5].id);
      expect(child).toMatchObject({ status: 'completed', result: { ok: children[5].id } });
    });

    it('fails only the completion the database refuses when it shared a statement', async () => {
      const { parent, children } = await service.createBulk({
        ownerId: 'user-a',
        files: files(3),
      });
      const refs = await Promise.all(
        children.map(async (child) => {
          const job = await service.claim({ id: child.id, attempt: 0 }, 'w');
          return { id: child.id, attempt: job!.attempt };
        }),
      );
      // PostgreSQL's jsonb refuses the NUL character: that statement fails as a whole.
      const outcomes = await Promise.allSettled(
        refs.map((ref, i) => service.complete(ref, { text: i === 1 ? 'a\u0000b' : 'fine' })),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/Unicode/);
      await expect(service.get(children[1].id)).resolves.toMatchObject({ status: 'processing' });
      await expect(service.get(parent.id)).resolves.toMatchObject({
        status: 'processing',
        processedItems: 2,
      });
    });
  });
});
