/**
 * The job core every role needs: repositories, ExtractionJobService (exported for other modules),
 * the queue port on Bull, and the extractor pool.
 */
import { Logger, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { BullJobQueue } from './bull/bull-job-queue';
import { QueueModule } from '../queue/queue.module';
import { ExtractionJobRepository } from './persistence/extraction-job.repository';
import { ExtractionJobSweepsRepository } from './persistence/extraction-job-sweeps.repository';
import { JobDatabase } from './persistence/job-database';
import { ResultReuseRepository } from './persistence/result-reuse.repository';
import { ExtractionJobService } from './jobs/extraction-job.service';
import { ExtractorPool } from './processing/extractor-pool/extractor-pool';
import { JobQueue } from './jobs/job-queue';
import { BulkReleaseRepository } from './persistence/bulk-release.repository';
import { OwnerUsageRepository } from './persistence/owner-usage.repository';
import { BulkReleaseService } from './jobs/bulk-release.service';
import { OwnerActivityMetrics } from './jobs/owner-activity.metrics';
import { ReprocessMetrics } from './jobs/reprocess.metrics';

@Module({
  imports: [QueueModule],
  providers: [
    JobDatabase,
    ExtractionJobRepository,
    ExtractionJobSweepsRepository,
    ResultReuseRepository,
    ExtractionJobService,
    BulkReleaseRepository,
    OwnerUsageRepository,
    BulkReleaseService,
    OwnerActivityMetrics,
    ReprocessMetrics,
    { provide: Clock, useClass: SystemClock },
    { provide: JobQueue, useClass: BullJobQueue },
    {
      provide: ExtractorPool,
      inject: [AppConfig, { token: MetricsService, optional: true }],
      useFactory: (config: AppConfig, metrics?: MetricsService) => {
        const { threads, configuredThreads, memoryMb, memoryBudgetMb } = config.worker;
        if (threads < configuredThreads)
          new Logger(ExtractorPool.name).warn(
            `${threads} extractor threads instead of ${configuredThreads}: ${threads} × ` +
              `${memoryMb} MB heap fit the memory budget of ${memoryBudgetMb} MB ` +
              `(WORKER_MEMORY_BUDGET_MB)`,
          );
        return new ExtractorPool({
          threads,
          memoryMb,
          timeoutMs: config.worker.timeoutMs,
          memoryBudgetMb,
          recycleMb: config.worker.recycleMb,
          onThreadRecycled: (reason) => metrics?.threadsRecycled.inc({ reason }),
          overridesModule: config.worker.extractorOverrides,
        });
      },
    },
  ],
  exports: [
    ExtractionJobService,
    ExtractorPool,
    JobQueue,
    Clock,
    BulkReleaseService,
    ResultReuseRepository,
  ],
})
export class ExtractionModule {}
