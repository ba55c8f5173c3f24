/**
 * Errors an extractor raises. `permanent` decides the job's fate: permanent errors fail the job at
 * once, the others are retried with backoff. Codes are stable: they reach the API and the database.
 */
export const EXTRACTION_ERROR_CODES = {
  /** The file is damaged, truncated, empty or not what its extension says. */
  CORRUPT_FILE: true,
  /** The format (or a variant of it, e.g. a DWG binary) is not supported. */
  UNSUPPORTED_FORMAT: true,
  /** A readable table that is not a bill of materials (no part and quantity columns). */
  NOT_A_BOM: true,
  /** An option has a value the extractor cannot honour. */
  INVALID_OPTIONS: true,
  /** Above the configured size or complexity limit. */
  FILE_TOO_LARGE: true,
  /** The PDF needs a password. */
  PASSWORD_PROTECTED: true,
  /** A remote provider (Werk24) has no credentials configured. */
  NOT_CONFIGURED: true,
  /** The extractor for this format is not built yet. */
  NOT_IMPLEMENTED: true,
  /** Cancelled or timed out from outside. */
  ABORTED: false,
  /** Per-file timeout reached. */
  TIMEOUT: false,
  /** The thread died of an uncaught error. */
  EXTRACTOR_CRASHED: false,
  /** The thread hit its memory limit: the same file would again. */
  EXTRACTOR_OUT_OF_MEMORY: true,
  /** A remote provider answered with a transient error. */
  PROVIDER_UNAVAILABLE: false,
  /** Anything unexpected inside an extractor. */
  EXTRACTION_FAILED: false,
} as const;

export type ExtractionErrorCode = keyof typeof EXTRACTION_ERROR_CODES;

export class ExtractionError extends Error {
  readonly code: ExtractionErrorCode;
  readonly permanent: boolean;

  constructor(code: ExtractionErrorCode, message: string, opts: { permanent?: boolean } = {}) {
    super(message);
    this.name = 'ExtractionError';
    this.code = code;
    this.permanent = opts.permanent ?? EXTRACTION_ERROR_CODES[code];
  }

  /**
   * By shape rather than `instanceof`: an extractor loaded from another copy of this module (the
   * compiled tree beside the sources, a test's override module) throws a different class.
   */
  static isExtractionError(value: unknown): value is ExtractionError {
    if (value instanceof ExtractionError) return true;
    if (!(value instanceof Error) || value.name !== 'ExtractionError') return false;
    const { code, permanent } = value as Partial<ExtractionError>;
    return (
      typeof code === 'string' && code in EXTRACTION_ERROR_CODES && typeof permanent === 'boolean'
    );
  }
}
