import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_runs: imports above IMPORT_ASYNC_ROWS rows, run on a worker (202, GET /imports/{id}).
 * Indexes serve the sweeps: expired leases, and pending runs whose queue message was lost.
 */
export class CreateImportRuns1796534700000 implements MigrationInterface {
  name = 'CreateImportRuns1796534700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "import_runs" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "owner_id" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "kind" text NOT NULL,
        "command" jsonb NOT NULL,
        "total_rows" integer NOT NULL,
        "processed_rows" integer NOT NULL DEFAULT 0,
        "result" jsonb,
        "error_code" text,
        "error_message" text,
        "attempt" integer NOT NULL DEFAULT 0,
        "lease_expires_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz,
        CONSTRAINT "pk_import_runs" PRIMARY KEY ("id"),
        CONSTRAINT "ck_import_runs_status"
          CHECK ("status" IN ('pending', 'processing', 'completed', 'failed'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_import_runs_lease_expiry" ON "import_runs" ("lease_expires_at") WHERE "status" = 'processing'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_import_runs_pending_updated" ON "import_runs" ("updated_at") WHERE "status" = 'pending'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_runs"`);
  }
}
