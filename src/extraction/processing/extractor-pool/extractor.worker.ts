/**
 * Entry point of an extractor thread (run by piscina). Loads the extractor for the format and runs
 * it; errors come back as data because thrown errors lose their fields between threads. A task's
 * signal fires when the pool names the task on its abort channel (timeout or cancel).
 * The pool's `overridesModule` (a CommonJS module exporting `{ [format]: Extractor }`) replaces
 * extractors: tests use it to run extractors that sleep, fail, hang or crash on demand.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { ExtractionError } from '../../extractors/extraction-error';
import { Extractor, ExtractionFormat } from '../../extractors/extractor';
import { getExtractor } from '../../extractors/registry';
import {
  ExtractorTask,
  ExtractorTaskOutcome,
  ProgressMessage,
  ThreadMemory,
} from './extractor-task';

const { overridesModule, abortChannel } = workerData as {
  overridesModule?: string;
  abortChannel: string;
};
const overrides: Partial<Record<ExtractionFormat, Extractor>> = overridesModule
  ? (require(overridesModule) as Partial<Record<ExtractionFormat, Extractor>>)
  : {};

/** Running tasks of this thread, by task id. */
const running = new Map<number, AbortController>();
const aborts = new BroadcastChannel(abortChannel);
aborts.onmessage = (event) => running.get((event as { data: number }).data)?.abort();
aborts.unref();

export default async function runExtractor(task: ExtractorTask): Promise<ExtractorTaskOutcome> {
  let progressSent = 0;
  const controller = new AbortController();
  running.set(task.taskId, controller);
  const signal = controller.signal;
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
    return {
      ok: true,
      result: result as unknown as Record<string, unknown>,
      progressSent,
      memory: heldMemory(),
    };
  } catch (error) {
    if (ExtractionError.isExtractionError(error)) {
      return {
        ok: false,
        progressSent,
        memory: heldMemory(),
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
      memory: heldMemory(),
      error: {
        code: 'EXTRACTION_FAILED',
        message: err.message,
        permanent: false,
        stack: err.stack,
      },
    };
  } finally {
    running.delete(task.taskId);
  }
}

/**
 * This thread's memory: its isolate's committed heap plus external memory (Buffers and WASM
 * memories, which the heap limit does not bound). V8's statistics are per isolate, i.e. per thread,
 * and cost ~1 µs (process.memoryUsage() also reads the process RSS, ~20 µs).
 */
function heldMemory(): ThreadMemory {
  const { total_heap_size, external_memory } = getHeapStatistics();
  return { threadId, heldMb: Math.round((total_heap_size + external_memory) / (1024 * 1024)) };
}
