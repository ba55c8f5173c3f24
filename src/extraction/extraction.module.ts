/**
 * The job core every role needs: repositories, ExtractionJobService (exported for other modules),
 * dispatching through Bull, and the extractor pool.
 */
import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { BullJobDispatcher } from '../queue/bull-job.dispatcher';
import { QueueModule } from '../queue/queue.module';
import { ExtractionJobRepository } from './extraction-job.repository';
import { ExtractionJobSweepsRepository } from './extraction-job-sweeps.repository';
import { JobDatabase } from './job-database';
import { ExtractionJobService } from './extraction-job.service';
import { ExtractorPool } from './extractor-pool/extractor-pool';
import { JobDispatcher } from './job-dispatcher';

@Module({
  imports: [QueueModule],
  providers: [
    JobDatabase,
    ExtractionJobRepository,
    ExtractionJobSweepsRepository,
    ExtractionJobService,
    { provide: Clock, useClass: SystemClock },
    { provide: JobDispatcher, useExisting: BullJobDispatcher },
    {
      provide: ExtractorPool,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new ExtractorPool({
          threads: config.worker.threads,
          memoryMb: config.worker.memoryMb,
          timeoutMs: config.worker.timeoutMs,
          overridesModule: config.worker.extractorOverrides,
        }),
    },
  ],
  exports: [ExtractionJobService, ExtractorPool],
})
export class ExtractionModule {}
