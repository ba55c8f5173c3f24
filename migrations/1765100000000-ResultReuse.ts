import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Result reuse (issue 16): which extractor version and options made a result, which job a reused
 * result came from; an index for the reuse lookup and one for "is this stored result still
 * referenced" before deleting an object.
 */
export class ResultReuse1765100000000 implements MigrationInterface {
  name = 'ResultReuse1765100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs"
      ADD COLUMN "extractor_version" integer,
      ADD COLUMN "options_digest" character(64),
      ADD COLUMN "reused_from" uuid`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_reuse" ON "extraction_jobs" ("content_sha256", "format", "extractor_version", "options_digest", "owner_id") WHERE "status" = 'completed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_owner_content" ON "extraction_jobs" ("owner_id", "content_sha256") WHERE "content_sha256" IS NOT NULL AND "file_url" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_result_path" ON "extraction_jobs" ("result_path") WHERE "result_path" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_result_path"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_owner_content"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_reuse"`);
    await queryRunner.query(`ALTER TABLE "extraction_jobs"
      DROP COLUMN "reused_from", DROP COLUMN "options_digest", DROP COLUMN "extractor_version"`);
  }
}
