/** The HTTP API for frontend apps (role api / all). */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ExtractionModule } from '../extraction/extraction.module';
import { EventsModule } from '../events/events.module';
import { WebhooksController } from './controllers/webhooks.controller';
import { ImportModule } from '../import/import.module';
import { AdminJobsController } from './controllers/admin-jobs.controller';
import { BulkController } from './controllers/bulk.controller';
import { ExtractController } from './controllers/extract.controller';
import { ImportController } from './controllers/import.controller';
import { JobsController } from './controllers/jobs.controller';
import { JobIntakeService } from './services/job-intake.service';
import { JobProgressStreamService } from './services/job-progress-stream.service';
import { BulkProgressStreamService } from './services/bulk-progress-stream.service';
import { ImportProgressStreamService } from './services/import-progress-stream.service';
import { JobResultService } from './services/job-result.service';
import { SyncExtractionService } from './services/sync-extraction.service';
import { UploadService } from './uploads/upload.service';

@Module({
  imports: [AuthModule, ExtractionModule, EventsModule, ImportModule],
  // Order matters: static paths (/jobs/stats, /bulk/import, /bom/extract) before parameters.
  controllers: [
    AdminJobsController,
    ImportController,
    BulkController,
    JobsController,
    WebhooksController,
    ExtractController,
  ],
  providers: [
    UploadService,
    JobIntakeService,
    JobResultService,
    JobProgressStreamService,
    BulkProgressStreamService,
    ImportProgressStreamService,
    SyncExtractionService,
  ],
})
export class ApiModule {}
