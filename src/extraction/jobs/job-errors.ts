import { DomainError } from '../../common/domain-error';
import { JobStatus } from '../entities/job-enums';

export class JobNotFoundError extends DomainError {
  constructor(id: string) {
    super('JOB_NOT_FOUND', `Job ${id} not found`, { job_id: id });
  }
}

/** The job exists but is not in a state that allows the action. */
export class InvalidTransitionError extends DomainError {
  constructor(id: string, action: string, status: JobStatus, reason?: string) {
    super('INVALID_TRANSITION', reason ?? `Cannot ${action} job ${id}: it is ${status}`, {
      job_id: id,
      action,
      status,
    });
  }
}

export class JobNotFailedError extends DomainError {
  constructor(id: string, status: JobStatus) {
    super('JOB_NOT_FAILED', `Job ${id} is not in failed state (status: ${status})`, {
      job_id: id,
      status,
    });
  }
}

export class RetriesExhaustedError extends DomainError {
  constructor(id: string, retryCount: number, maxRetries: number) {
    super(
      'RETRIES_EXHAUSTED',
      `Retries exhausted for job ${id} (${retryCount} of ${maxRetries}); use force to retry anyway`,
      { job_id: id, retry_count: retryCount, max_retries: maxRetries },
    );
  }
}

export class NoFailedJobsError extends DomainError {
  constructor(id: string) {
    super('NO_FAILED_JOBS', 'No failed jobs found', { bulk_job_id: id });
  }
}

export class InvalidJobInputError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_JOB_INPUT', message, details);
  }
}

/** The owner already has as many active files as allowed (HTTP 429 with Retry-After). */
export class QuotaExceededError extends DomainError {
  constructor(
    ownerId: string,
    active: number,
    requested: number,
    limit: number,
    retryAfterSeconds: number,
  ) {
    super(
      'QUOTA_EXCEEDED',
      `Too many files pending or running: ${active} active + ${requested} requested > limit of ${limit} per user; retry when some have finished`,
      {
        owner_id: ownerId,
        active_files: active,
        requested_files: requested,
        limit,
        retry_after_seconds: retryAfterSeconds,
      },
    );
  }
}

/** An Idempotency-Key used again for a different request (another file, format or options). */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(key: string, existingJobId: string) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `The Idempotency-Key "${key}" was already used for a different request (job ${existingJobId}); use a new key for a new request`,
      { idempotency_key: key, job_id: existingJobId },
    );
  }
}

/** A bulk with more files than BULK_MAX_FILES. */
export class BulkTooLargeError extends DomainError {
  constructor(files: number, limit: number) {
    super('VALIDATION_FAILED', `A bulk takes at most ${limit} files; got ${files}`, {
      field: 'files',
      max_files: limit,
      files,
    });
  }
}

/** Options larger than a job keeps. */
export class OptionsTooLargeError extends DomainError {
  constructor(bytes: number, limit: number) {
    super(
      'INVALID_OPTIONS',
      `The options are ${bytes} bytes as JSON; at most ${limit} bytes are accepted`,
      { options_bytes: bytes, limit_bytes: limit },
    );
  }
}
