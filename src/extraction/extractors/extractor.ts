/**
 * The contract every extractor fulfils. Extractors are plain TypeScript (no Nest imports) so the
 * worker-thread pool can load and run them away from the event loop.
 */
import { ExtractionError } from './extraction-error';

export const EXTRACTION_FORMATS = ['pdf', 'dxf', 'ifc', 'step', 'werk24', 'bom'] as const;
export type ExtractionFormat = (typeof EXTRACTION_FORMATS)[number];

/** Options as the frontend sends them, already parsed: booleans, numbers, string lists. */
export type ExtractorOptions = Record<string, unknown>;

export interface ProgressUpdate {
  /** 0..100 inside this file. */
  progress: number;
  /** Short human text, e.g. "page 3 of 12". */
  message?: string;
}

export interface ExtractorInput {
  /** Local path of the file to read (storage has already copied it to local disk). */
  filePath: string;
  /** Original (sanitised) file name, used for `source_file` and extension checks. */
  filename: string;
  options: ExtractorOptions;
  /** Called as work advances; cheap, callers throttle writes. */
  onProgress: (update: ProgressUpdate) => void;
  /** Aborted on cancel or timeout; long loops check `signal.aborted` (see throwIfAborted). */
  signal: AbortSignal;
}

/** Fields every result carries (SEED-NOTES.md §2). */
export interface BaseExtractionResult {
  source_file: string;
  source_type: ExtractionFormat | string;
  success: boolean;
  metadata: Record<string, unknown>;
  errors: string[];
  warnings: string[];
}

export interface Extractor<R extends BaseExtractionResult = BaseExtractionResult> {
  readonly format: ExtractionFormat;
  extract(input: ExtractorInput): Promise<R>;
}

/** Throws the ABORTED error when the signal fired; call it between units of work. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new ExtractionError('ABORTED', 'Extraction was aborted', { permanent: false });
  }
}

/** Reads a boolean option with a default (the frontend sends real booleans after parsing). */
export function boolOption(options: ExtractorOptions, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ExtractionError('INVALID_OPTIONS', `Option "${key}" must be true or false`);
}
