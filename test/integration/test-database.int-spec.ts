import { createTestDatabase } from '../support/test-database';

describe('test database', () => {
  it('clones the migrated template', async () => {
    const db = await createTestDatabase(1);
    try {
      const rows: { count: string }[] = await db.dataSource.query(
        `SELECT count(*) FROM extraction_jobs`,
      );
      expect(rows[0].count).toBe('0');
    } finally {
      await db.close();
    }
  });
});
