import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { ImportRequest } from '../../src/import/entities/import-request.entity';
import { ImportRun } from '../../src/import/entities/import-run.entity';
import { DataTableField } from '../../src/tables/entities/data-table-field.entity';
import { DataTableSourceRows } from '../../src/tables/entities/data-table-source-rows.entity';
import { DataTableRecord } from '../../src/tables/entities/data-table-record.entity';
import { DataTable } from '../../src/tables/entities/data-table.entity';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Migration names end in their timestamp, which orders them. */
const byTimestamp = (a: string, b: string) =>
  Number(/\d+$/.exec(a)![0]) - Number(/\d+$/.exec(b)![0]);

/** Index definitions as PostgreSQL prints them, the index name and table left out. */
async function indexDefinitions(db: TestDatabase, table: string): Promise<Map<string, string>> {
  const rows: Array<{ indexname: string; indexdef: string }> = await db.dataSource.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 AND indexname NOT LIKE 'pk_%'`,
    [table],
  );
  return new Map(
    rows.map((r) => [
      r.indexname,
      r.indexdef.replace(`INDEX ${r.indexname} ON public.${table}`, 'INDEX ON'),
    ]),
  );
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(async () => {
    await db.close();
  });

  const tableExists = async () => {
    const rows: { exists: boolean }[] = await db.dataSource.query(
      `SELECT to_regclass('public.extraction_jobs') IS NOT NULL AS exists`,
    );
    return rows[0].exists;
  };

  it('run up, down and up again', async () => {
    expect(await tableExists()).toBe(true);
    const all = db.dataSource.migrations.map((m) => m.name!).sort(byTimestamp);
    for (let i = 0; i < all.length; i += 1) await db.dataSource.undoLastMigration();
    expect(await tableExists()).toBe(false);
    const types: { n: number }[] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_type WHERE typname LIKE 'extraction_%'`,
    );
    expect(types[0].n).toBe(0);
    const applied = await db.dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(all);
    expect(all.slice(0, 2)).toEqual([
      'CreateExtractionJobs1764400000000',
      'IndexOrderMatchesEntity1764500000000',
    ]);
    expect(await tableExists()).toBe(true);
    const indexes: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'extraction_jobs' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'ix_extraction_jobs_attachment',
      'ix_extraction_jobs_cleanup',
      'ix_extraction_jobs_file_url',
      'ix_extraction_jobs_lease_expiry',
      'ix_extraction_jobs_open_bulks',
      'ix_extraction_jobs_owner_content',
      'ix_extraction_jobs_owner_created',
      'ix_extraction_jobs_owner_status_created',
      'ix_extraction_jobs_parent_created',
      'ix_extraction_jobs_pending_updated',
      'ix_extraction_jobs_processing_started',
      'ix_extraction_jobs_released_active',
      'ix_extraction_jobs_reprocess_released',
      'ix_extraction_jobs_reprocess_status',
      'ix_extraction_jobs_reprocess_unreleased',
      'ix_extraction_jobs_result_path',
      'ix_extraction_jobs_retry_due',
      'ix_extraction_jobs_reuse',
      'ix_extraction_jobs_reuse_parked',
      'ix_extraction_jobs_unreleased',
      'pk_extraction_jobs',
      'uq_extraction_jobs_idempotency',
      'uq_extraction_jobs_live_attachment',
    ]);
  });

  it('has no pending schema difference against the entity', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('drops the built-in table store on the way down and makes it again', async () => {
    const tables = async () =>
      (
        await db.dataSource.query<{ tablename: string }[]>(
          `SELECT tablename FROM pg_tables WHERE tablename IN ('data_tables', 'data_table_fields', 'data_table_records', 'data_table_source_rows', 'import_requests', 'import_runs') ORDER BY tablename`,
        )
      ).map((r) => r.tablename);
    expect(await tables()).toEqual([
      'data_table_fields',
      'data_table_records',
      'data_table_source_rows',
      'data_tables',
      'import_requests',
      'import_runs',
    ]);
    // Undo down to the table store's first migration (later ones, of any feature, go first).
    const all = db.dataSource.migrations.map((m) => m.name!).sort(byTimestamp);
    const from = all.indexOf('CreateDataTables1796534587252');
    expect(from).toBeGreaterThan(0);
    for (let i = all.length - 1; i >= from; i -= 1) await db.dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);
    await db.dataSource.runMigrations();
    expect(await tables()).toHaveLength(6);
  });

  it('fills the never-twice ledger from the records already imported, then drops the unique index', async () => {
    const all = db.dataSource.migrations.map((m) => m.name!).sort(byTimestamp);
    const from = all.indexOf('ImportedSourceRows1796620000000');
    expect(from).toBeGreaterThan(0);
    for (let i = all.length - 1; i >= from; i -= 1) await db.dataSource.undoLastMigration();
    const table = '00000000-0000-4000-8000-0000000000a1';
    const job = '00000000-0000-4000-8000-0000000000b2';
    // Rows 0, 1, 2 and 5 of a job, a copy of row 0, and a row posted without a job.
    await db.dataSource.query(
      `INSERT INTO data_table_records (table_id, "values", source_job_id, row_index, record_type, is_copy)
       VALUES ($1, '{}', $2, 0, 'items', false), ($1, '{}', $2, 1, 'items', false),
              ($1, '{}', $2, 2, 'items', false), ($1, '{}', $2, 5, 'items', false),
              ($1, '{}', $2, 0, 'items', true), ($1, '{}', NULL, 0, 'bom_items', false)`,
      [table, job],
    );
    await db.dataSource.runMigrations();
    const ledger = await db.dataSource.query<Record<string, string>[]>(
      `SELECT table_id, source_job_id, record_type, row_indices::text AS row_indices
       FROM data_table_source_rows WHERE table_id = $1`,
      [table],
    );
    expect(ledger).toEqual([
      { table_id: table, source_job_id: job, record_type: 'items', row_indices: '{[0,3),[5,6)}' },
    ]);
    const [index] = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'uq_data_table_records_source_row'`,
    );
    expect(index.n).toBe(0);
    await db.dataSource.query(`DELETE FROM data_table_records WHERE table_id = $1`, [table]);
    await db.dataSource.query(`DELETE FROM data_table_source_rows WHERE table_id = $1`, [table]);
  });

  it.each([
    ['extraction_jobs', ExtractionJob],
    ['data_tables', DataTable],
    ['data_table_fields', DataTableField],
    ['data_table_records', DataTableRecord],
    ['data_table_source_rows', DataTableSourceRows],
    ['import_requests', ImportRequest],
    ['import_runs', ImportRun],
  ])(
    'has the indexes the entity of %s declares, column order and direction included',
    async (table, entity) => {
      // PostgreSQL normalises both sides: the entity's indexes are built on an empty copy of the
      // table and their definitions compared with those the migrations made.
      const runner = db.dataSource.createQueryRunner();
      try {
        await runner.query(`CREATE TEMP TABLE entity_copy (LIKE ${table} INCLUDING DEFAULTS)`);
        const { indices } = db.dataSource.getMetadata(entity);
        for (const index of indices) {
          const columns = index.columns.map((c) => `"${c.databaseName}"`).join(', ');
          const where = index.where ? ` WHERE ${index.where}` : '';
          await runner.query(
            `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX "${index.name}" ON entity_copy (${columns})${where}`,
          );
        }
        const fromEntity: Array<{ indexname: string; indexdef: string }> = await runner.query(
          `SELECT c.relname AS indexname, pg_get_indexdef(c.oid) AS indexdef
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'entity_copy'::regclass`,
        );
        const expected = new Map(
          fromEntity.map((r) => [
            r.indexname,
            r.indexdef.replace(/INDEX \S+ ON \S+entity_copy/, 'INDEX ON'),
          ]),
        );
        const actual = await indexDefinitions(db, table);
        expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
      } finally {
        await runner.query(`DROP TABLE IF EXISTS entity_copy`);
        await runner.release();
      }
    },
  );
});
