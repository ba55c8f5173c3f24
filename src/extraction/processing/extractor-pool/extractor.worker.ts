/**
 * Entry point of an extractor thread (run by piscina). Loads the extractor for the format and runs
 * it; errors come back as data because thrown errors lose their fields between threads.
 * The pool's `overridesModule` (a CommonJS module exporting `{ [format]: Extractor }`) replaces
 * extractors: tests use it to run extractors that sleep, fail, hang or crash on demand.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExtractionError } from '../../extractors/extraction-error';
import { Extractor, ExtractionFormat } from '../../extractors/extractor';
import { getExtractor } from '../../extractors/registry';
import { ExtractorTask, ExtractorTaskOutcome, ProgressMessage } from './extractor-task';

const overridesModule = (workerData as { overridesModule?: string } | undefined)?.overridesModule;
const overrides: Partial<Record<ExtractionFormat, Extractor>> = overridesModule
  ? (require(overridesModule) as Partial<Record<ExtractionFormat, Extractor>>)
  : {};

export default async function runExtractor(task: ExtractorTask): Promise<ExtractorTaskOutcome> {
  let progressSent = 0;
  // The pool aborts a task by terminating this thread, so the in-thread signal never fires.
  const signal = new AbortController().signal;
  try {
    const extractor = overrides[task.format] ?? getExtractor(task.format);
    const result = await extractor.extract({
      filePath: task.filePath,
      filename: task.filename,
      options: task.options,
      signal,
      onProgress: (update) => {
        const message: ProgressMessage = {
          kind: 'extractor-progress',
          taskId: task.taskId,
          update,
        };
        parentPort?.postMessage(message);
        progressSent += 1;
      },
    });
    return { ok: true, result: result as unknown as Record<string, unknown>, progressSent };
  } catch (error) {
    if (ExtractionError.isExtractionError(error)) {
      return {
        ok: false,
        progressSent,
        error: {
          code: error.code,
          message: error.message,
          permanent: error.permanent,
          stack: error.stack,
        },
      };
    }
    const err = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      progressSent,
      error: {
        code: 'EXTRACTION_FAILED',
        message: err.message,
        permanent: false,
        stack: err.stack,
      },
    };
  }
}
