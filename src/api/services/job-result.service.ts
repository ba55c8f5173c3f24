/** The full result of a job, also when it was too large to keep inline and went to storage. */
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';

export class ResultNotReadyError extends DomainError {
  constructor(job: ExtractionJob) {
    super('RESULT_NOT_READY', `Job ${job.id} has no result: it is ${job.status}`, {
      job_id: job.id,
      status: job.status,
    });
  }
}

@Injectable()
export class JobResultService {
  constructor(@Inject(STORAGE_DRIVER) private readonly storage: StorageDriver) {}

  async fullResult(job: ExtractionJob): Promise<Record<string, unknown>> {
    if (job.status !== 'completed') throw new ResultNotReadyError(job);
    if (job.resultPath) {
      const raw = await this.storage.getBuffer(this.storage.keyFromUrl(job.resultPath));
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    return job.result ?? {};
  }
}
