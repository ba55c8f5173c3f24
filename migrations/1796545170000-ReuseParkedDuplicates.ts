import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parked duplicates (issue 16): a file claimed while an identical one is being extracted gives its
 * worker slot back and waits as a `pending` row naming the reuse key it waits for
 * (`reuse_waiting_for`); the extraction's end wakes it, the sweep wakes it after a lease's time.
 */
export class ReuseParkedDuplicates1796545170000 implements MigrationInterface {
  name = 'ReuseParkedDuplicates1796545170000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs" ADD COLUMN "reuse_waiting_for" text`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_reuse_parked" ON "extraction_jobs" ("reuse_waiting_for", "updated_at") WHERE "reuse_waiting_for" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_reuse_parked"`);
    await queryRunner.query(`ALTER TABLE "extraction_jobs" DROP COLUMN "reuse_waiting_for"`);
  }
}
