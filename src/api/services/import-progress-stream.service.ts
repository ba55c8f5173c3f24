/**
 * Server-Sent Events of a large import running on a worker (GET /imports/{id}/events), until the
 * run is completed or failed. Served by the shared poll of this process (SharedPoll: one
 * statement per tick for all import streams). Every event's data is the body GET /imports/{id}
 * answers, so the last one (`status` completed or failed) carries the import's answer.
 */
import { Injectable, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AuthUser } from '../../auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { ImportRunNotFoundError } from '../../import/import-errors';
import { ImportRunRow, ImportRunsRepository } from '../../import/runs/import-runs.repository';
import { toImportRunResponse } from '../dto/import-wire';
import { SharedPoll } from './shared-poll';

const FINAL = ['completed', 'failed'];

@Injectable()
export class ImportProgressStreamService implements OnModuleDestroy {
  private readonly poll: SharedPoll<ImportRunRow>;

  constructor(runs: ImportRunsRepository, config: AppConfig) {
    this.poll = new SharedPoll<ImportRunRow>({
      name: ImportProgressStreamService.name,
      load: async (ids) => new Map((await runs.getMany(ids)).map((r) => [r.id, r])),
      intervalMs: config.events.pollIntervalMs,
      maxStreamsPerUser: config.events.maxStreamsPerUser,
    });
  }

  /** `status` when the run's status changes, `progress` when its row count does; ends when final. */
  progressStream(runId: string, user: AuthUser): Observable<MessageEvent> {
    let last: { status: string; processed: number } | null = null;
    return this.poll.stream(runId, user, (run, subscriber) => {
      if (!run) return subscriber.error(new ImportRunNotFoundError(runId));
      const data = toImportRunResponse(run);
      if (!last || last.status !== run.status) subscriber.next({ type: 'status', data });
      else if (last.processed !== run.processed_rows) subscriber.next({ type: 'progress', data });
      last = { status: run.status, processed: run.processed_rows };
      if (FINAL.includes(run.status)) subscriber.complete();
    });
  }

  onModuleDestroy(): void {
    this.poll.close();
  }
}
