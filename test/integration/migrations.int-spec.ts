import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
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
      'ix_extraction_jobs_owner_created',
      'ix_extraction_jobs_owner_status_created',
      'ix_extraction_jobs_parent_created',
      'ix_extraction_jobs_pending_updated',
      'ix_extraction_jobs_processing_started',
      'ix_extraction_jobs_released_active',
      'ix_extraction_jobs_retry_due',
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

  it('has the indexes the entity declares, column order and direction included', async () => {
    // PostgreSQL normalises both sides: the entity's indexes are built on an empty copy of the
    // table and their definitions compared with those the migrations made.
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.query(`CREATE TEMP TABLE entity_copy (LIKE extraction_jobs INCLUDING DEFAULTS)`);
      const { indices } = db.dataSource.getMetadata(ExtractionJob);
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
      const actual = await indexDefinitions(db, 'extraction_jobs');
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    } finally {
      await runner.release();
    }
  });
});
