/** Messages between the extractor pool and its worker threads (structured-clone safe). */
import type { ExtractionErrorCode } from '../../extractors/extraction-error';
import type {
  ExtractionFormat,
  ExtractorOptions,
  ProgressUpdate,
} from '../../extractors/extractor';

export interface ExtractorTask {
  /** Names the task in its progress messages. */
  taskId: number;
  format: ExtractionFormat;
  filePath: string;
  filename: string;
  options: ExtractorOptions;
}

/** Errors do not cross threads with their fields, so the worker sends this instead. */
export interface SerializedExtractionError {
  code: ExtractionErrorCode;
  message: string;
  permanent: boolean;
  stack?: string;
}

/** What the thread holds after a task: the pool recycles a thread that holds too much. */
export interface ThreadMemory {
  threadId: number;
  /** V8 heap committed plus memory outside it (buffers, WASM), in MB. */
  heldMb: number;
}

/** What a task answers; `progressSent` counts the progress messages it posted before. */
export type ExtractorTaskOutcome = { progressSent: number; memory: ThreadMemory } & (
  { ok: true; result: Record<string, unknown> } | { ok: false; error: SerializedExtractionError }
);

/**
 * Posted by a thread on its parent port (the pool's 'message' event) while a task runs. One
 * channel per thread rather than one per task: a channel per task cost more than a trivial
 * extraction itself.
 */
export interface ProgressMessage {
  kind: 'extractor-progress';
  taskId: number;
  update: ProgressUpdate;
}

export function isProgressMessage(message: unknown): message is ProgressMessage {
  return (message as ProgressMessage | null)?.kind === 'extractor-progress';
}
