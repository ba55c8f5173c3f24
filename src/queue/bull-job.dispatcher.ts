/**
 * Enqueues extraction messages on Bull. Never throws: with Redis unreachable the jobs stay pending
 * and the reconciler enqueues them later. A short timeout keeps a Redis outage from stalling the
 * request that created the jobs.
 */
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobDispatcher } from '../extraction/job-dispatcher';
import { JobRef } from '../extraction/extraction-job.repository';
import {
  bullJobId,
  EXTRACT_FILE_JOB,
  EXTRACTION_QUEUE,
  ExtractFilePayload,
} from './extraction-queue.constants';

const ENQUEUE_TIMEOUT_MS = 3000;
const ENQUEUE_CHUNK = 500;

@Injectable()
export class BullJobDispatcher extends JobDispatcher {
  private readonly logger = new Logger(BullJobDispatcher.name);

  constructor(@InjectQueue(EXTRACTION_QUEUE) private readonly queue: Queue<ExtractFilePayload>) {
    super();
  }

  async dispatch(refs: JobRef[]): Promise<void> {
    // In chunks: workers start on the first files of a large bulk while the rest is being added,
    // and no single MULTI holds Redis for long.
    for (let from = 0; from < refs.length; from += ENQUEUE_CHUNK) {
      const chunk = refs.slice(from, from + ENQUEUE_CHUNK);
      try {
        await this.enqueue(chunk);
      } catch (error) {
        this.logger.warn(
          `Could not enqueue ${refs.length - from} job(s); they stay pending for the reconciler: ${String(error)}`,
        );
        return;
      }
    }
  }

  private async enqueue(refs: JobRef[]): Promise<void> {
    const messages = refs.map((ref) => {
      const data: ExtractFilePayload = { jobId: ref.id, attempt: ref.attempt };
      return { name: EXTRACT_FILE_JOB, data, opts: { jobId: bullJobId(data) } };
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.addBulk(messages),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
            ENQUEUE_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether a message for this attempt still waits or runs in the queue. */
  async isQueued(ref: JobRef): Promise<boolean> {
    const job = await this.queue.getJob(bullJobId({ jobId: ref.id, attempt: ref.attempt }));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'paused';
  }
}
