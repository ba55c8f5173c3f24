/** Builds the event relay (outbox, handlers, webhook sender) on a job-service test harness. */
import { Registry } from 'prom-client';
import { Clock, SystemClock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { EventMetrics } from '../../src/events/event-metrics';
import { EventOutboxRepository } from '../../src/events/event-outbox.repository';
import { EventRelayService } from '../../src/events/event-relay.service';
import { ExtractionEvents } from '../../src/events/extraction-events';
import { WebhookAddressPolicy } from '../../src/events/webhook-address-policy';
import { WebhookSender } from '../../src/events/webhook-sender';
import { MetricsService } from '../../src/metrics/metrics.service';
import { JobServiceHarness } from './job-service-harness';

export interface EventRelayHarness {
  events: ExtractionEvents;
  outbox: EventOutboxRepository;
  relay: EventRelayService;
  metrics: EventMetrics;
  registry: Registry;
}

/** A relay on the harness's database; `env` adds settings (e.g. EVENT_RETRY_BASE_SECONDS). */
export function createEventRelay(
  h: JobServiceHarness,
  env: Record<string, string> = {},
  clock: Clock = new SystemClock(),
): EventRelayHarness {
  const config = AppConfig.fromEnvironment(
    {},
    {
      DATABASE_URL: h.db.url,
      EVENTS_POLL_MS: '20',
      EVENT_RETRY_BASE_SECONDS: '0.05',
      EVENT_RETRY_CAP_SECONDS: '1',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      WEBHOOK_TIMEOUT_MS: '2000',
      // Events carry the job harness's clock (2026-01-01), the relay the system's: a retention of
      // 7 days would delete them as soon as they are relayed.
      EVENT_RETENTION_DAYS: '3650',
      ...env,
    },
  );
  const registry = new Registry();
  const metrics = new EventMetrics({ registry } as MetricsService, h.db.dataSource);
  const outbox = new EventOutboxRepository(h.db.dataSource);
  const events = new ExtractionEvents();
  const policy = new WebhookAddressPolicy({
    allowHttp: config.jobEvents.allowHttp,
    allowedAddresses: config.jobEvents.allowedAddresses,
  });
  const sender = new WebhookSender(policy, {
    timeoutMs: config.jobEvents.webhookTimeoutMs,
    hostConcurrency: config.jobEvents.hostConcurrency,
  });
  const relay = new EventRelayService(outbox, events, sender, config, metrics, clock);
  return { events, outbox, relay, metrics, registry };
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
