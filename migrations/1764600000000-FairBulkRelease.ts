import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fair scheduling (issue 13): a bulk file waits as a `pending` row until the release step hands it
 * to the queue inside its owner's window. `released_at` marks the files handed over (null = waiting
 * on purpose, which the reconciler leaves alone). Three partial indexes serve the release step: the
 * open bulks, each bulk's next waiting files in upload order, and the released files still active
 * per owner (the window's occupancy).
 */
export class FairBulkRelease1764600000000 implements MigrationInterface {
  name = 'FairBulkRelease1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs" ADD "released_at" timestamptz`);
    // Files of bulks created before this migration were enqueued at creation: released.
    await queryRunner.query(
      `UPDATE "extraction_jobs" SET "released_at" = "created_at" WHERE "kind" = 'file'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_open_bulks" ON "extraction_jobs" ("created_at") WHERE "kind" = 'bulk' AND "status" IN ('pending', 'processing')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_unreleased" ON "extraction_jobs" ("parent_job_id", "created_at", "id") WHERE "kind" = 'file' AND "status" = 'pending' AND "released_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_released_active" ON "extraction_jobs" ("owner_id") WHERE "kind" = 'file' AND "status" IN ('pending', 'processing') AND "released_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_released_active"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_unreleased"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_open_bulks"`);
    await queryRunner.query(`ALTER TABLE "extraction_jobs" DROP COLUMN "released_at"`);
  }
}
