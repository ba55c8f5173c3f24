/** Server-Sent Events of a job's progress and status, until the job stops changing by itself. */
import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { SETTLED_STATUSES } from '../../extraction/entities/job-enums';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';

const POLL_MS = 1000;

@Injectable()
export class JobProgressStreamService {
  constructor(private readonly jobs: ExtractionJobService) {}

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
          if (SETTLED_STATUSES.includes(job.status)) return subscriber.complete();
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
}
