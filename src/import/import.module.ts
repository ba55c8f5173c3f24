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
import { BomImportService } from './bom-import.service';
import { ImportExecutor } from './import-executor';
import { JobRowsSource } from './job-rows.source';
import { InlineResultRows } from './rows/inline-result-rows';
import { StoredResultRows } from './rows/stored-result-rows';
import { ImportRunQueue } from './runs/import-run-queue';
import { ImportRunsRepository } from './runs/import-runs.repository';

@Module({
  imports: [ExtractionModule, QueueModule],
  providers: [
    JobRowsSource,
    InlineResultRows,
    StoredResultRows,
    ImportRequestsRepository,
    ImportRunsRepository,
    ImportRunQueue,
    ImportExecutor,
    ImportService,
    BomImportService,
    ImportPreviewService,
  ],
  exports: [
    ImportService,
    BomImportService,
    ImportPreviewService,
    ImportRunsRepository,
    ImportRunQueue,
  ],
})
export class ImportModule {}
