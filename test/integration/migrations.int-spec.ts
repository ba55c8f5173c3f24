import { createTestDatabase, TestDatabase } from '../support/test-database';

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
    await db.dataSource.undoLastMigration();
    expect(await tableExists()).toBe(false);
    const types: { n: number }[] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_type WHERE typname LIKE 'extraction_%'`,
    );
    expect(types[0].n).toBe(0);
    const applied = await db.dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateExtractionJobs1764400000000']);
    expect(await tableExists()).toBe(true);
    const indexes: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'extraction_jobs' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'ix_extraction_jobs_attachment',
      'ix_extraction_jobs_cleanup',
      'ix_extraction_jobs_file_url',
      'ix_extraction_jobs_lease_expiry',
      'ix_extraction_jobs_owner_created',
      'ix_extraction_jobs_owner_status_created',
      'ix_extraction_jobs_parent_created',
      'ix_extraction_jobs_pending_updated',
      'ix_extraction_jobs_processing_started',
      'ix_extraction_jobs_retry_due',
      'pk_extraction_jobs',
      'uq_extraction_jobs_idempotency',
      'uq_extraction_jobs_live_attachment',
    ]);
  });

  it('has no pending schema difference against the entity', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });
});
