/**
 * JobQueue on Bull. `dispatch` never throws: with Redis unreachable the jobs stay pending and the
 * reconciler enqueues them later; a short timeout keeps a Redis outage from stalling the request
 * that created the jobs.
 */
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { withTimeout } from '../../common/with-timeout';
import {
  bullJobId,
  EXTRACT_FILE_JOB,
  EXTRACTION_QUEUE,
  ExtractFilePayload,
} from '../../queue/extraction-queue.constants';
import { JobHandler, JobQueue } from '../jobs/job-queue';
import { JobRef } from '../jobs/job.types';

const ENQUEUE_TIMEOUT_MS = 3000;
const ENQUEUE_CHUNK = 500;
const QUEUED_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

const payloadOf = (ref: JobRef): ExtractFilePayload => ({ jobId: ref.id, attempt: ref.attempt });

@Injectable()
export class BullJobQueue extends JobQueue {
  private readonly logger = new Logger(BullJobQueue.name);

  constructor(@InjectQueue(EXTRACTION_QUEUE) private readonly queue: Queue<ExtractFilePayload>) {
    super();
  }

  async dispatch(refs: JobRef[]): Promise<void> {
    // In chunks: workers start on the first files of a large bulk while the rest is being added,
    // and no single MULTI holds Redis for long.
    for (let from = 0; from < refs.length; from += ENQUEUE_CHUNK) {
      const chunk = refs.slice(from, from + ENQUEUE_CHUNK);
      try {
        await withTimeout(this.enqueue(chunk), ENQUEUE_TIMEOUT_MS, 'Redis');
      } catch (error) {
        this.logger.warn(
          `Could not enqueue ${refs.length - from} job(s); they stay pending for the reconciler: ${String(error)}`,
        );
        return;
      }
    }
  }

  private async enqueue(refs: JobRef[]): Promise<void> {
    await this.queue.addBulk(
      refs.map((ref) => {
        const data = payloadOf(ref);
        return { name: EXTRACT_FILE_JOB, data, opts: { jobId: bullJobId(data) } };
      }),
    );
  }

  async isQueued(ref: JobRef): Promise<boolean> {
    const job = await this.queue.getJob(bullJobId(payloadOf(ref)));
    if (!job) return false;
    return QUEUED_STATES.has(await job.getState());
  }

  consume(concurrency: number, handler: JobHandler): void {
    void this.queue.process(EXTRACT_FILE_JOB, concurrency, (message: Job<ExtractFilePayload>) =>
      handler({ id: message.data.jobId, attempt: message.data.attempt }),
    );
  }

  async stopConsuming(): Promise<void> {
    // Local pause, without waiting for running handlers: the processor lets them finish itself.
    await this.queue.pause(true, true);
  }
}
