/** Domain errors of imports (codes mapped to statuses by the HTTP error filter). */
import { DomainError } from '../common/domain-error';

export class JobNotCompletedError extends DomainError {
  constructor(jobId: string, status: string, hint?: string) {
    super(
      'JOB_NOT_COMPLETED',
      `Job ${jobId} is ${status}; only a completed job can be imported${hint ? ` (${hint})` : ''}`,
      { job_id: jobId, status },
    );
  }
}

export class InvalidImportError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, details);
  }
}
