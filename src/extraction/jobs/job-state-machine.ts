/**
 * The job state machine (ARCHITECTURE.md): for each action, the statuses it may start from and the
 * status it leads to. The repositories build their SQL from this table (see persistence/job-sql.ts):
 * the WHERE clause of every transition takes its `from` list, its SET clause its `to`.
 */
import { JobStatus } from '../entities/job-enums';

interface Transition {
  from: readonly JobStatus[];
  /** Where the action leads; `fail` chooses by retries left (statusAfterFailure); null: deleted. */
  to: JobStatus | readonly JobStatus[] | null;
}

const TRANSITIONS = {
  claim: { from: ['pending'], to: 'processing' },
  /** Lease renewal and progress: the status stays. */
  heartbeat: { from: ['processing'], to: 'processing' },
  progress: { from: ['processing'], to: 'processing' },
  complete: { from: ['processing'], to: 'completed' },
  fail: { from: ['processing'], to: ['retrying', 'failed'] },
  /** Graceful shutdown hands a running job back. */
  release: { from: ['processing'], to: 'pending' },
  cancel: { from: ['pending', 'processing', 'retrying'], to: 'cancelled' },
  /** Manual retry. */
  retry: { from: ['failed'], to: 'pending' },
  /** Retry sweep: a due `retrying` job goes back to the queue. */
  requeue: { from: ['retrying'], to: 'pending' },
  /** Admin recovery of a stuck job. */
  recover: { from: ['processing', 'retrying'], to: 'pending' },
  delete: { from: ['completed', 'failed', 'cancelled'], to: null },
} as const satisfies Record<string, Transition>;

export type JobAction = keyof typeof TRANSITIONS;
export const JOB_ACTIONS = Object.keys(TRANSITIONS) as JobAction[];

/** The status a new job starts in. */
export const INITIAL_STATUS: JobStatus = 'pending';

export function statusesAllowing(action: JobAction): readonly JobStatus[] {
  return TRANSITIONS[action].from;
}

/** The statuses an action may lead to (empty for deletion). */
export function statusesAfter(action: JobAction): readonly JobStatus[] {
  const to: Transition['to'] = TRANSITIONS[action].to;
  if (to === null) return [];
  return typeof to === 'string' ? [to] : to;
}

/** The one status an action leads to, for the actions that have one. */
export function statusAfter(action: JobAction): JobStatus {
  const to: Transition['to'] = TRANSITIONS[action].to;
  if (typeof to !== 'string') throw new Error(`${action} has no single target status`);
  return to;
}

export function canTransition(from: JobStatus, action: JobAction): boolean {
  return statusesAllowing(action).includes(from);
}

/** Where a failure leads: retrying while retries are left and the error is retryable. */
export function statusAfterFailure(
  retryable: boolean,
  retryCount: number,
  maxRetries: number,
): Extract<JobStatus, 'retrying' | 'failed'> {
  return retryable && retryCount < maxRetries ? 'retrying' : 'failed';
}
