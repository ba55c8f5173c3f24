import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * extraction_jobs: one table for single jobs, bulk parents and bulk children.
 * Every index is named after the query it serves (see ExtractionJobRepository).
 */
export class CreateExtractionJobs1764400000000 implements MigrationInterface {
  name = 'CreateExtractionJobs1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(`CREATE TYPE "extraction_job_kind" AS ENUM ('single', 'bulk', 'file')`);
    await queryRunner.query(
      `CREATE TYPE "extraction_job_status" AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled', 'retrying')`,
    );
    await queryRunner.query(
      `CREATE TYPE "extraction_format" AS ENUM ('pdf', 'dxf', 'ifc', 'step', 'werk24', 'bom')`,
    );
    await queryRunner.query(`
      CREATE TABLE "extraction_jobs" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kind" "extraction_job_kind" NOT NULL DEFAULT 'single',
        "parent_job_id" uuid,
        "owner_id" text NOT NULL,
        "status" "extraction_job_status" NOT NULL DEFAULT 'pending',
        "format" "extraction_format",
        "filename" text,
        "file_url" text,
        "file_size" bigint,
        "content_sha256" character(64),
        "record_id" text,
        "field_id" text,
        "attachment_id" text,
        "target_table_id" text,
        "idempotency_key" text,
        "options" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "result" jsonb,
        "result_path" text,
        "error_code" text,
        "error_message" text,
        "error_stack" text,
        "progress" real NOT NULL DEFAULT 0,
        "attempt" integer NOT NULL DEFAULT 0,
        "retry_count" integer NOT NULL DEFAULT 0,
        "max_retries" integer NOT NULL DEFAULT 3,
        "next_retry_at" timestamptz,
        "last_retry_at" timestamptz,
        "lease_expires_at" timestamptz,
        "heartbeat_at" timestamptz,
        "worker_id" text,
        "started_at" timestamptz,
        "completed_at" timestamptz,
        "duration_ms" integer,
        "total_items" integer NOT NULL DEFAULT 0,
        "processed_items" integer NOT NULL DEFAULT 0,
        "failed_items" integer NOT NULL DEFAULT 0,
        "cancelled_items" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_jobs" PRIMARY KEY ("id"),
        CONSTRAINT "fk_extraction_jobs_parent" FOREIGN KEY ("parent_job_id")
          REFERENCES "extraction_jobs" ("id") ON DELETE CASCADE,
        CONSTRAINT "ck_extraction_jobs_parent_kind" CHECK (("kind" = 'file') = ("parent_job_id" IS NOT NULL)),
        CONSTRAINT "ck_extraction_jobs_progress" CHECK ("progress" >= 0 AND "progress" <= 100),
        CONSTRAINT "ck_extraction_jobs_counters" CHECK (
          "processed_items" >= 0 AND "failed_items" >= 0 AND "cancelled_items" >= 0
          AND "failed_items" + "cancelled_items" <= "processed_items"
          AND "processed_items" <= "total_items")
      )`);
    // list(owner, …) newest first, stable order.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_owner_created" ON "extraction_jobs" ("owner_id", "created_at" DESC, "id" DESC)`,
    );
    // list(owner, status) and stats(owner).
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_owner_status_created" ON "extraction_jobs" ("owner_id", "status", "created_at" DESC, "id" DESC)`,
    );
    // listChildren(parent) in upload order; also serves the cascade.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_parent_created" ON "extraction_jobs" ("parent_job_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_file_url" ON "extraction_jobs" ("file_url")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_attachment" ON "extraction_jobs" ("attachment_id", "created_at" DESC)`,
    );
    // Idempotency: one job per (owner, key), whatever its state.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_extraction_jobs_idempotency" ON "extraction_jobs" ("owner_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    // One live job per (record, attachment): a finished one may be extracted again.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_extraction_jobs_live_attachment" ON "extraction_jobs" ("record_id", "attachment_id") WHERE "attachment_id" IS NOT NULL AND "status" IN ('pending', 'processing', 'retrying')`,
    );
    // Sweeps: due retries, expired leases, stale pending, cleanup of settled jobs.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_retry_due" ON "extraction_jobs" ("next_retry_at") WHERE "status" = 'retrying'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_lease_expiry" ON "extraction_jobs" ("lease_expires_at") WHERE "status" = 'processing'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_processing_started" ON "extraction_jobs" ("started_at") WHERE "status" = 'processing'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_pending_updated" ON "extraction_jobs" ("updated_at") WHERE "status" = 'pending' AND "kind" <> 'bulk'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_cleanup" ON "extraction_jobs" ("completed_at") WHERE "status" IN ('completed', 'cancelled') AND "parent_job_id" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "extraction_jobs"`);
    await queryRunner.query(`DROP TYPE "extraction_format"`);
    await queryRunner.query(`DROP TYPE "extraction_job_status"`);
    await queryRunner.query(`DROP TYPE "extraction_job_kind"`);
  }
}
