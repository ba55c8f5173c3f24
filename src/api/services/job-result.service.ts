/**
 * The full result of a job, also when it was too large to keep inline and went to storage. A job
 * that failed with EXTRACTION_UNSUCCESSFUL (the extractor answered `success: false`) keeps its
 * partial result, which is answered too. `job_status` (and for a failed job `job_error_code`,
 * `job_error_message`) sit beside the result's own fields, so a client cannot take a partial
 * result for a complete one.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';
import { ownerView } from '../dto/job-wire';

export class ResultNotReadyError extends DomainError {
  constructor(job: ExtractionJob) {
    super('RESULT_NOT_READY', `Job ${job.id} has no result: it is ${job.status}`, {
      job_id: job.id,
      status: job.status,
    });
  }
}

/** True when the job's (possibly partial) result may be answered. */
function hasAnswerableResult(job: ExtractionJob): boolean {
  if (job.status === 'completed') return true;
  return (
    job.status === 'failed' &&
    job.errorCode === 'EXTRACTION_UNSUCCESSFUL' &&
    (job.result !== null || job.resultPath !== null)
  );
}

@Injectable()
export class JobResultService {
  constructor(@Inject(STORAGE_DRIVER) private readonly storage: StorageDriver) {}

  async fullResult(row: ExtractionJob): Promise<Record<string, unknown>> {
    // A job being reprocessed answers its previous result, as completed.
    const job = ownerView(row);
    if (!hasAnswerableResult(job)) throw new ResultNotReadyError(job);
    let result: Record<string, unknown>;
    if (job.resultPath) {
      const raw = await this.storage.getBuffer(this.storage.keyFromUrl(job.resultPath));
      result = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } else {
      result = job.result ?? {};
    }
    if (job.status === 'completed') return { ...result, job_status: job.status };
    return {
      ...result,
      job_status: job.status,
      job_error_code: job.errorCode,
      job_error_message: job.errorMessage,
    };
  }
}
