/**
 * Storage domain errors. Plain classes with a stable `code` (no HTTP here): the API's exception
 * filter maps codes to statuses, workers map them to job failures.
 */
export type StorageErrorCode =
  | 'FILE_TOO_LARGE'
  | 'STORAGE_OUTSIDE'
  | 'STORAGE_INVALID_KEY'
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CONFIG_INVALID';

export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;

  static isStorageError(value: unknown): value is StorageError {
    return value instanceof StorageError;
  }
}

/** The stream was longer than `maxBytes`; nothing was stored. */
export class FileTooLargeError extends StorageError {
  readonly code = 'FILE_TOO_LARGE';

  constructor(readonly maxBytes: number) {
    super(`File is larger than the limit of ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** A URL (e.g. a `file_url` sent in JSON) that does not point into this service's storage. */
export class StorageKeyOutsideError extends StorageError {
  readonly code = 'STORAGE_OUTSIDE';

  constructor(reason: string) {
    super(`Not a location in this service's storage: ${reason}`);
    this.name = 'StorageKeyOutsideError';
  }
}

/** A key that is not a well-formed object key (traversal, absolute, NUL, backslash…). */
export class InvalidStorageKeyError extends StorageError {
  readonly code = 'STORAGE_INVALID_KEY';

  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Invalid storage key ${preview(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

export class StorageObjectNotFoundError extends StorageError {
  readonly code = 'STORAGE_NOT_FOUND';

  constructor(readonly key: string) {
    super(`No stored object at key ${preview(key)}`);
    this.name = 'StorageObjectNotFoundError';
  }
}

/** The backend cannot be reached or written (health check). */
export class StorageUnavailableError extends StorageError {
  readonly code = 'STORAGE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** The storage options cannot work (missing bucket, half a credential pair…). */
export class StorageConfigError extends StorageError {
  readonly code = 'STORAGE_CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}

/** Quotes a value for an error message without echoing unbounded or control characters. */
export function preview(value: string): string {
  const shown = JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
  return shown;
}
