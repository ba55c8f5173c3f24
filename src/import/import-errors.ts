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

/** The run was claimed again elsewhere (this worker's lease ran out): stop, write nothing. */
export class ImportRunLostError extends DomainError {
  constructor(runId: string) {
    super('IMPORT_RUN_LOST', `Import run ${runId} is no longer this worker's`, {
      import_id: runId,
    });
  }
}

export class ImportRunNotFoundError extends DomainError {
  constructor(id: string) {
    super('IMPORT_NOT_FOUND', `Import ${id} not found`, { import_id: id });
  }
}
