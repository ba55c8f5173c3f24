/**
 * Preview and import of job rows into tables. TABLE_GATEWAY comes from a global module chosen by
 * the application (built-in tables, none, or the host application's own).
 */
import { Module } from '@nestjs/common';
import { ExtractionModule } from '../extraction/extraction.module';
import { ImportPreviewService } from './import-preview.service';
import { ImportRequestsRepository } from './import-requests.repository';
import { ImportService } from './import.service';
import { JobRowsSource } from './job-rows.source';

@Module({
  imports: [ExtractionModule],
  providers: [JobRowsSource, ImportRequestsRepository, ImportService, ImportPreviewService],
  exports: [ImportService, ImportPreviewService],
})
export class ImportModule {}
