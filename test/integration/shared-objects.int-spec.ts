/**
 * Identical uploads of an owner share one stored object (issue 16). An object goes only with the
 * last job naming it, also when a job taking a reference and the deletion of the last other job
 * naming it run at the same moment: the two are interleaved deterministically here, one side held
 * inside an open transaction while the other waits on its row lock.
 */
import { createHash } from 'node:crypto';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { ExtractionJobRepository } from '../../src/extraction/persistence/extraction-job.repository';
import { JobDatabase } from '../../src/extraction/persistence/job-database';
import { deleteStoredFiles } from '../../src/storage';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('Shared stored objects', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await createPipelineHarness(); // no worker: the jobs are settled by cancelling them
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A job of `owner` for a fresh upload of `content`, sharing an earlier object when there is one. */
  async function upload(owner: string, name: string, content: string): Promise<ExtractionJob> {
    const own = await h.storeFile(name, content);
    const { job } = await h.jobs.create({
      ownerId: owner,
      format: 'dxf',
      filename: name,
      fileUrl: own,
      shareStoredContent: true,
      contentSha256: sha256(content),
    });
    // As the API does: a copy the job does not name goes.
    if (job.fileUrl !== own) await h.storage.delete(h.storage.keyFromUrl(own));
    return job;
  }

  const settle = async (job: ExtractionJob) => h.jobs.cancel(job.id);
  const exists = (url: string) => h.storage.exists(h.storage.keyFromUrl(url));
  /** Deletes a job as DELETE /jobs/{id} does: the row, then the objects nobody names any more. */
  async function deleteJob(job: ExtractionJob): Promise<string[]> {
    const { files } = await h.jobs.delete(job.id, job.ownerId);
    await deleteStoredFiles(h.storage, files, silent);
    return files;
  }
  /** Waits until some statement of this database waits for a row lock. */
  const blockedOnLock = () =>
    h.waitFor('a statement to wait for a row lock', async () => {
      const rows: Array<{ n: number }> = await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows[0].n > 0;
    });

  it('deleting one of two jobs keeps the shared file; the last one takes it (delete and cleanup)', async () => {
    const a = await upload('owner-a', 'a.dxf', 'ok:shared-1');
    const b = await upload('owner-a', 'b.dxf', 'ok:shared-1');
    expect(b.fileUrl).toBe(a.fileUrl);
    const other = await upload('owner-b', 'c.dxf', 'ok:shared-1');
    expect(other.fileUrl).not.toBe(a.fileUrl); // never across owners
    await Promise.all([a, b, other].map(settle));

    expect(await deleteJob(a)).toEqual([]);
    expect(await exists(b.fileUrl!)).toBe(true);
    expect((await h.storage.getBuffer(h.storage.keyFromUrl(b.fileUrl!))).toString()).toBe(
      'ok:shared-1',
    );
    // The retention sweep takes the last job and its object.
    const cleaned = await h.jobs.cleanup({ olderThanDays: -1 });
    expect(cleaned.files).toContain(b.fileUrl);
    await deleteStoredFiles(h.storage, cleaned.files, silent);
    expect(await exists(b.fileUrl!)).toBe(false);
  });

  it('a create waiting on the deletion of the last job naming the object keeps its own copy', async () => {
    const a = await upload('owner-c', 'a.dxf', 'ok:shared-2');
    await settle(a);
    // The deletion has removed the row but not committed yet.
    const db = h.api.get(JobDatabase);
    let created: Promise<ExtractionJob> | undefined;
    await db.transaction(async (runner) => {
      await runner.query(`DELETE FROM extraction_jobs WHERE id = $1`, [a.id]);
      created = upload('owner-c', 'n.dxf', 'ok:shared-2');
      await blockedOnLock(); // the create's insert waits for the deleted row
    });
    const n = await created!;
    expect(n.fileUrl).not.toBe(a.fileUrl);
    // The deletion's check runs after its commit: nobody names the old object, it goes.
    const gone = await h.jobs.unreferencedObjects([a.fileUrl!]);
    expect(gone).toEqual([a.fileUrl]);
    await deleteStoredFiles(h.storage, gone, silent);
    expect((await h.storage.getBuffer(h.storage.keyFromUrl(n.fileUrl!))).toString()).toBe(
      'ok:shared-2',
    );
  });

  it('a deletion waiting on a create that takes a reference keeps the object', async () => {
    const a = await upload('owner-d', 'a.dxf', 'ok:shared-3');
    await settle(a);
    const own = await h.storeFile('n.dxf', 'ok:shared-3');
    const repo = h.api.get(ExtractionJobRepository);
    const db = h.api.get(JobDatabase);
    let deleted: Promise<string[]> | undefined;
    const n = await db.transaction(async (runner) => {
      // The real insert, inside a transaction held open: it names a's object, a's row locked.
      const inserted = await repo.insertIfAbsent(
        {
          ownerId: 'owner-d',
          format: 'dxf',
          filename: 'n.dxf',
          fileUrl: own,
          shareStoredContent: true,
          contentSha256: sha256('ok:shared-3'),
          maxRetries: 3,
        },
        new Date(),
        runner,
      );
      deleted = deleteJob(a);
      await blockedOnLock(); // the deletion waits for the create
      return inserted!;
    });
    expect(n.fileUrl).toBe(a.fileUrl);
    expect(await deleted!).toEqual([]); // still named by the new job: not removed
    expect(await exists(a.fileUrl!)).toBe(true);
    await expect(h.jobs.get(a.id)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
