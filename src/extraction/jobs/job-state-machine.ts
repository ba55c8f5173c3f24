/**
 * The job state machine (ARCHITECTURE.md): which statuses each action may start from. The SQL of
 * every transition uses these lists in its WHERE clause, so the table below is the single truth.
 */
import { JobStatus } from '../entities/job-enums';

export const JOB_ACTIONS = [
  'claim',
  'heartbeat',
  'progress',
  'complete',
  'fail',
  'release',
  'cancel',
  'retry',
  'requeue',
  'recover',
  'delete',
] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

const allowedFrom: Record<JobAction, readonly JobStatus[]> = {
  claim: ['pending'],
  heartbeat: ['processing'],
  progress: ['processing'],
  complete: ['processing'],
  fail: ['processing'],
  /** Graceful shutdown hands a running job back. */
  release: ['processing'],
  cancel: ['pending', 'processing', 'retrying'],
  /** Manual retry. */
  retry: ['failed'],
  /** Retry sweep: a due `retrying` job goes back to the queue. */
  requeue: ['retrying'],
  /** Admin recovery of a stuck job. */
  recover: ['processing', 'retrying'],
  delete: ['completed', 'failed', 'cancelled'],
};

export function statusesAllowing(action: JobAction): readonly JobStatus[] {
  return allowedFrom[action];
}

export function canTransition(from: JobStatus, action: JobAction): boolean {
  return allowedFrom[action].includes(from);
}

/** Where a failure leads: retrying while retries are left and the error is retryable. */
export function statusAfterFailure(
  retryable: boolean,
  retryCount: number,
  maxRetries: number,
): Extract<JobStatus, 'retrying' | 'failed'> {
  return retryable && retryCount < maxRetries ? 'retrying' : 'failed';
}
