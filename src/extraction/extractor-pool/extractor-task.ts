/** Messages between the extractor pool and its worker threads (structured-clone safe). */
import type { MessagePort } from 'node:worker_threads';
import type { ExtractionErrorCode } from '../extractors/extraction-error';
import type { ExtractionFormat, ExtractorOptions, ProgressUpdate } from '../extractors/extractor';

export interface ExtractorTask {
  format: ExtractionFormat;
  filePath: string;
  filename: string;
  options: ExtractorOptions;
  /** Receives ProgressUpdate messages. */
  progressPort: MessagePort;
}

/** Errors do not cross threads with their fields, so the worker sends this instead. */
export interface SerializedExtractionError {
  code: ExtractionErrorCode;
  message: string;
  permanent: boolean;
  stack?: string;
}

export type ExtractorTaskOutcome =
  { ok: true; result: Record<string, unknown> } | { ok: false; error: SerializedExtractionError };

/** Sent last on the progress port: every update before it has been delivered. */
export const PROGRESS_END = 'end';

export type ProgressMessage = ProgressUpdate | typeof PROGRESS_END;
