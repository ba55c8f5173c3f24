import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "A job's row goes into a table once" moves from a unique index on every record to one ledger row
 * per (table, job, record type) holding the imported row indices as ranges. The unique index was
 * two thirds of an import's insert time (bench/import: 100,000 rows, ~0.6 s of ~1.0 s in
 * PostgreSQL); the ledger is locked once per import and holds a few ranges. Existing records fill
 * the ledger before the index goes.
 */
export class ImportedSourceRows1796620000000 implements MigrationInterface {
  name = 'ImportedSourceRows1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_table_source_rows" (
        "table_id" uuid NOT NULL,
        "source_job_id" uuid NOT NULL,
        "record_type" text NOT NULL,
        "row_indices" int4multirange NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_data_table_source_rows" PRIMARY KEY ("table_id", "source_job_id", "record_type")
      )`);
    await queryRunner.query(`
      INSERT INTO "data_table_source_rows" ("table_id", "source_job_id", "record_type", "row_indices")
      SELECT "table_id", "source_job_id", "record_type", range_agg(int4range("row_index", "row_index", '[]'))
      FROM "data_table_records"
      WHERE "is_copy" = false AND "source_job_id" IS NOT NULL AND "record_type" IS NOT NULL
        AND "row_index" IS NOT NULL
      GROUP BY "table_id", "source_job_id", "record_type"`);
    await queryRunner.query(`DROP INDEX "uq_data_table_records_source_row"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_data_table_records_source_row" ON "data_table_records" ("table_id", "source_job_id", "record_type", "row_index") WHERE "is_copy" = false AND "source_job_id" IS NOT NULL`,
    );
    await queryRunner.query(`DROP TABLE "data_table_source_rows"`);
  }
}
