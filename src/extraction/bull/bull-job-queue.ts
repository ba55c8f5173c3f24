/**
 * JobQueue on Bull. `dispatch` never throws: with Redis unreachable the jobs stay pending and the
 * reconciler enqueues them later (at once when a worker sees Redis back: see QueueWatcher). A
 * circuit breaker keeps an outage from stalling the requests that create jobs: while the client is
 * not connected, or for a few seconds after an enqueue timed out, dispatch returns at once.
 */
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { withTimeout } from '../../common/with-timeout';
import {
  bullJobId,
  EXTRACT_FILE_JOB,
  EXTRACTION_QUEUE,
  ExtractFilePayload,
} from '../../queue/extraction-queue.constants';
import { JobHandler, JobQueue } from '../jobs/job-queue';
import { JobRef, QueueLane } from '../jobs/job.types';

const ENQUEUE_TIMEOUT_MS = 3000;
/** After an enqueue fails, skip Redis for this long before trying again. */
const BREAKER_OPEN_MS = 5000;
const EPOCH_TIMEOUT_MS = 2000;
const ENQUEUE_CHUNK = 500;
const QUEUED_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * Bull priorities of the lanes (lower first). Every message carries one: Bull pushes a message
 * without priority to the far end of the wait list, so mixing the two would break the order.
 */
const LANE_PRIORITY: Record<QueueLane, number> = { interactive: 1, bulk: 2, background: 3 };
const LANE_OF_PRIORITY = new Map(
  Object.entries(LANE_PRIORITY).map(([lane, priority]) => [priority, lane as QueueLane]),
);

const payloadOf = (ref: JobRef): ExtractFilePayload => ({ jobId: ref.id, attempt: ref.attempt });

@Injectable()
export class BullJobQueue extends JobQueue {
  private readonly logger = new Logger(BullJobQueue.name);
  private breakerOpenUntil = 0;

  constructor(@InjectQueue(EXTRACTION_QUEUE) private readonly queue: Queue<ExtractFilePayload>) {
    super();
  }

  async dispatch(refs: JobRef[]): Promise<void> {
    if (refs.length === 0) return;
    const skipped = this.breakerReason();
    if (skipped) {
      this.logger.warn(`Not enqueuing ${refs.length} job(s) (${skipped}); they stay pending`);
      this.noteUndelivered();
      return;
    }
    // In chunks: workers start on the first files of a large bulk while the rest is being added,
    // and no single MULTI holds Redis for long.
    for (let from = 0; from < refs.length; from += ENQUEUE_CHUNK) {
      const chunk = refs.slice(from, from + ENQUEUE_CHUNK);
      try {
        await withTimeout(this.enqueue(chunk), ENQUEUE_TIMEOUT_MS, 'Redis');
      } catch (error) {
        this.breakerOpenUntil = Date.now() + BREAKER_OPEN_MS;
        this.noteUndelivered();
        this.logger.warn(
          `Could not enqueue ${refs.length - from} job(s); they stay pending for the reconciler: ${String(error)}`,
        );
        return;
      }
    }
  }

  /** Why dispatch should not wait for Redis now, or `null`. */
  private breakerReason(): string | null {
    const status = this.queue.client.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      return `Redis connection ${status}`;
    }
    if (Date.now() < this.breakerOpenUntil) return 'Redis failed moments ago';
    return null;
  }

  private async enqueue(refs: JobRef[]): Promise<void> {
    await this.queue.addBulk(
      refs.map((ref) => {
        const data = payloadOf(ref);
        const priority = LANE_PRIORITY[ref.lane ?? 'interactive'];
        return { name: EXTRACT_FILE_JOB, data, opts: { jobId: bullJobId(data), priority } };
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
      handler({
        id: message.data.jobId,
        attempt: message.data.attempt,
        lane: LANE_OF_PRIORITY.get(message.opts.priority ?? 1) ?? 'interactive',
      }),
    );
  }

  async epoch(): Promise<{ id: string; created: boolean }> {
    const key = this.queue.toKey('epoch');
    const client = this.queue.client;
    const candidate = randomUUID();
    const read = async () => {
      const set = await client.set(key, candidate, 'NX');
      return set === 'OK'
        ? { id: candidate, created: true }
        : { id: (await client.get(key)) ?? candidate, created: false };
    };
    return withTimeout(read(), EPOCH_TIMEOUT_MS, 'Redis');
  }

  async stopConsuming(): Promise<void> {
    // Local pause, without waiting for running handlers: the processor lets them finish itself.
    await this.queue.pause(true, true);
  }
}
