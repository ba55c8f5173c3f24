import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job events (issue 15), the relay without a write per event: each outbox row records the id of
 * the transaction that wrote it (`xid`), and the relay keeps one cursor row (the last relayed
 * `(xid, seq)`) instead of setting `sent_at` on every event. It reads only rows of transactions
 * older than every running one (`xid < pg_snapshot_xmin(pg_current_snapshot())`), so a row that
 * commits late behind a higher id is never passed over (docs/events.md, "Relay").
 * Also `extraction_jobs.progress_event_at`: when the bulk's last `bulk.progress` event was written
 * (the throttle of ≤ 1 per second per bulk, kept on the row the counter update already writes).
 */
export class EventRelayCursor1796610000000 implements MigrationInterface {
  name = 'EventRelayCursor1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_events" ADD COLUMN "xid" xid8`);
    // Events already relayed go behind the cursor (xid 1), unsent ones after it (xid 2, older than
    // any real transaction); new events get the id of the transaction that writes them.
    await queryRunner.query(
      `UPDATE "extraction_events" SET "xid" = (CASE WHEN "sent_at" IS NULL THEN '2' ELSE '1' END)::xid8`,
    );
    await queryRunner.query(
      `ALTER TABLE "extraction_events" ALTER COLUMN "xid" SET DEFAULT pg_current_xact_id(), ALTER COLUMN "xid" SET NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "ix_extraction_events_unsent"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_events_sent"`);
    await queryRunner.query(`ALTER TABLE "extraction_events" DROP COLUMN "sent_at"`);
    // The relay (events past the cursor, in order) and the retention sweep (from the oldest).
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_events_relay" ON "extraction_events" ("xid", "seq")`,
    );
    await queryRunner.query(`
      CREATE TABLE "extraction_event_relay_cursor" (
        "id" smallint NOT NULL,
        "xid" xid8 NOT NULL,
        "seq" bigint NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_event_relay_cursor" PRIMARY KEY ("id"),
        CONSTRAINT "ck_extraction_event_relay_cursor_single" CHECK ("id" = 1)
      )`);
    await queryRunner.query(
      `INSERT INTO "extraction_event_relay_cursor" ("id", "xid", "seq") VALUES (1, '1', 9223372036854775807)`,
    );
    await queryRunner.query(
      `ALTER TABLE "extraction_jobs" ADD COLUMN "progress_event_at" timestamptz`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extraction_jobs" DROP COLUMN "progress_event_at"`);
    // Types the earlier relay does not know.
    await queryRunner.query(
      `DELETE FROM "extraction_events" WHERE "type" IN ('bulk.progress', 'import.completed')`,
    );
    await queryRunner.query(`ALTER TABLE "extraction_events" ADD COLUMN "sent_at" timestamptz`);
    await queryRunner.query(
      `UPDATE "extraction_events" e SET "sent_at" = now() FROM "extraction_event_relay_cursor" c
       WHERE (e."xid", e."seq") <= (c."xid", c."seq")`,
    );
    await queryRunner.query(`DROP TABLE "extraction_event_relay_cursor"`);
    await queryRunner.query(`DROP INDEX "ix_extraction_events_relay"`);
    await queryRunner.query(`ALTER TABLE "extraction_events" DROP COLUMN "xid"`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_events_unsent" ON "extraction_events" ("seq") WHERE "sent_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_events_sent" ON "extraction_events" ("sent_at") WHERE "sent_at" IS NOT NULL`,
    );
  }
}
