/** What other modules of the host application use: import the module, inject the service. */
export { ExtractionModule } from './extraction.module';
export { ExtractionJobService } from './jobs/extraction-job.service';
export * from './jobs/job.types';
export * from './jobs/job-errors';
export { ExtractionJob } from './entities/extraction-job.entity';
export * from './entities/job-enums';
