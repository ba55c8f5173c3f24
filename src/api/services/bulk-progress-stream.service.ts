/**
 * Server-Sent Events of a bulk's counters (GET /bulk/{id}/events), until the bulk settles. Reads
 * the parent row only (its counters are exact, kept by every child transition) twice a second,
 * and sends an event only when something changed: at most 2 events per second however fast the
 * files finish.
 */
import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { SETTLED_STATUSES } from '../../extraction/entities/job-enums';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { toBulkProgressEvent } from '../dto/job-wire';

export const BULK_EVENTS_INTERVAL_MS = 500;

@Injectable()
export class BulkProgressStreamService {
  constructor(private readonly jobs: ExtractionJobService) {}

  stream(id: string, ownerId: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let last: string | null = null;
      let lastStatus: string | null = null;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const tick = async () => {
        try {
          const parent = await this.jobs.get(id, ownerId);
          const data = toBulkProgressEvent(parent);
          const text = JSON.stringify(data);
          if (data.overall_status !== lastStatus) subscriber.next({ type: 'status', data });
          else if (text !== last) subscriber.next({ type: 'progress', data });
          last = text;
          lastStatus = data.overall_status;
          if (SETTLED_STATUSES.includes(parent.status)) return subscriber.complete();
        } catch (error) {
          return subscriber.error(error);
        }
        if (!closed) timer = setTimeout(() => void tick(), BULK_EVENTS_INTERVAL_MS);
      };
      void tick();
      return () => {
        closed = true;
        clearTimeout(timer);
      };
    });
  }
}
