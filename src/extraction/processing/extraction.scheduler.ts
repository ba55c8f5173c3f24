/**
 * The sweeps, on intervals from config, in every worker instance. Each tick only finds and
 * enqueues work through ExtractionJobService, whose statements are safe when several instances
 * sweep at once; a sweep never overlaps itself within one instance. A tick repeats while its
 * batches come back full, so a backlog (after an outage) drains in one tick, not one batch a tick.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { ExtractionJobService } from '../jobs/extraction-job.service';
import { JobQueue } from '../jobs/job-queue';
import { BulkReleaseService } from '../jobs/bulk-release.service';

export const SWEEPS = ['retry', 'stuck', 'reconcile', 'cleanup'] as const;
export type Sweep = (typeof SWEEPS)[number];

/** Batches per tick at most, so one tick cannot run forever against a flood of new work. */
const MAX_BATCHES_PER_TICK = 1000;

interface BatchOutcome {
  moved: number;
  /** The batch was full: there may be more. */
  full: boolean;
}

@Injectable()
export class ExtractionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExtractionScheduler.name);
  private readonly busy = new Set<Sweep>();

  constructor(
    private readonly jobs: ExtractionJobService,
    private readonly queue: JobQueue,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly releases: BulkReleaseService,
  ) {}

  onApplicationBootstrap(): void {
    for (const sweep of SWEEPS) {
      const interval = setInterval(() => void this.run(sweep), this.config.sweep.intervalMs);
      this.registry.addInterval(`extraction-${sweep}-sweep`, interval);
    }
    // Fair scheduling: refill the owners' windows (also kicked whenever a bulk file settles).
    const release = setInterval(() => this.releases.kick(), this.config.fairness.releaseIntervalMs);
    this.registry.addInterval('extraction-bulk-release', release);
  }

  /** Runs one sweep now (also used by tests and admin tooling); returns how many jobs it moved. */
  async run(sweep: Sweep): Promise<number> {
    const asOf = this.clock.now();
    return this.exclusively(sweep, () => this.sweepBatch(sweep, asOf));
  }

  /**
   * Every pending job without a queue message, enqueued now rather than after
   * `RECONCILE_AFTER_SECONDS`: for when the queue was unreachable or lost its data.
   */
  async reconcileNow(): Promise<number> {
    const asOf = this.clock.now();
    return this.exclusively('reconcile', () => this.reconcileBatch(0, asOf));
  }

  private async exclusively(sweep: Sweep, batch: () => Promise<BatchOutcome>): Promise<number> {
    if (this.busy.has(sweep)) return 0;
    this.busy.add(sweep);
    let moved = 0;
    try {
      for (let n = 0; n < MAX_BATCHES_PER_TICK; n += 1) {
        const outcome = await batch();
        moved += outcome.moved;
        if (!outcome.full) break;
      }
      this.metrics.sweepRuns.inc({ sweep, outcome: 'ok' });
      if (moved > 0) this.logger.log(`${sweep} sweep moved ${moved} job(s)`);
      return moved;
    } catch (error) {
      this.metrics.sweepRuns.inc({ sweep, outcome: 'error' });
      this.logger.warn(`${sweep} sweep failed after moving ${moved} job(s): ${String(error)}`);
      return moved;
    } finally {
      this.busy.delete(sweep);
    }
  }

  private async sweepBatch(sweep: Sweep, asOf: Date): Promise<BatchOutcome> {
    const { batchSize, reconcileAfterSeconds, retentionDays } = this.config.sweep;
    const outcome = (moved: number, limit = batchSize) => ({ moved, full: moved >= limit });
    switch (sweep) {
      case 'retry':
        return outcome((await this.jobs.requeueDueRetries(batchSize)).length);
      case 'stuck':
        return outcome((await this.jobs.recoverExpiredLeases(batchSize)).length);
      case 'reconcile':
        return this.reconcileBatch(reconcileAfterSeconds, asOf);
      case 'cleanup': {
        const { count, files } = await this.jobs.cleanup({
          olderThanDays: retentionDays,
          limit: batchSize * 10,
        });
        await deleteStoredFiles(this.storage, files, this.logger);
        return outcome(count, batchSize * 10);
      }
    }
  }

  private async reconcileBatch(olderThanSeconds: number, asOf: Date): Promise<BatchOutcome> {
    const { batchSize } = this.config.sweep;
    const { checked, lost } = await this.jobs.reconcileBatch(
      olderThanSeconds,
      batchSize,
      (ref) => this.queue.isQueued(ref),
      asOf,
    );
    return { moved: lost.length, full: checked >= batchSize };
  }
}
