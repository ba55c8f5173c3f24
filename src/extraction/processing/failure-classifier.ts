/**
 * Decides what a failure means for the job: extraction errors carry their own permanence
 * (corrupt input, unsupported format, missing configuration are permanent; timeouts and crashed
 * threads are not); storage and database trouble is transient.
 */
import { DomainError } from '../../common/domain-error';
import { ExtractionError } from '../extractors/extraction-error';
import { FailureInput } from '../jobs/job.types';

/** Storage codes that mean the file itself is missing or unusable: retrying cannot help. */
const PERMANENT_STORAGE_CODES = new Set([
  'STORAGE_NOT_FOUND',
  'STORAGE_OUTSIDE',
  'STORAGE_INVALID_KEY',
  'STORAGE_CONFIG_INVALID',
]);

export function classifyFailure(error: unknown): FailureInput {
  if (error instanceof ExtractionError) {
    return {
      code: error.code,
      message: error.message,
      stack: error.stack,
      retryable: !error.permanent,
    };
  }
  if (error instanceof DomainError || hasCode(error)) {
    const code = (error as { code: string }).code;
    const message = (error as Error).message;
    return {
      code,
      message,
      stack: (error as Error).stack,
      retryable: !PERMANENT_STORAGE_CODES.has(code),
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { code: 'INTERNAL_ERROR', message: err.message, stack: err.stack, retryable: true };
}

function hasCode(error: unknown): error is { code: string } & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
