/** Metrics of job events, registered on the service's registry (`/metrics`). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';

@Injectable()
export class EventMetrics {
  readonly relayed: Counter<string>;
  readonly deliveries: Counter<'receiver' | 'outcome'>;
  readonly webhookLatency: Histogram<string>;

  constructor(metrics: MetricsService, @InjectDataSource() dataSource: DataSource) {
    const registers = [metrics.registry];
    this.relayed = new Counter({
      name: 'extraction_events_relayed_total',
      help: 'Outbox events fanned out to their receivers by this process',
      registers,
    });
    this.deliveries = new Counter({
      name: 'extraction_event_deliveries_total',
      help: 'Delivery attempts, by receiver (handler, webhook, callback) and outcome (delivered, retry, failed)',
      labelNames: ['receiver', 'outcome'],
      registers,
    });
    this.webhookLatency = new Histogram({
      name: 'extraction_webhook_delivery_seconds',
      help: 'Time from the state change to the 2xx of a webhook or callback',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600],
      registers,
    });
    // Read from PostgreSQL at scrape time: true for the whole cluster, whichever process answers.
    new Gauge({
      name: 'extraction_events_written',
      help: 'Events written to the outbox so far (its sequence)',
      registers,
      async collect() {
        try {
          const rows: Array<{ n: string | null }> = await dataSource.query(
            `SELECT pg_sequence_last_value(pg_get_serial_sequence('extraction_events', 'seq')::regclass) AS n`,
          );
          this.set(Number(rows[0].n ?? 0));
        } catch {
          // database down: the readiness probe reports it
        }
      },
    });
    new Gauge({
      name: 'extraction_outbox_lag_seconds',
      help: 'Age of the oldest event not yet relayed (0 when none)',
      registers,
      async collect() {
        try {
          const rows: Array<{ lag: number | null }> = await dataSource.query(
            `SELECT extract(epoch FROM (now() - e.occurred_at))::float8 AS lag
             FROM extraction_events e, extraction_event_relay_cursor c
             WHERE c.id = 1 AND (e.xid, e.seq) > (c.xid, c.seq) ORDER BY e.xid, e.seq LIMIT 1`,
          );
          this.set(Math.max(0, rows[0]?.lag ?? 0));
        } catch {
          // database down
        }
      },
    });
    new Gauge({
      name: 'extraction_event_deliveries_pending',
      help: 'Deliveries waiting for a first attempt or a retry',
      registers,
      async collect() {
        try {
          const rows: Array<{ n: number }> = await dataSource.query(
            `SELECT count(*)::int AS n FROM extraction_event_deliveries WHERE status = 'pending'`,
          );
          this.set(rows[0].n);
        } catch {
          // database down
        }
      },
    });
  }
}
