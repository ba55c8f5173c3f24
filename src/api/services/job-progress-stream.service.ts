/**
 * Server-Sent Events of a job's progress and status, until the job stops changing by itself.
 *
 * Every stream of this process is served by one shared poll (SharedPoll): each tick reads all
 * watched jobs in one statement (2,000 streams used to be 2,000 statements a second) and hands
 * each stream its job. A stream ends when its job settles, when the job is gone, or when the
 * caller's token expires; a user may hold at most `SSE_MAX_STREAMS_PER_USER` streams in this
 * process.
 */
import { Injectable, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AuthUser } from '../../auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { SETTLED_STATUSES } from '../../extraction/entities/job-enums';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { JobNotFoundError } from '../../extraction/jobs/job-errors';
import { ownerView } from '../dto/job-wire';
import { SharedPoll } from './shared-poll';

@Injectable()
export class JobProgressStreamService implements OnModuleDestroy {
  private readonly poll: SharedPoll<ExtractionJob>;

  constructor(jobs: ExtractionJobService, config: AppConfig) {
    this.poll = new SharedPoll<ExtractionJob>({
      name: JobProgressStreamService.name,
      load: async (ids) => new Map((await jobs.getManyWithoutResults(ids)).map((j) => [j.id, j])),
      intervalMs: config.events.pollIntervalMs,
      maxStreamsPerUser: config.events.maxStreamsPerUser,
    });
  }

  /** Open streams (all users), for tests and metrics. */
  get openStreams(): number {
    return this.poll.openStreams;
  }

  /**
   * A stream of `status` and `progress` events for a job the caller owns (checked by the caller).
   * Refuses at once with TOO_MANY_STREAMS when the user is at the limit.
   */
  progressStream(jobId: string, user: AuthUser): Observable<MessageEvent> {
    let last: { status: string; progress: number } | null = null;
    return this.poll.stream(jobId, user, (row, subscriber) => {
      if (!row) return subscriber.error(new JobNotFoundError(jobId));
      const job = ownerView(row); // a job being reprocessed is completed for its owner
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
      if (SETTLED_STATUSES.includes(job.status)) subscriber.complete();
    });
  }

  onModuleDestroy(): void {
    this.poll.close();
  }
}
