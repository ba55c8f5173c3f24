import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reprocess through the fair path (issue 16): a completed single job sent back by
 * POST /jobs/reprocess waits as a `pending` row with `released_at` null, like a bulk file, until
 * the release step hands it to the queue in its owner's reprocess window (background lane).
 * `reprocess_status` says where the last reprocess is (pending, completed, failed);
 * `reprocess_previous` keeps what the old result came with (completed_at, version, digest, ...) so
 * that a failed reprocess leaves the job completed with its previous result.
 */
export class ReprocessThroughWindows1796545160000 implements MigrationInterface {
  name = 'ReprocessThroughWindows1796545160000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs"
      ADD COLUMN "reprocess_status" text,
      ADD COLUMN "reprocess_requested_at" timestamptz,
      ADD COLUMN "reprocess_error_code" text,
      ADD COLUMN "reprocess_error_message" text,
      ADD COLUMN "reprocess_previous" jsonb,
      ADD CONSTRAINT "ck_extraction_jobs_reprocess_status"
        CHECK ("reprocess_status" IN ('pending', 'completed', 'failed'))`);
    // Jobs requeued by reprocess before this migration carry no mark: they run as plain attempts.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_reprocess_unreleased" ON "extraction_jobs" ("owner_id", "reprocess_requested_at", "id") WHERE "reprocess_status" = 'pending' AND "status" = 'pending' AND "released_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_reprocess_released" ON "extraction_jobs" ("owner_id") WHERE "reprocess_status" = 'pending' AND "status" IN ('pending', 'processing') AND "released_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_reprocess_status" ON "extraction_jobs" ("reprocess_status", "status") WHERE "reprocess_status" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_reprocess_status"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_reprocess_released"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_reprocess_unreleased"`);
    await queryRunner.query(`ALTER TABLE "extraction_jobs"
      DROP CONSTRAINT "ck_extraction_jobs_reprocess_status",
      DROP COLUMN "reprocess_previous", DROP COLUMN "reprocess_error_message",
      DROP COLUMN "reprocess_error_code", DROP COLUMN "reprocess_requested_at",
      DROP COLUMN "reprocess_status"`);
  }
}
