/**
 * The outbox relay and the delivery runner, one loop per process (EVENTS_ENABLED):
 * - relay (workers only): events past the relay cursor → first attempts of the in-process
 *   handlers, then one delivery row per webhook, callback and failed handler, and the cursor moved
 *   past them (one transaction);
 * - deliveries: due rows claimed with SKIP LOCKED and run concurrently — in-process handlers
 *   registered here (any role), webhooks and callbacks on workers only; each outcome is recorded
 *   (delivered, retry at a backoff with jitter, or failed once past its retry window);
 * - retention (workers only): relayed events older than EVENT_RETENTION_DAYS deleted.
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
import { StatementBatcher } from '../common/statement-batcher';
import { AppConfig } from '../config/app-config';
import { EventMetrics } from './event-metrics';
import {
  ClaimedDelivery,
  DeliveryOutcome,
  EventOutboxRepository,
  HandlerRetry,
} from './event-outbox.repository';
import { ExtractionEvent } from './event-types';
import { ExtractionEvents } from './extraction-events';
import { WebhookSender } from './webhook-sender';

/** Deliveries in flight per process. */
const MAX_IN_FLIGHT = 64;
/** How long the relay waits for a handler's first attempt before leaving it to a delivery row. */
const FIRST_ATTEMPT_MS = 1000;
/** Retention batches (of 1000 events) at most per sweep interval. */
const RETENTION_BATCHES = 20;

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
  private pumping = false;
  /** stop() was called: claim nothing more. */
  private closing = false;
  private pumpAgain = false;
  /** The last claim was full: more deliveries are probably due. */
  private backlog = false;
  private readonly clock: Clock;
  // Outcomes of concurrent deliveries share statements (see StatementBatcher).
  private readonly records = new StatementBatcher<
    { delivery: ClaimedDelivery; outcome: DeliveryOutcome },
    { recorded: boolean; disabled: boolean }
  >((items) =>
    this.outbox.record(items, this.clock.now(), this.config.jobEvents.disableAfterSeconds),
  );

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
    if (this.config.jobEvents.enabled) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  /**
   * Stops polling and waits for the deliveries in flight, at most a webhook timeout and a second:
   * a handler still running then is delivered again elsewhere when its lease ends.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.config.jobEvents.webhookTimeoutMs + 1000);
      }),
    ]);
    clearTimeout(timer);
    this.sender.close();
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
        .then((again) => this.schedule(again ? 0 : this.config.jobEvents.pollMs))
        .catch((error: Error) => {
          this.logger.warn(`event relay tick failed: ${error.message}`);
          this.schedule(this.config.jobEvents.pollMs);
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
        this.config.jobEvents.batchSize,
        this.config.jobEvents.retryWindowSeconds,
        (events) => this.firstAttempts(events),
      );
      this.metrics.relayed.inc(relayed.events);
      more = relayed.events >= this.config.jobEvents.batchSize;
      if (now.getTime() - this.lastRetention >= this.config.sweep.intervalMs) {
        this.lastRetention = now.getTime();
        const cutoff = new Date(now.getTime() - this.config.jobEvents.retentionDays * 86_400_000);
        // A few batches per sweep, from the oldest, until one is not full.
        for (let i = 0; i < RETENTION_BATCHES; i += 1)
          if ((await this.outbox.deleteRelayedBefore(cutoff, 1000)) < 1000) break;
        await this.outbox.deleteOrphanCallbacks(new Date(now.getTime() - 3_600_000), 1000);
      }
    }
    await this.pump();
    return more;
  }

  /**
   * First attempts of the in-process handlers, inside the relay's transaction: all at once, each
   * given FIRST_ATTEMPT_MS. A handler that throws gets a retry after the backoff; one still
   * running is leased like a claimed delivery (it may finish and still be called again: at least
   * once, same id).
   */
  private async firstAttempts(events: ExtractionEvent[]): Promise<HandlerRetry[]> {
    const retries: HandlerRetry[] = [];
    await Promise.all(
      events.flatMap((event) =>
        this.events.handlersFor(event.type).map(async (handler) => {
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            this.events.dispatch(handler, event).then(
              () => null,
              (e: unknown) => `handler threw: ${(e as Error)?.message ?? String(e)}`,
            ),
            new Promise<'late'>((resolve) => {
              timer = setTimeout(() => resolve('late'), FIRST_ATTEMPT_MS);
            }),
          ]);
          clearTimeout(timer);
          if (outcome === null) {
            this.metrics.deliveries.inc({ receiver: 'handler', outcome: 'delivered' });
            return;
          }
          const now = this.clock.now().getTime();
          const late = outcome === 'late';
          this.metrics.deliveries.inc({ receiver: 'handler', outcome: 'retry' });
          retries.push({
            eventId: event.id,
            handler,
            nextAttemptAt: new Date(
              now +
                (late
                  ? this.leaseSeconds() * 1000
                  : retryDelayMs(
                      1,
                      this.config.jobEvents.retryBaseSeconds,
                      this.config.jobEvents.retryCapSeconds,
                    )),
            ),
            error: late ? `handler still running after ${FIRST_ATTEMPT_MS} ms` : outcome,
          });
        }),
      ),
    );
    return retries;
  }

  /**
   * Claims due deliveries up to the free room and starts them. While claims come back full, a
   * delivery finishing with half the room free pumps again, so a backlog drains at the speed of
   * the receivers rather than one claim per poll.
   */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const room = MAX_IN_FLIGHT - this.inFlight.size;
        if (room <= 0 || this.closing) break;
        const claimed = await this.outbox.claim(this.clock.now(), {
          handlers: this.events.names(),
          webhooks: this.config.runsWorker,
          limit: room,
          leaseSeconds: this.leaseSeconds(),
        });
        this.backlog = claimed.length >= room;
        for (const delivery of claimed) {
          const run: Promise<void> = this.deliver(delivery)
            .catch((error: Error) =>
              this.logger.warn(`delivery ${delivery.id} not recorded: ${error.message}`),
            )
            .finally(() => {
              this.inFlight.delete(run);
              if (this.backlog && this.inFlight.size <= MAX_IN_FLIGHT / 2)
                this.pump().catch((error: Error) =>
                  this.logger.warn(`claiming deliveries failed: ${error.message}`),
                );
            });
          this.inFlight.add(run);
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * How long a claimed delivery is ours: three webhook timeouts and some slack (a wait in the
   * per-host queue included). A handler or request still running after it may be delivered
   * again by another process: at least once, same event id.
   */
  private leaseSeconds(): number {
    return (3 * this.config.jobEvents.webhookTimeoutMs) / 1000 + 5;
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
            this.config.jobEvents.retryBaseSeconds,
            this.config.jobEvents.retryCapSeconds,
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
    const { disabled } = await this.records.submit({ delivery: d, outcome });
    if (disabled) this.logger.warn(`webhook ${d.webhookId} disabled: failing for too long`);
  }
}
