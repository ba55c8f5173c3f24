/**
 * Recovery in seconds after the queue loses messages. Every `QUEUE_WATCH_INTERVAL_MS` a worker
 * reads the queue's epoch marker. When the queue was unreachable and answers again, or the marker
 * is new (FLUSHALL, a restart without persistence) or changed, messages may be gone: the
 * reconciler enqueues every pending job without a message at once, instead of waiting
 * `RECONCILE_AFTER_SECONDS` for the regular sweep. So it does when the queue answers after a
 * dispatch of this process was skipped (queue down, breaker open): those jobs have no message.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { ExtractionScheduler } from './extraction.scheduler';

@Injectable()
export class QueueWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWatcher.name);
  private timer?: NodeJS.Timeout;
  private lastEpoch: string | null = null;
  private unreachableSince: number | null = null;
  private checking = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly scheduler: ExtractionScheduler,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), this.config.sweep.queueWatchIntervalMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One look at the queue; reconciles at once when messages may have been lost. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const reason = await this.lossReason();
      if (reason) {
        const started = Date.now();
        const moved = await this.scheduler.reconcileNow();
        this.logger.warn(
          `Queue ${reason}: re-enqueued ${moved} pending job(s) in ${Date.now() - started} ms`,
        );
      }
    } finally {
      this.checking = false;
    }
  }

  private async lossReason(): Promise<string | null> {
    let epoch: { id: string; created: boolean };
    try {
      epoch = await this.queue.epoch();
    } catch {
      this.unreachableSince ??= Date.now();
      return null;
    }
    const previous = this.lastEpoch;
    const downFor = this.unreachableSince === null ? null : Date.now() - this.unreachableSince;
    this.lastEpoch = epoch.id;
    this.unreachableSince = null;
    if (epoch.created)
      return 'data is new (first start, FLUSHALL or a restart without persistence)';
    if (previous !== null && previous !== epoch.id) return 'data was replaced';
    if (downFor !== null) return `reachable again after ${downFor} ms`;
    // A dispatch skipped while the queue was down or its breaker open (e.g. duplicates woken, or
    // retries, right around the recovery) left jobs that the reconcile above may have missed.
    if (this.queue.takeUndelivered()) return 'reachable after a dispatch was skipped';
    return null;
  }
}
