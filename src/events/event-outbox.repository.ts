/**
 * SQL of the event relay and of deliveries. The relay reads events past its cursor (one row,
 * locked with SKIP LOCKED, so one relay at a time whatever the number of instances) whose
 * transaction is older than every transaction still running, runs the in-process handlers'
 * first attempts, and in the same transaction writes a delivery row per webhook, callback and
 * failed handler and moves the cursor: a crash leaves the cursor where it was (the events are
 * relayed again), never half fanned out. A claimed delivery's next_attempt_at is pushed out by a
 * lease: if its process dies, it is due again after the lease.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExtractionEvent, ExtractionEventType, OPTIONAL_EVENT_TYPES } from './event-types';

/** A handler whose first attempt failed during the relay: its delivery row, due at `nextAttemptAt`. */
export interface HandlerRetry {
  eventId: string;
  handler: string;
  nextAttemptAt: Date;
  error: string;
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  handler: string | null;
  webhookId: string | null;
  webhookEnabled: boolean | null;
  callbackJobId: string | null;
  url: string | null;
  secret: string | null;
  giveUpAt: Date;
  event: ExtractionEvent;
}

export type DeliveryOutcome =
  | { status: 'delivered'; statusCode: number | null }
  | { status: 'retry'; nextAttemptAt: Date; statusCode: number | null; error: string }
  | { status: 'failed'; statusCode: number | null; error: string };

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

