/**
 * Worker connections plan each statement once (generic plans, see `keyedPlans`). A plan made
 * while the table is empty must still be a primary-key lookup, never a scan that would grow with
 * the table: this reads the plans PostgreSQL cached for the worker's statements.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { ExtractionJobRepository } from '../../src/extraction/persistence/extraction-job.repository';
import { ExtractionJobSweepsRepository } from '../../src/extraction/persistence/extraction-job-sweeps.repository';
import { JobDatabase } from '../../src/extraction/persistence/job-database';
import { ResultReuseRepository } from '../../src/extraction/persistence/result-reuse.repository';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

describe('worker statement plans', () => {
  let db: TestDatabase;
  let worker: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase(1);
    // One connection, so the statements and the EXPLAINs below share their prepared statements.
    worker = new DataSource(
      buildDataSourceOptions(db.url, { poolSize: 1, asyncCommit: true, keyedPlans: true }),
    );
    await worker.initialize();
  });
  afterAll(async () => {
    await worker.destroy();
    await db.close();
  });

  it('are primary-key lookups even when planned on an empty table', async () => {
    const database = new JobDatabase(worker);
    const jobs = new ExtractionJobRepository(database);
    const sweeps = new ExtractionJobSweepsRepository(database);
    const now = new Date();
    const ref = { id: randomUUID(), attempt: 0 };
    await expect(jobs.claim([{ ref, workerId: 'w' }], now, 60)).resolves.toEqual([null]);
    await expect(
      jobs.complete([{ ref, resultJson: '{}', resultPath: null }], now),
    ).resolves.toEqual([null]);
    await expect(
      jobs.fail(
        ref,
        { code: 'X', message: 'x', retryable: true },
        { baseSeconds: 1, capSeconds: 1, factor: 1 },
        now,
      ),
    ).resolves.toBeNull();
    await expect(jobs.touch(ref, now, 60, 50)).resolves.toBe(false);
    await expect(jobs.returnToPending(ref.id, ref.attempt, 'release', now)).resolves.toBeNull();
    await expect(sweeps.requeueDueRetries(now, 10)).resolves.toEqual([]);
    await expect(sweeps.findExpiredLeases(now, 10)).resolves.toEqual([]);
    await expect(sweeps.deleteCleanable(now, 10)).resolves.toEqual({ deleted: 0, files: [] });
    await expect(sweeps.takeStalePending(now, 60, 10)).resolves.toEqual([]);
    const reuse = new ResultReuseRepository(database);
    await expect(
      reuse.prepareAttempt(ref, 1, 'd'.repeat(64), {
        contentSha256: 'c'.repeat(64),
        format: 'dxf',
        extractorVersion: 1,
        optionsDigest: 'd'.repeat(64),
        ownerId: 'o',
      }),
    ).resolves.toEqual({ attemptHeld: false, source: null });
    await expect(reuse.stillReferenced(['file:///x'])).resolves.toEqual(new Set());
    await expect(
      reuse.recordAttempts([{ ref, extractorVersion: 1, optionsDigest: 'd'.repeat(64) }]),
    ).resolves.toEqual([false]);

    const prepared: Array<{ name: string; statement: string; types: string[] }> =
      await worker.query(
        `SELECT name, statement, parameter_types::text[] AS types FROM pg_prepared_statements WHERE name LIKE 'extraction_%'`,
      );
    expect(prepared).toHaveLength(12);
    for (const { name, statement, types } of prepared) {
      const nulls = types.map(() => 'NULL').join(', ');
      const [{ 'QUERY PLAN': plan }] = await worker.query(
        `EXPLAIN (FORMAT JSON) EXECUTE ${name}(${nulls})`,
      );
      const onTable = flatten(plan[0].Plan as PlanNode).filter(
        (node) => node['Relation Name'] === 'extraction_jobs' || node['Index Name'],
      );
      const scans = onTable.map((node) => `${node['Node Type']} ${node['Index Name'] ?? ''}`);
      const context = `${statement.slice(0, 60)}…: ${scans.join(', ')}`;
      expect({ context, seqScans: scans.filter((s) => s.startsWith('Seq Scan')) }).toEqual({
        context,
        seqScans: [],
      });
      // Lookups by key, children by parent, sweep candidates by their own partial indexes:
      // never another index walked from end to end.
      const indexes = onTable.flatMap((node) => node['Index Name'] ?? []);
      for (const index of indexes)
        expect([context, index]).toEqual([
          context,
          expect.stringMatching(
            /^(pk_extraction_jobs|ix_extraction_jobs_(parent_created|retry_due|pending_updated|lease_expiry|cleanup|reuse|file_url|result_path))$/,
          ),
        ]);
    }
  });
});
