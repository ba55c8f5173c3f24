/**
 * The port between the job core and the message queue. Messages name a job and an attempt only;
 * PostgreSQL holds everything else. The service dispatches strictly after the statement that made
 * a job pending has committed; the sweeps ask whether a message is still queued; the processor
 * consumes. Implementations of `dispatch` never throw: a job whose message is lost stays
 * `pending` and the reconciler enqueues it again.
 */
import { JobRef } from './job.types';

export type JobHandler = (ref: JobRef) => Promise<void>;

export abstract class JobQueue {
  /** Enqueues one message per attempt (a repeat of the same attempt is ignored). */
  abstract dispatch(refs: JobRef[]): Promise<void>;

  /** Whether a message for this attempt still waits or runs in the queue. */
  abstract isQueued(ref: JobRef): Promise<boolean>;

  /** Starts taking messages in this process, `concurrency` at a time. */
  abstract consume(concurrency: number, handler: JobHandler): void;

  /** Stops taking new messages in this process (running handlers go on). */
  abstract stopConsuming(): Promise<void>;

  /**
   * The identity of the queue's current data: a marker the queue keeps beside its messages.
   * `created` is true when the marker was missing (first start, or the store lost its data: a
   * FLUSHALL, a restart without persistence), so messages may have been lost. Throws when the
   * queue is unreachable.
   */
  abstract epoch(): Promise<{ id: string; created: boolean }>;

  private undelivered = false;

  /** An implementation's dispatch left jobs pending without a message (queue unreachable). */
  protected noteUndelivered(): void {
    this.undelivered = true;
  }

  /**
   * True once after a dispatch left jobs for the reconciler: the queue watcher then reconciles
   * at once when the queue answers, instead of the regular sweep after RECONCILE_AFTER_SECONDS.
   */
  takeUndelivered(): boolean {
    const was = this.undelivered;
    this.undelivered = false;
    return was;
  }
}