@Injectable()
export class EventOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Relays up to `limit` events past the cursor in one transaction: takes the cursor row
   * (`FOR UPDATE SKIP LOCKED`: when another relay holds it, relays nothing), reads the events
   * after it in `(xid, seq)` order, only of transactions older than the oldest still running —
   * every such transaction has ended, so no event can still appear before the new cursor — lets
   * `handle` run the in-process handlers on them (first attempts, inside the transaction: if the
   * process dies, the cursor has not moved and they are relayed again), then writes a delivery
   * row per webhook subscription and callback, and one per handler that failed (its retry), and
   * moves the cursor to the last event. Answers how many events and deliveries it wrote.
   */
  async relay(
    now: Date,
    limit: number,
    windowSeconds: number,
    handle: (events: ExtractionEvent[]) => Promise<HandlerRetry[]>,
  ): Promise<{ events: number; deliveries: number }> {
    return this.dataSource.transaction(async (manager) => {
      // One statement: its snapshot is taken before the cursor lock gives this transaction an
      // id, so its own id does not hold back the horizon.
      const rows: Array<Record<string, unknown>> = await manager.query(
        `WITH cursor AS (
           SELECT xid, seq FROM extraction_event_relay_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED
         )
         SELECT e.id AS event_id, e.type, e.owner_id AS event_owner, e.job_id, e.occurred_at,
           e.data, e.xid::text AS xid, e.seq::text AS seq
         FROM cursor c CROSS JOIN LATERAL (
           SELECT * FROM extraction_events e
           WHERE (e.xid, e.seq) > (c.xid, c.seq)
             AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY e.xid, e.seq LIMIT $1
         ) e`,
        [limit],
      );
      if (rows.length === 0) return { events: 0, deliveries: 0 };
      const events = rows.map(toEvent);
      const last = rows[rows.length - 1];
      const retries = await handle(events);
      const out: Array<{ events: number; deliveries: number }> = await manager.query(
        `WITH ev AS (
           SELECT e.id, e.owner_id, e.type, e.job_id, (e.data->'job'->>'parent_job_id')::uuid AS parent_id
           FROM extraction_events e WHERE e.id = ANY($2::uuid[])
         ), hooks AS (
           INSERT INTO extraction_event_deliveries (event_id, owner_id, webhook_id, callback_job_id,
             url, next_attempt_at, give_up_at, created_at, updated_at)
           SELECT r.event_id, r.owner_id, r.webhook_id, r.callback_job_id, r.url, $1::timestamptz,
             $1::timestamptz + $3::float8 * interval '1 second', $1::timestamptz, $1::timestamptz
           FROM (
             SELECT ev.id AS event_id, ev.owner_id, w.id AS webhook_id, NULL::uuid AS callback_job_id, w.url
             FROM ev JOIN extraction_webhooks w
               ON w.owner_id = ev.owner_id AND w.enabled AND ev.type = ANY(w.event_types)
             UNION ALL
             -- Callbacks get every event of their job or bulk but the optional ones.
             SELECT ev.id, ev.owner_id, NULL, cb.job_id, cb.url
             FROM ev JOIN extraction_job_callbacks cb ON cb.job_id IN (ev.job_id, ev.parent_id)
             WHERE ev.type <> ALL($8::text[])
           ) r
           RETURNING id
         ), retries AS (
           INSERT INTO extraction_event_deliveries (event_id, owner_id, handler, attempts,
             next_attempt_at, give_up_at, last_error, created_at, updated_at)
           SELECT r.event_id, ev.owner_id, r.handler, 1, r.next_at,
             $1::timestamptz + $3::float8 * interval '1 second', r.error, $1::timestamptz, $1::timestamptz
           FROM unnest($4::uuid[], $5::text[], $6::timestamptz[], $7::text[])
             AS r(event_id, handler, next_at, error)
           JOIN ev ON ev.id = r.event_id
           RETURNING id
         ), moved AS (
           UPDATE extraction_event_relay_cursor SET xid = $9::xid8, seq = $10::bigint,
             updated_at = $1::timestamptz
           WHERE id = 1 RETURNING id
         )
         SELECT (SELECT count(*)::int FROM ev) AS events,
                (SELECT count(*)::int FROM hooks) + (SELECT count(*)::int FROM retries) AS deliveries,
                (SELECT count(*)::int FROM moved) AS moved`,
        [
          now,
          events.map((e) => e.id),
          windowSeconds,
          retries.map((r) => r.eventId),
          retries.map((r) => r.handler),
          retries.map((r) => r.nextAttemptAt),
          retries.map((r) => r.error.slice(0, 1000)),
          OPTIONAL_EVENT_TYPES,
          last.xid,
          last.seq,
        ],
      );
      return { events: out[0].events, deliveries: out[0].deliveries };
    });
  }

  /**
   * Claims due deliveries for the handlers named (and webhooks and callbacks when
   * `webhooks`); each claimed row counts one attempt and is leased for `leaseSeconds`.
   */
  async claim(
    now: Date,
    opts: { handlers: string[]; webhooks: boolean; limit: number; leaseSeconds: number },
  ): Promise<ClaimedDelivery[]> {
    if (opts.limit <= 0 || (opts.handlers.length === 0 && !opts.webhooks)) return [];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM extraction_event_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1::timestamptz
           AND (d.handler = ANY($2::text[]) OR ($3::boolean AND d.handler IS NULL))
         ORDER BY d.next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE extraction_event_deliveries d SET attempts = d.attempts + 1,
           next_attempt_at = $1::timestamptz + $5::float8 * interval '1 second', updated_at = $1::timestamptz
         WHERE d.id = ANY(ARRAY(SELECT id FROM due))
         RETURNING d.*
       )
       SELECT c.id, c.attempts, c.handler, c.webhook_id, c.callback_job_id, c.url, c.give_up_at,
         w.enabled AS webhook_enabled, COALESCE(w.secret, s.secret) AS secret,
         e.id AS event_id, e.type, e.owner_id AS event_owner, e.job_id, e.occurred_at, e.data
       FROM claimed c JOIN extraction_events e ON e.id = c.event_id
       LEFT JOIN extraction_webhooks w ON w.id = c.webhook_id
       LEFT JOIN extraction_callback_secrets s ON c.callback_job_id IS NOT NULL AND s.owner_id = c.owner_id`,
      [now, opts.handlers, opts.webhooks, opts.limit, opts.leaseSeconds],
    );
    return rows.map((r) => ({
      id: r.id as string,
      attempts: Number(r.attempts),
      handler: (r.handler as string | null) ?? null,
      webhookId: (r.webhook_id as string | null) ?? null,
      webhookEnabled: (r.webhook_enabled as boolean | null) ?? null,
      callbackJobId: (r.callback_job_id as string | null) ?? null,
      url: (r.url as string | null) ?? null,
      secret: (r.secret as string | null) ?? null,
      giveUpAt: new Date(r.give_up_at as string),
      event: toEvent(r),
    }));
  }

  /**
   * Records the outcomes of claimed attempts, many in one statement (each fenced by its attempt
   * number). For webhooks it also keeps each subscription's failing streak: reset by a success in
   * the batch; a streak longer than `disableAfterSeconds` disables the subscription with the reason.
   * Answers, per record in order, whether it was recorded and whether its subscription was disabled.
   */
  async record(
    records: Array<{
      delivery: Pick<ClaimedDelivery, 'id' | 'attempts'>;
      outcome: DeliveryOutcome;
    }>,
    now: Date,
    disableAfterSeconds: number,
  ): Promise<Array<{ recorded: boolean; disabled: boolean }>> {
    const col = <T>(pick: (o: DeliveryOutcome) => T) => records.map((r) => pick(r.outcome));
    const rows: Array<{ id: string; disabled: boolean }> = await this.dataSource.query(
      `WITH o AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::int[], $6::text[])
           AS o(id, attempts, status, next_at, code, error)
       ), d AS (
         UPDATE extraction_event_deliveries d SET status = o.status,
           next_attempt_at = COALESCE(o.next_at, d.next_attempt_at),
           last_status_code = o.code, last_error = o.error,
           delivered_at = CASE WHEN o.status = 'delivered' THEN $7::timestamptz END,
           updated_at = $7::timestamptz
         FROM o WHERE d.id = o.id AND d.attempts = o.attempts AND d.status = 'pending'
         RETURNING d.id, d.webhook_id, o.status, o.error
       ), s AS (
         SELECT webhook_id, bool_or(status = 'delivered') AS ok, max(error) AS error
         FROM d WHERE webhook_id IS NOT NULL GROUP BY webhook_id
       ), w AS (
         UPDATE extraction_webhooks w SET
           failing_since = CASE WHEN s.ok THEN NULL ELSE COALESCE(w.failing_since, $7::timestamptz) END,
           enabled = w.enabled AND NOT ${streakTooLong},
           disabled_reason = CASE WHEN ${streakTooLong}
             THEN 'Deliveries failed without a success since ' || to_char(w.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '; last error: ' || s.error
             ELSE w.disabled_reason END,
           updated_at = $7::timestamptz
         FROM s
         WHERE w.id = s.webhook_id
           AND ((s.ok AND w.failing_since IS NOT NULL)
             OR (NOT s.ok AND (w.failing_since IS NULL OR (w.enabled AND ${streakTooLong}))))
         RETURNING w.id, NOT w.enabled AS disabled
       )
       SELECT d.id, COALESCE((SELECT bool_or(w.disabled) FROM w WHERE w.id = d.webhook_id), false) AS disabled
       FROM d`,
      [
        records.map((r) => r.delivery.id),
        records.map((r) => r.delivery.attempts),
        col((o) => (o.status === 'retry' ? 'pending' : o.status)),
        col((o) => (o.status === 'retry' ? o.nextAttemptAt : null)),
        col((o) => o.statusCode),
        col((o) => (o.status === 'delivered' ? null : o.error.slice(0, 1000))),
        now,
        disableAfterSeconds,
      ],
    );
    const byId = new Map(rows.map((r) => [r.id, r.disabled]));
    return records.map((r) => ({
      recorded: byId.has(r.delivery.id),
      disabled: byId.get(r.delivery.id) ?? false,
    }));
  }

  /**
   * Deletes relayed events (those behind the cursor; their deliveries by cascade) that occurred
   * before the cutoff, taken from the oldest: the `limit` oldest relayed events are looked at, so
   * the sweep costs the same however many recent events are kept.
   */
  async deleteRelayedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `WITH c AS (SELECT xid, seq FROM extraction_event_relay_cursor WHERE id = 1),
       oldest AS (
         SELECT e.id, e.occurred_at FROM extraction_events e, c
         WHERE (e.xid, e.seq) <= (c.xid, c.seq)
         ORDER BY e.xid, e.seq LIMIT $2 FOR UPDATE OF e SKIP LOCKED
       ), del AS (
         DELETE FROM extraction_events e
         WHERE e.id = ANY(ARRAY(SELECT id FROM oldest WHERE occurred_at < $1))
         RETURNING e.id
       )
       SELECT count(*)::int AS n FROM del`,
      [cutoff, limit],
    );
    return rows[0].n;
  }

  /** Callbacks older than the cutoff whose job is gone (deleted, or never created). */
  async deleteOrphanCallbacks(cutoff: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH del AS (
         DELETE FROM extraction_job_callbacks cb WHERE cb.job_id = ANY(ARRAY(
           SELECT c.job_id FROM extraction_job_callbacks c
           WHERE c.created_at < $1 AND NOT EXISTS (SELECT 1 FROM extraction_jobs j WHERE j.id = c.job_id)
           LIMIT $2))
         RETURNING cb.job_id
       )
       SELECT job_id FROM del`,
      [cutoff, limit],
    );
    return rows.length;
  }

  /** The delivery log of a subscription, newest first. */
  async listForWebhook(
    webhookId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: DeliveryLogEntry[]; total: number }> {
    const [count, rows] = await Promise.all([
      this.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM extraction_event_deliveries WHERE webhook_id = $1`,
        [webhookId],
      ),
      this.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT d.*, e.type AS event_type FROM extraction_event_deliveries d
         JOIN extraction_events e ON e.id = d.event_id
         WHERE d.webhook_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3`,
        [webhookId, pageSize, (page - 1) * pageSize],
      ),
    ]);
    return {
      total: count[0].n,
      items: rows.map((r) => ({
        id: r.id as string,
        eventId: r.event_id as string,
        eventType: r.event_type as string,
        status: r.status as DeliveryLogEntry['status'],
        attempts: Number(r.attempts),
        lastStatusCode: (r.last_status_code as number | null) ?? null,
        lastError: (r.last_error as string | null) ?? null,
        nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at as string) : null,
        deliveredAt: r.delivered_at ? new Date(r.delivered_at as string) : null,
        createdAt: new Date(r.created_at as string),
      })),
    };
  }

  /** A delivery of the owner's webhook subscriptions or callbacks, for redelivery; null if not theirs. */
  async redeliver(
    id: string,
    ownerId: string,
    now: Date,
    windowSeconds: number,
  ): Promise<DeliveryLogEntry | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH d AS (
         UPDATE extraction_event_deliveries d SET status = 'pending', next_attempt_at = $3::timestamptz,
           give_up_at = $3::timestamptz + $4::float8 * interval '1 second', updated_at = $3::timestamptz
         WHERE d.id = $1 AND d.owner_id = $2 AND d.handler IS NULL
           AND (d.webhook_id IS NULL OR EXISTS (
             SELECT 1 FROM extraction_webhooks w WHERE w.id = d.webhook_id AND w.enabled))
         RETURNING d.*
       )
       SELECT d.*, e.type AS event_type FROM d JOIN extraction_events e ON e.id = d.event_id`,
      [id, ownerId, now, windowSeconds],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      eventId: r.event_id as string,
      eventType: r.event_type as string,
      status: 'pending',
      attempts: Number(r.attempts),
      lastStatusCode: (r.last_status_code as number | null) ?? null,
      lastError: (r.last_error as string | null) ?? null,
      nextAttemptAt: new Date(r.next_attempt_at as string),
      deliveredAt: r.delivered_at ? new Date(r.delivered_at as string) : null,
      createdAt: new Date(r.created_at as string),
    };
  }
}

/** A failing batch (`s`) for a subscription failing since before the threshold ($7 now, $8 seconds). */
const streakTooLong = `(NOT s.ok AND w.failing_since IS NOT NULL AND w.failing_since < $7::timestamptz - $8::float8 * interval '1 second')`;

function toEvent(r: Record<string, unknown>): ExtractionEvent {
  const data = r.data as Omit<
    ExtractionEvent,
    'id' | 'type' | 'occurred_at' | 'owner_id' | 'job_id'
  >;
  return {
    id: r.event_id as string,
    type: r.type as ExtractionEventType,
    occurred_at: iso(r.occurred_at as string),
    owner_id: r.event_owner as string,
    job_id: r.job_id as string,
    ...data,
  };
}
