/**
 * Preview and import of job rows into tables. TABLE_GATEWAY comes from a global module chosen by
 * the application (built-in tables, none, or the host application's own).
 */
import { Module } from '@nestjs/common';
import { ExtractionModule } from '../extraction/extraction.module';
import { QueueModule } from '../queue/queue.module';
import { ImportPreviewService } from './import-preview.service';
import { ImportRequestsRepository } from './import-requests.repository';
import { ImportService } from './import.service';
import { JobRowsSource } from './job-rows.source';
import { ImportRunQueue } from './runs/import-run-queue';
import { ImportRunsRepository } from './runs/import-runs.repository';

@Module({
  imports: [ExtractionModule, QueueModule],
  providers: [
    JobRowsSource,
    ImportRequestsRepository,
    ImportRunsRepository,
    ImportRunQueue,
    ImportService,
    ImportPreviewService,
  ],
  exports: [ImportService, ImportPreviewService, ImportRunsRepository, ImportRunQueue],
})
export class ImportModule {}
