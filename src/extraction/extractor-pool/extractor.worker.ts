/**
 * Entry point of an extractor thread (run by piscina). Loads the extractor for the format and runs
 * it; errors come back as data because thrown errors lose their fields between threads.
 * The pool's `overridesModule` (a CommonJS module exporting `{ [format]: Extractor }`) replaces
 * extractors: tests use it to run extractors that sleep, fail, hang or crash on demand.
 */
import { workerData } from 'node:worker_threads';
import { ExtractionError } from '../extractors/extraction-error';
import { Extractor, ExtractionFormat } from '../extractors/extractor';
import { getExtractor } from '../extractors/registry';
import { ExtractorTask, ExtractorTaskOutcome, PROGRESS_END } from './extractor-task';

const overridesModule = (workerData as { overridesModule?: string } | undefined)?.overridesModule;
const overrides: Partial<Record<ExtractionFormat, Extractor>> = overridesModule
  ? (require(overridesModule) as Partial<Record<ExtractionFormat, Extractor>>)
  : {};

export default async function runExtractor(task: ExtractorTask): Promise<ExtractorTaskOutcome> {
  const { progressPort } = task;
  // The pool aborts a task by terminating this thread, so the in-thread signal never fires.
  const signal = new AbortController().signal;
  try {
    const extractor = overrides[task.format] ?? getExtractor(task.format);
    const result = await extractor.extract({
      filePath: task.filePath,
      filename: task.filename,
      options: task.options,
      signal,
      onProgress: (update) => progressPort.postMessage(update),
    });
    return { ok: true, result: result as unknown as Record<string, unknown> };
  } catch (error) {
    if (error instanceof ExtractionError) {
      return {
        ok: false,
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
      error: {
        code: 'EXTRACTION_FAILED',
        message: err.message,
        permanent: false,
        stack: err.stack,
      },
    };
  } finally {
    progressPort.postMessage(PROGRESS_END);
    progressPort.close();
  }
}
