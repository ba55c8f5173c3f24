import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job events (issue 15): the transactional outbox `extraction_events`, written by the same
 * statement as the state change; webhook subscriptions; per-job callback URLs; and one delivery
 * row per (event, receiver), in-process handlers and webhooks alike, so every receiver is retried
 * on its own. No foreign key from events to jobs: an event outlives a deleted job.
 */
export class CreateExtractionEvents1765300000000 implements MigrationInterface {
  name = 'CreateExtractionEvents1765300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "extraction_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint GENERATED ALWAYS AS IDENTITY,
        "type" text NOT NULL,
        "owner_id" text NOT NULL,
        "job_id" uuid NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "data" jsonb NOT NULL,
        "sent_at" timestamptz,
        CONSTRAINT "pk_extraction_events" PRIMARY KEY ("id")
      )`);
    // The relay: unsent events in write order.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_events_unsent" ON "extraction_events" ("seq") WHERE "sent_at" IS NULL`,
    );
    // The retention sweep: sent events by age.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_events_sent" ON "extraction_events" ("sent_at") WHERE "sent_at" IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "extraction_webhooks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "owner_id" text NOT NULL,
        "url" text NOT NULL,
        "event_types" text[] NOT NULL,
        "secret" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "disabled_reason" text,
        "failing_since" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_webhooks" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_webhooks_owner" ON "extraction_webhooks" ("owner_id", "created_at")`,
    );
    // Written before the job (under its pre-chosen id), so no event can precede it; no foreign
    // key for that reason: the retention sweep removes callbacks of jobs that are gone.
    await queryRunner.query(`
      CREATE TABLE "extraction_job_callbacks" (
        "job_id" uuid NOT NULL,
        "owner_id" text NOT NULL,
        "url" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_job_callbacks" PRIMARY KEY ("job_id")
      )`);
    // Per-job callbacks are signed with the owner's callback secret.
    await queryRunner.query(`
      CREATE TABLE "extraction_callback_secrets" (
        "owner_id" text NOT NULL,
        "secret" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_callback_secrets" PRIMARY KEY ("owner_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "extraction_event_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "event_id" uuid NOT NULL,
        "owner_id" text NOT NULL,
        "handler" text,
        "webhook_id" uuid,
        "callback_job_id" uuid,
        "url" text,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL,
        "give_up_at" timestamptz NOT NULL,
        "last_status_code" integer,
        "last_error" text,
        "delivered_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_extraction_event_deliveries" PRIMARY KEY ("id"),
        CONSTRAINT "fk_extraction_event_deliveries_event" FOREIGN KEY ("event_id")
          REFERENCES "extraction_events" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_extraction_event_deliveries_webhook" FOREIGN KEY ("webhook_id")
          REFERENCES "extraction_webhooks" ("id") ON DELETE CASCADE,
        CONSTRAINT "ck_extraction_event_deliveries_status" CHECK ("status" IN ('pending', 'delivered', 'failed')),
        CONSTRAINT "ck_extraction_event_deliveries_receiver" CHECK (
          num_nonnulls("handler", "webhook_id", "callback_job_id") = 1)
      )`);
    // The delivery runner: due deliveries (a claimed one is due again when its lease runs out).
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_event_deliveries_due" ON "extraction_event_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    // The delivery log of a subscription, newest first.
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_event_deliveries_webhook" ON "extraction_event_deliveries" ("webhook_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extraction_event_deliveries_event" ON "extraction_event_deliveries" ("event_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "extraction_event_deliveries"`);
    await queryRunner.query(`DROP TABLE "extraction_callback_secrets"`);
    await queryRunner.query(`DROP TABLE "extraction_job_callbacks"`);
    await queryRunner.query(`DROP TABLE "extraction_webhooks"`);
    await queryRunner.query(`DROP TABLE "extraction_events"`);
  }
}
