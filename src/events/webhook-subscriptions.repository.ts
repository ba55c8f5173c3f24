/**
 * SQL of webhook subscriptions, job callbacks and the owners' callback secrets. UPDATE and DELETE
 * read back through a CTE: TypeORM answers a bare one as [rows, count].
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface WebhookSubscription {
  id: string;
  ownerId: string;
  url: string;
  eventTypes: string[];
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
}

function toSubscription(r: Record<string, unknown>): WebhookSubscription {
  return {
    id: r.id as string,
    ownerId: r.owner_id as string,
    url: r.url as string,
    eventTypes: r.event_types as string[],
    secret: r.secret as string,
    enabled: r.enabled as boolean,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    failingSince: r.failing_since ? new Date(r.failing_since as string) : null,
    createdAt: new Date(r.created_at as string),
  };
}

@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(ownerId: string, url: string, eventTypes: string[], secret: string, now: Date) {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `INSERT INTO extraction_webhooks (owner_id, url, event_types, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) RETURNING *`,
      [ownerId, url, eventTypes, secret, now],
    );
    return toSubscription(rows[0]);
  }

  async list(ownerId: string): Promise<WebhookSubscription[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM extraction_webhooks WHERE owner_id = $1 ORDER BY created_at, id`,
      [ownerId],
    );
    return rows.map(toSubscription);
  }

  async countForOwner(ownerId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_webhooks WHERE owner_id = $1`,
      [ownerId],
    );
    return rows[0].n;
  }

  async find(id: string, ownerId: string): Promise<WebhookSubscription | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM extraction_webhooks WHERE id = $1 AND owner_id = $2`,
      [id, ownerId],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async delete(id: string, ownerId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH d AS (DELETE FROM extraction_webhooks WHERE id = $1 AND owner_id = $2 RETURNING id)
       SELECT id FROM d`,
      [id, ownerId],
    );
    return rows.length === 1;
  }

  /** A new signing secret; the old one stops working at once. */
  async rotateSecret(id: string, ownerId: string, secret: string, now: Date) {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH u AS (
         UPDATE extraction_webhooks SET secret = $3, updated_at = $4
         WHERE id = $1 AND owner_id = $2 RETURNING *
       )
       SELECT * FROM u`,
      [id, ownerId, secret, now],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** Sets (or replaces) the owner's callback secret. */
  async putCallbackSecret(ownerId: string, secret: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO extraction_callback_secrets (owner_id, secret, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (owner_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at`,
      [ownerId, secret, now],
    );
  }

  async hasCallbackSecret(ownerId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM extraction_callback_secrets WHERE owner_id = $1`,
      [ownerId],
    );
    return rows.length === 1;
  }

  async insertCallback(jobId: string, ownerId: string, url: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO extraction_job_callbacks (job_id, owner_id, url, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (job_id) DO NOTHING`,
      [jobId, ownerId, url, now],
    );
  }

  async deleteCallback(jobId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM extraction_job_callbacks WHERE job_id = $1`, [jobId]);
  }
}
