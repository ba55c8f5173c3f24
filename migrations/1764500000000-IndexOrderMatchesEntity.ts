import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three indexes were created with DESC columns that the entity (TypeORM cannot declare a column's
 * order) does not show. A B-tree serves `ORDER BY created_at DESC, id DESC` by scanning backwards
 * just as well, so they become ascending and the entity describes the schema exactly.
 */
export class IndexOrderMatchesEntity1764500000000 implements MigrationInterface {
  name = 'IndexOrderMatchesEntity1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.recreate(queryRunner, '');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.recreate(queryRunner, ' DESC');
  }

  private async recreate(queryRunner: QueryRunner, order: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_owner_created"`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_owner_created" ON "extraction_jobs" ("owner_id", "created_at"${order}, "id"${order})`,
    );
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_owner_status_created"`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_owner_status_created" ON "extraction_jobs" ("owner_id", "status", "created_at"${order}, "id"${order})`,
    );
    await queryRunner.query(`DROP INDEX "ix_extraction_jobs_attachment"`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_jobs_attachment" ON "extraction_jobs" ("attachment_id", "created_at"${order})`,
    );
  }
}
