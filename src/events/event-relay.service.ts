/**
 * The outbox relay and the delivery runner, one loop per process (EVENTS_ENABLED):
 * - relay (workers only): unsent events → one delivery row per receiver, events marked sent;
 * - deliveries: due rows claimed with SKIP LOCKED and run concurrently — in-process handlers
 *   registered here (any role), webhooks and callbacks on workers only; each outcome is recorded
 *   (delivered, retry at a backoff with jitter, or failed once past its retry window);
 * - retention (workers only): sent events older than EVENT_RETENTION_DAYS deleted.
 * A delivery in flight when the process dies is due again when its lease ends: at least once.
 */
import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventMetrics } from './event-metrics';
import { ClaimedDelivery, DeliveryOutcome, EventOutboxRepository } from './event-outbox.repository';
import { ExtractionEvents } from './extraction-events';
import { WebhookSender } from './webhook-sender';

/** Deliveries in flight per process. */
const MAX_IN_FLIGHT = 64;

export function retryDelayMs(
  attempts: number,
  baseSeconds: number,
  capSeconds: number,
  random: () => number = Math.random,
): number {
  const seconds = Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), capSeconds);
  return seconds * 1000 * (0.75 + 0.5 * random());
}

@Injectable()
export class EventRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventRelayService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;
  private lastRetention = 0;
  private readonly clock: Clock;

  constructor(
    private readonly outbox: EventOutboxRepository,
    private readonly events: ExtractionEvents,
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
    private readonly metrics: EventMetrics,
    @Optional() clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  onApplicationBootstrap(): void {
    if (this.config.events.enabled) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Stops polling and waits for the deliveries in flight, at most a webhook timeout and a second:
   * a handler still running then is delivered again elsewhere when its lease ends.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.config.events.webhookTimeoutMs + 1000);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Resolves when the deliveries now in flight have finished (tests, tooling). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Wakes the loop now (e.g. after a state change in this process). */
  nudge(): void {
    if (!this.stopped && !this.ticking) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick()
        .then((again) => this.schedule(again ? 0 : this.config.events.pollMs))
        .catch((error: Error) => {
          this.logger.warn(`event relay tick failed: ${error.message}`);
          this.schedule(this.config.events.pollMs);
        })
        .finally(() => (this.ticking = null));
    }, ms);
  }

  /** One round; answers whether there is probably more to do at once. */
  async tick(): Promise<boolean> {
    const now = this.clock.now();
    const worker = this.config.runsWorker;
    let more = false;
    if (worker) {
      const relayed = await this.outbox.relay(
        now,
        this.config.events.batchSize,
        this.events.subscriptions(),
        this.config.events.retryWindowSeconds,
      );
      this.metrics.relayed.inc(relayed.events);
      more = relayed.events >= this.config.events.batchSize;
      if (now.getTime() - this.lastRetention >= this.config.sweep.intervalMs) {
        this.lastRetention = now.getTime();
        const cutoff = new Date(now.getTime() - this.config.events.retentionDays * 86_400_000);
        await this.outbox.deleteSentBefore(cutoff, 1000);
        await this.outbox.deleteOrphanCallbacks(new Date(now.getTime() - 3_600_000), 1000);
      }
    }
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    const claimed = await this.outbox.claim(now, {
      handlers: this.events.names(),
      webhooks: worker,
      limit: room,
      leaseSeconds: this.leaseSeconds(),
    });
    for (const delivery of claimed) {
      const run: Promise<void> = this.deliver(delivery)
        .catch((error: Error) =>
          this.logger.warn(`delivery ${delivery.id} not recorded: ${error.message}`),
        )
        .finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
    return more || (claimed.length > 0 && claimed.length >= room);
  }

  /**
   * How long a claimed delivery is ours: three webhook timeouts and some slack (a wait in the
   * per-host queue included). A handler or request still running after it may be delivered
   * again by another process: at least once, same event id.
   */
  private leaseSeconds(): number {
    return (3 * this.config.events.webhookTimeoutMs) / 1000 + 5;
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const receiver = d.handler ? 'handler' : d.webhookId ? 'webhook' : 'callback';
    let statusCode: number | null = null;
    let error: string | null = null;
    let final = false;
    if (d.handler) {
      try {
        await this.events.dispatch(d.handler, d.event);
      } catch (e) {
        error = `handler threw: ${(e as Error)?.message ?? String(e)}`;
      }
    } else if (d.webhookId && d.webhookEnabled === false) {
      error = 'the subscription is disabled';
      final = true;
    } else if (!d.secret || !d.url) {
      error = 'no signing secret for this callback';
      final = true;
    } else {
      const sent = await this.sender.send(d.url, d.secret, d.event.id, JSON.stringify(d.event));
      statusCode = sent.statusCode;
      error = sent.delivered ? null : (sent.error ?? 'not delivered');
    }
    const now = this.clock.now();
    let outcome: DeliveryOutcome;
    if (error === null) {
      outcome = { status: 'delivered', statusCode };
      if (receiver !== 'handler')
        this.metrics.webhookLatency.observe(
          Math.max(0, (now.getTime() - Date.parse(d.event.occurred_at)) / 1000),
        );
    } else {
      const next = new Date(
        now.getTime() +
          retryDelayMs(
            d.attempts,
            this.config.events.retryBaseSeconds,
            this.config.events.retryCapSeconds,
          ),
      );
      outcome =
        final || next > d.giveUpAt
          ? { status: 'failed', statusCode, error }
          : { status: 'retry', nextAttemptAt: next, statusCode, error };
      this.logger.warn(
        `event ${d.event.id} (${d.event.type}) to ${d.handler ?? d.webhookId ?? d.callbackJobId}: attempt ${d.attempts} ${outcome.status}: ${error}`,
      );
    }
    this.metrics.deliveries.inc({ receiver, outcome: outcome.status });
    const { disabled } = await this.outbox.record(
      d,
      outcome,
      now,
      this.config.events.disableAfterSeconds,
    );
    if (disabled) this.logger.warn(`webhook ${d.webhookId} disabled: failing for too long`);
  }
}
