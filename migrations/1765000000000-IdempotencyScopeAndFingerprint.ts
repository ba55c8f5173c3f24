import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys (issue 12 §5): scoped per route kind (the same key on POST /jobs and on
 * POST /bulk names two different requests), and stored with a digest of the request that used
 * them, so a different request with a used key is refused instead of answered with the first job.
 */
export class IdempotencyScopeAndFingerprint1765000000000 implements MigrationInterface {
  name = 'IdempotencyScopeAndFingerprint1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs" ADD "idempotency_fingerprint" text`);
    await queryRunner.query(`DROP INDEX "uq_extraction_jobs_idempotency"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_extraction_jobs_idempotency" ON "extraction_jobs" ("owner_id", "kind", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // A key used on both routes would violate the narrower index: the bulk's copy is dropped.
    await queryRunner.query(
      `UPDATE "extraction_jobs" b SET "idempotency_key" = NULL
       WHERE b."kind" = 'bulk' AND b."idempotency_key" IS NOT NULL AND EXISTS (
         SELECT 1 FROM "extraction_jobs" s WHERE s."owner_id" = b."owner_id"
           AND s."idempotency_key" = b."idempotency_key" AND s."kind" <> 'bulk')`,
    );
    await queryRunner.query(`DROP INDEX "uq_extraction_jobs_idempotency"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_extraction_jobs_idempotency" ON "extraction_jobs" ("owner_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "extraction_jobs" DROP COLUMN "idempotency_fingerprint"`);
  }
}
