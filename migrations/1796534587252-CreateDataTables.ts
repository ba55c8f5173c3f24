import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in table store (TABLES_DRIVER=builtin): tables, fields and records (values as JSONB
 * keyed by field id, with provenance), and the first responses of imports sent with an
 * Idempotency-Key. Indexes are named after the query they serve (see BuiltinTableStore).
 */
export class CreateDataTables1796534587252 implements MigrationInterface {
  name = 'CreateDataTables1796534587252';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_tables" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "owner_id" text NOT NULL,
        "name" text NOT NULL,
        "description" text,
        "read_only" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_data_tables" PRIMARY KEY ("id")
      )`);
    // listTables(owner) in creation order.
    await queryRunner.query(
      `CREATE INDEX "ix_data_tables_owner_created" ON "data_tables" ("owner_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "data_table_fields" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "table_id" uuid NOT NULL,
        "name" text NOT NULL,
        "type" text NOT NULL,
        "description" text,
        "position" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_data_table_fields" PRIMARY KEY ("id"),
        CONSTRAINT "fk_data_table_fields_table" FOREIGN KEY ("table_id")
          REFERENCES "data_tables" ("id") ON DELETE CASCADE,
        CONSTRAINT "ck_data_table_fields_type"
          CHECK ("type" IN ('text', 'number', 'dimension', 'date', 'url', 'email', 'boolean'))
      )`);
    // describe(table): fields in display order.
    await queryRunner.query(
      `CREATE INDEX "ix_data_table_fields_table_position" ON "data_table_fields" ("table_id", "position")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_data_table_fields_table_name" ON "data_table_fields" ("table_id", "name")`,
    );
    await queryRunner.query(`
      CREATE TABLE "data_table_records" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "table_id" uuid NOT NULL,
        "values" jsonb NOT NULL,
        "source_job_id" uuid,
        "source_file" text,
        "row_index" integer,
        "record_type" text,
        "is_copy" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_data_table_records" PRIMARY KEY ("id")
      )`);
    // listRecords(table) in insertion order, and deleteTable. No foreign key to data_tables: its
    // per-row check slowed imports by a fifth; deleteTable removes records under the table's lock.
    await queryRunner.query(
      `CREATE INDEX "ix_data_table_records_table_id" ON "data_table_records" ("table_id", "id")`,
    );
    // A job's row goes into a table once, unless imported on purpose as a copy.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_data_table_records_source_row" ON "data_table_records" ("table_id", "source_job_id", "record_type", "row_index") WHERE "is_copy" = false AND "source_job_id" IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "import_requests" (
        "owner_id" text NOT NULL,
        "idempotency_key" text NOT NULL,
        "response" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_import_requests" PRIMARY KEY ("owner_id", "idempotency_key")
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_requests"`);
    await queryRunner.query(`DROP TABLE "data_table_records"`);
    await queryRunner.query(`DROP TABLE "data_table_fields"`);
    await queryRunner.query(`DROP TABLE "data_tables"`);
  }
}
