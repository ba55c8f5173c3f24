/**
 * import.completed (issue 15): written by the import's own transaction with its counts, for
 * imports answered at once and for import runs on a worker; none for an import that fails or
 * rolls back.
 */
import { ImportExecutor } from '../../src/import/import-executor';
import { ImportRequestsRepository } from '../../src/import/import-requests.repository';
import { ImportService } from '../../src/import/import.service';
import { ImportCommand, ImportResult } from '../../src/import/import-types';
import { JobRowsSource } from '../../src/import/job-rows.source';
import { InlineResultRows } from '../../src/import/rows/inline-result-rows';
import { StoredResultRows } from '../../src/import/rows/stored-result-rows';
import { ImportRunQueue } from '../../src/import/runs/import-run-queue';
import { ImportRunsRepository } from '../../src/import/runs/import-runs.repository';
import { StorageDriver } from '../../src/storage';
import { BuiltinTableGateway } from '../../src/tables/builtin/builtin-table-gateway';
import { BuiltinTableStore } from '../../src/tables/builtin/builtin-table-store';
import {
  createJobServiceHarness,
  JobServiceHarness,
  newJobInput,
} from '../support/job-service-harness';

interface EventRow {
  type: string;
  owner_id: string;
  job_id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back, shape asserted
  data: Record<string, any>;
}

describe('import.completed events', () => {
  let h: JobServiceHarness;
  let imports: ImportService;
  let runs: ImportRunsRepository;
  let store: BuiltinTableStore;

  beforeEach(async () => {
    h = await createJobServiceHarness();
    const ds = h.db.dataSource;
    store = new BuiltinTableStore(ds);
    const tables = new BuiltinTableGateway(store);
    runs = new ImportRunsRepository(ds);
    imports = new ImportService(
      tables,
      new ImportExecutor(tables),
      // Results inline: no storage read.
      new JobRowsSource(
        h.service,
        {} as StorageDriver,
        new InlineResultRows(ds),
        new StoredResultRows({} as StorageDriver),
      ),
      new ImportRequestsRepository(ds),
      runs,
      {} as ImportRunQueue, // no import above IMPORT_ASYNC_ROWS here
      h.config,
    );
  });
  afterEach(async () => {
    await h.close();
  });

  const events = async (): Promise<EventRow[]> =>
    h.db.dataSource.query(
      `SELECT type, owner_id, job_id, data FROM extraction_events
       WHERE type = 'import.completed' ORDER BY seq`,
    );

  /** A completed BOM job with these quantities (one row each). */
  const bomJob = async (quantities: unknown[]) => {
    const { job } = await h.service.create(newJobInput({ format: 'bom', filename: 'parts.csv' }));
    const claimed = await h.service.claim({ id: job.id, attempt: 0 }, 'w');
    await h.service.complete(
      { id: job.id, attempt: claimed!.attempt },
      { bom: { items: quantities.map((quantity, i) => ({ part_number: `P-${i}`, quantity })) } },
    );
    return job.id;
  };

  const setUp = async (quantities: unknown[]) => {
    const jobId = await bomJob(quantities);
    const table = await store.createTable('user-a', {
      name: 'Parts',
      fields: [
        { name: 'Part number', type: 'text' },
        { name: 'Quantity', type: 'number' },
      ],
    });
    const command: ImportCommand = {
      jobId,
      tableId: table.id,
      fieldMapping: { part_number: table.fields[0].id, quantity: table.fields[1].id },
      createMissingFields: false,
      skipErrors: true,
      rowIndices: null,
      recordType: null,
      allowDuplicates: false,
      allowPartial: false,
    };
    return { jobId, tableId: table.id, command };
  };

  it('writes one import.completed with the counts in the import transaction', async () => {
    const { jobId, tableId, command } = await setUp([1, 'lots', 3]);
    const result = (await imports.importRows('user-a', command, null)) as ImportResult;
    expect(result).toMatchObject({ success: true, records_imported: 2, records_failed: 1 });
    const rows = await events();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ owner_id: 'user-a', job_id: jobId });
    expect(rows[0].data).toEqual({
      import: {
        import_id: null,
        job_id: jobId,
        bulk_job_id: null,
        table_id: tableId,
        records_imported: 2,
        records_failed: 1,
        records_skipped: 0,
      },
    });
    // Again: every row is already there (skipped), still one import that committed.
    await imports.importRows('user-a', command, null);
    expect((await events()).map((e) => e.data.import.records_skipped)).toEqual([0, 2]);
  });

  it('writes the run id for an import run, and nothing for a run that rolled back', async () => {
    const { jobId, command } = await setUp([1, 2, 3]);
    // A run whose lease was lost after its first batch: rolled back, no event.
    const lost = (await runs.claim((await runs.create('user-a', 'job', command, 3)).id, 0, 60))!;
    await expect(
      imports.executeRun({ ...lost, command: { ...command, batchSize: 1 } }, async () => false),
    ).rejects.toThrow();
    expect(await events()).toEqual([]);
    const run = (await runs.claim((await runs.create('user-a', 'job', command, 3)).id, 0, 60))!;
    await imports.executeRun(run, async () => true);
    const rows = await events();
    expect(rows.map((e) => e.data.import)).toEqual([
      expect.objectContaining({ import_id: run.id, job_id: jobId, records_imported: 3 }),
    ]);
  });

  it('writes none for an import refused by a bad row (skip_errors=false)', async () => {
    const { command } = await setUp([1, 'lots']);
    const result = (await imports.importRows(
      'user-a',
      { ...command, skipErrors: false },
      null,
    )) as ImportResult;
    expect(result).toMatchObject({ success: false, records_imported: 0, records_failed: 1 });
    expect(await events()).toEqual([]);
  });
});
