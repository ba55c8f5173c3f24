/** What only worker processes run: the Bull processor, the sweeps and the queue watcher. */
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueModule } from '../queue/queue.module';
import { BulkExtractionService } from './processing/bulk-extraction.service';
import { ExtractionModule } from './extraction.module';
import { ExtractionScheduler } from './processing/extraction.scheduler';
import { QueueWatcher } from './processing/queue-watcher';
import { ResultReuseService } from './processing/result-reuse.service';

@Module({
  imports: [ScheduleModule.forRoot(), QueueModule, ExtractionModule],
  providers: [BulkExtractionService, ExtractionScheduler, QueueWatcher, ResultReuseService],
  exports: [BulkExtractionService, ExtractionScheduler],
})
export class ExtractionWorkerModule {}
