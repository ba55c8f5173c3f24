/**
 * The sweeps, on intervals from config, in every worker instance. Each tick only finds and
 * enqueues work through ExtractionJobService, whose statements are safe when several instances
 * sweep at once; a sweep never overlaps itself within one instance.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { ExtractionJobService } from '../jobs/extraction-job.service';
import { JobQueue } from '../jobs/job-queue';

export const SWEEPS = ['retry', 'stuck', 'reconcile', 'cleanup'] as const;
export type Sweep = (typeof SWEEPS)[number];

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
  ) {}

  onApplicationBootstrap(): void {
    for (const sweep of SWEEPS) {
      const interval = setInterval(() => void this.run(sweep), this.config.sweep.intervalMs);
      this.registry.addInterval(`extraction-${sweep}-sweep`, interval);
    }
  }

  /** Runs one sweep now (also used by tests and admin tooling); returns how many jobs it moved. */
  async run(sweep: Sweep): Promise<number> {
    if (this.busy.has(sweep)) return 0;
    this.busy.add(sweep);
    try {
      const moved = await this.sweep(sweep);
      this.metrics.sweepRuns.inc({ sweep, outcome: 'ok' });
      if (moved > 0) this.logger.log(`${sweep} sweep moved ${moved} job(s)`);
      return moved;
    } catch (error) {
      this.metrics.sweepRuns.inc({ sweep, outcome: 'error' });
      this.logger.warn(`${sweep} sweep failed: ${String(error)}`);
      return 0;
    } finally {
      this.busy.delete(sweep);
    }
  }

  private async sweep(sweep: Sweep): Promise<number> {
    const { batchSize, reconcileAfterSeconds, retentionDays } = this.config.sweep;
    switch (sweep) {
      case 'retry':
        return (await this.jobs.requeueDueRetries(batchSize)).length;
      case 'stuck':
        return (await this.jobs.recoverExpiredLeases(batchSize)).length;
      case 'reconcile':
        return (
          await this.jobs.reconcileStalePending(reconcileAfterSeconds, batchSize, (ref) =>
            this.queue.isQueued(ref),
          )
        ).length;
      case 'cleanup': {
        const { count, files } = await this.jobs.cleanup({
          olderThanDays: retentionDays,
          limit: batchSize * 10,
        });
        await deleteStoredFiles(this.storage, files, this.logger);
        return count;
      }
    }
  }
}
