/**
 * Hands "work on job X, attempt N" to the queue. Called strictly after the transaction that made
 * the job pending has committed. Implementations must never throw: a job whose message is lost
 * stays `pending` and the reconciler sweep enqueues it again.
 */
import { JobRef } from './extraction-job.repository';

export abstract class JobDispatcher {
  abstract dispatch(refs: JobRef[]): Promise<void>;
}
