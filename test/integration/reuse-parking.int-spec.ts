/**
 * Duplicates claimed while their original is being extracted park instead of holding a worker
 * slot (issue 16): the slot goes to other files, the original's end wakes them and they complete
 * from its result; a crash of the original strands none of them. Real pipeline: PostgreSQL,
 * Redis, worker child processes with the test extractors (their trace log counts extractions).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const traceLog = join(mkdtempSync(join(tmpdir(), 'parking-trace-')), 'extractor.log');
/** How many extractions of files whose name starts with `prefix` started. */
const startsOf = (prefix: string) =>
  existsSync(traceLog)
    ? readFileSync(traceLog, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(`start ${prefix}`)).length
    : 0;

describe('Parked duplicates', () => {
  let h: PipelineHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const file = async (filename: string, command: string) => ({
    format: 'dxf' as const,
    filename,
    fileUrl: await h!.storeFile(filename, command),
    fileSize: command.length,
    contentSha256: sha256(command),
  });

  const settled = (id: string, timeoutMs = 30_000) =>
    h!.waitFor(
      `job ${id} to settle`,
      async () => {
        const job = await h!.jobs.get(id);
        return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : null;
      },
      timeoutMs,
    );

  it('gives the slot of a duplicate to other files while its original extracts', async () => {
    h = await createPipelineHarness({
      TEST_EXTRACTOR_LOG: traceLog,
      WORKER_CONCURRENCY: '2',
      BULK_WINDOW_PER_OWNER: '10',
    });
    const worker = await h.startWorker();
    const list = [];
    for (let i = 0; i < 4; i += 1) list.push(await file(`dup-${i}.dxf`, 'sleep:2500'));
    for (let i = 0; i < 6; i += 1) list.push(await file(`other-${i}.dxf`, `sleep:100:${i}`));
    const { parent, children } = await h.jobs.createBulk({ ownerId: 'owner-a', files: list });
    const done = await Promise.all(children.map((c) => settled(c.id)));
    expect(done.map((j) => j.status)).toEqual(Array(10).fill('completed'));
    const dups = done.slice(0, 4);
    const others = done.slice(4);
    // One extraction of the duplicated bytes; the other three completed from it.
    expect(startsOf('dup-')).toBe(1);
    const original = dups.find((j) => j.reusedFrom === null)!;
    // (A duplicate may take the result from another that already took it: the same bytes.)
    expect(dups.filter((j) => j.reusedFrom !== null)).toHaveLength(3);
    // Every other file finished while the original was still extracting: no slot sat waiting.
    const originalDone = original.completedAt!.getTime();
    expect(Math.max(...others.map((j) => j.completedAt!.getTime()))).toBeLessThan(originalDone);
    const bulk = await settled(parent.id);
    expect(bulk).toMatchObject({ status: 'completed', processedItems: 10, failedItems: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(
      Number(/extraction_duplicates_parked_total\{format="dxf"\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(1);
    const parked: Array<{ n: number }> = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs WHERE reuse_waiting_for IS NOT NULL`,
    );
    expect(parked[0].n).toBe(0);
  }, 60_000);

  it('a crash of the original strands none of its parked duplicates', async () => {
    h = await createPipelineHarness({ TEST_EXTRACTOR_LOG: traceLog, WORKER_CONCURRENCY: '3' });
    const first = await h.startWorker();
    const jobs: ExtractionJob[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { job } = await h.jobs.create({
        ownerId: 'owner-b',
        ...(await file(`crash-${i}.dxf`, 'sleep:1500:crash')),
      });
      jobs.push(job);
    }
    // One extracts, the two others park.
    await h.waitFor('two duplicates to park', async () => {
      const rows: Array<{ n: number }> = await h!.db.dataSource.query(
        `SELECT count(*)::int AS n FROM extraction_jobs
         WHERE reuse_waiting_for IS NOT NULL AND status = 'pending'`,
      );
      return rows[0].n === 2;
    });
    expect(startsOf('crash-')).toBe(1);
    await first.stop('SIGKILL');
    await h.startWorker();
    const done = await Promise.all(jobs.map((j) => settled(j.id)));
    expect(done.map((j) => j.status)).toEqual(['completed', 'completed', 'completed']);
    // The crashed extraction and one more; the rest reused it.
    expect(startsOf('crash-')).toBe(2);
    expect(done.filter((j) => j.reusedFrom !== null)).toHaveLength(2);
  }, 60_000);
});
