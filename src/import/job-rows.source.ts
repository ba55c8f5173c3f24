/**
 * The rows of one of the caller's jobs: the job must be completed (or failed with a kept partial
 * result when `allowPartial`), its full result is read (inline, or from storage when offloaded),
 * and the rows of the asked record type taken from it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ExtractionJob } from '../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../storage';
import { InvalidImportError, JobNotCompletedError } from './import-errors';
import { rowsFromResult } from './rows/result-rows';
import { RowSet } from './rows/source-row';

export interface JobRows extends RowSet {
  job: ExtractionJob;
}

@Injectable()
export class JobRowsSource {
  constructor(
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  async rows(
    ownerId: string,
    jobId: string,
    options: { recordType?: string | null; allowPartial?: boolean } = {},
  ): Promise<JobRows> {
    const job = await this.jobs.get(jobId, ownerId);
    if (job.kind === 'bulk') {
      throw new InvalidImportError(`Job ${jobId} is a bulk job: use the bulk preview and import`, {
        job_id: jobId,
      });
    }
    const partial = job.status === 'failed' && (job.result !== null || job.resultPath !== null);
    if (job.status !== 'completed' && !(partial && options.allowPartial)) {
      throw new JobNotCompletedError(
        job.id,
        job.status,
        partial ? 'its partial result may be imported with allow_partial=true' : undefined,
      );
    }
    const result = await this.fullResult(job);
    return { job, ...rowsFromResult(job.format ?? '', result, options.recordType) };
  }

  private async fullResult(job: ExtractionJob): Promise<Record<string, unknown>> {
    if (job.resultPath) {
      const raw = await this.storage.getBuffer(this.storage.keyFromUrl(job.resultPath));
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    return job.result ?? {};
  }
}
