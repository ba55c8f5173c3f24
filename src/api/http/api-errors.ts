/** Errors of the HTTP edge (uploads, parameters), with stable codes like every domain error. */
import { DomainError } from '../../common/domain-error';

export class ValidationFailedError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class UnsupportedFileTypeError extends DomainError {
  constructor(filename: string, allowed: string[]) {
    super(
      'UNSUPPORTED_FORMAT',
      `Unsupported file type for "${filename}"; allowed: ${allowed.join(', ')}`,
      {
        filename,
        allowed_extensions: allowed,
      },
    );
  }
}

export class FormatMismatchError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('FORMAT_MISMATCH', message, details);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number, hint?: string) {
    super(
      'FILE_TOO_LARGE',
      `The file is larger than the limit of ${limitBytes} bytes${hint ? `; ${hint}` : ''}`,
      {
        limit_bytes: limitBytes,
      },
    );
  }
}

export class NotImplementedFeatureError extends DomainError {
  constructor(message: string) {
    super('NOT_IMPLEMENTED', message);
  }
}

/** The caller already has as many open event streams as one user may have. */
export class TooManyStreamsError extends DomainError {
  constructor(limit: number) {
    super(
      'TOO_MANY_STREAMS',
      `At most ${limit} event streams may be open per user; close one or poll GET /jobs/{id}`,
      { limit },
    );
  }
}

/** The synchronous routes already have as many files waiting as they may queue. */
export class SyncQueueFullError extends DomainError {
  constructor(limit: number) {
    super(
      'SYNC_QUEUE_FULL',
      `The synchronous extractors are busy (${limit} files running or waiting); retry shortly or create a job with POST /jobs`,
      { limit },
    );
  }
}
