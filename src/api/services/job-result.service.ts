/** Results and files of jobs at the API edge: full results, the progress stream, file removal. */
import { Inject, Injectable, Logger, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { DomainError } from '../../common/domain-error';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';
import { NotImplementedFeatureError } from '../http/api-errors';

export class ResultNotReadyError extends DomainError {
  constructor(job: ExtractionJob) {
    super('RESULT_NOT_READY', `Job ${job.id} has no result: it is ${job.status}`, {
      job_id: job.id,
      status: job.status,
    });
  }
}

/** A job stops changing by itself in these; the stream ends there. */
const STREAM_END = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 1000;

@Injectable()
export class JobResultService {
  private readonly logger = new Logger(JobResultService.name);

  constructor(
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  async fullResult(job: ExtractionJob): Promise<Record<string, unknown>> {
    if (job.status !== 'completed') throw new ResultNotReadyError(job);
    if (job.resultPath) {
      const raw = await this.storage.getBuffer(this.storage.keyFromUrl(job.resultPath));
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    return job.result ?? {};
  }

  async deleteFiles(urls: string[]): Promise<void> {
    for (const url of urls) {
      try {
        await this.storage.delete(this.storage.keyFromUrl(url));
      } catch (error) {
        this.logger.warn(`Could not delete stored file ${url}: ${String(error)}`);
      }
    }
  }

  /**
   * Polls the database (the source of truth, shared by every API and worker process) and sends
   * a `progress` event when progress changes and a `status` event when the status changes.
   */
  progressStream(id: string, ownerId: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let last: { status: string; progress: number } | null = null;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const tick = async () => {
        try {
          const job = await this.jobs.get(id, ownerId);
          const data = {
            id: job.id,
            status: job.status,
            progress: job.progress,
            error_code: job.errorCode,
            error_message: job.errorMessage,
          };
          if (!last || last.status !== job.status) subscriber.next({ type: 'status', data });
          else if (last.progress !== job.progress) subscriber.next({ type: 'progress', data });
          last = { status: job.status, progress: job.progress };
          if (STREAM_END.has(job.status)) return subscriber.complete();
        } catch (error) {
          return subscriber.error(error);
        }
        if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
      };
      void tick();
      return () => {
        closed = true;
        clearTimeout(timer);
      };
    });
  }

  importNotAvailable(): never {
    throw new NotImplementedFeatureError(
      'Importing into host tables is done by the host application; this service only extracts',
    );
  }
}
