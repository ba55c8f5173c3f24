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

/** A host tables module without `existingValues` cannot tell which BOM items are new. */
export class NewOnlyUnsupportedError extends DomainError {
  constructor() {
    super(
      'NOT_IMPLEMENTED',
      'This tables module cannot look up existing values: use import_mode all or validated_only',
    );
  }
}
