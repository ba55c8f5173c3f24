/**
 * Runs extractors in a pool of worker threads, never on the event loop. Each task has a timeout,
 * a heap limit per thread and can be aborted; a thread that crashes or runs out of memory fails
 * its own task only and is replaced by the pool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ExtractionError } from '../extractors/extraction-error';
import {
  BaseExtractionResult,
  ExtractionFormat,
  ExtractorOptions,
  ProgressUpdate,
} from '../extractors/extractor';
import {
  ExtractorTask,
  ExtractorTaskOutcome,
  ProgressMessage,
  PROGRESS_END,
} from './extractor-task';

export interface ExtractorPoolOptions {
  threads: number;
  memoryMb: number;
  timeoutMs: number;
  /** Test hook: a CommonJS module whose extractors replace the real ones (see the worker). */
  overridesModule?: string;
}

export interface ExtractionRequest {
  format: ExtractionFormat;
  filePath: string;
  filename: string;
  options: ExtractorOptions;
  onProgress?: (update: ProgressUpdate) => void;
  signal?: AbortSignal;
  /** Overrides the pool's default timeout. */
  timeoutMs?: number;
}

/** The compiled worker file; under ts-jest the sources have no .js, so use the build. */
function workerFile(): string {
  const beside = join(__dirname, 'extractor.worker.js');
  if (existsSync(beside)) return beside;
  const built = join(
    __dirname,
    '..',
    '..',
    '..',
    'dist',
    'src',
    'extraction',
    'extractor-pool',
    'extractor.worker.js',
  );
  if (existsSync(built)) return built;
  throw new Error(`Extractor worker not found (${beside}); run "npm run build" first`);
}

export class ExtractorPool {
  private readonly piscina: Piscina;

  constructor(private readonly options: ExtractorPoolOptions) {
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: Math.min(1, options.threads),
      maxThreads: options.threads,
      // Queue nothing inside the pool: callers already limit concurrency to the thread count.
      maxQueue: 'auto',
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
      workerData: { overridesModule: options.overridesModule },
    });
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  async run<R extends BaseExtractionResult = BaseExtractionResult>(
    request: ExtractionRequest,
  ): Promise<R> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    if (signal.aborted) throw abortError(request.signal, timeoutMs);

    const { port1, port2 } = new MessageChannel();
    // The result comes back on piscina's channel, progress on this one: the thread ends its
    // updates with PROGRESS_END, and a finished run waits for it so no update is lost.
    let ended!: () => void;
    const drained = new Promise<void>((resolve) => (ended = resolve));
    port1.on('message', (message: ProgressMessage) => {
      if (message === PROGRESS_END) ended();
      else request.onProgress?.(message);
    });
    const task: ExtractorTask = {
      format: request.format,
      filePath: request.filePath,
      filename: request.filename,
      options: request.options,
      progressPort: port2,
    };
    try {
      const outcome = (await this.piscina.run(task, {
        signal,
        transferList: [port2],
      })) as ExtractorTaskOutcome;
      await Promise.race([drained, delay(PROGRESS_DRAIN_MS)]);
      if (!outcome.ok) {
        const error = new ExtractionError(outcome.error.code, outcome.error.message, {
          permanent: outcome.error.permanent,
        });
        if (outcome.error.stack) error.stack = outcome.error.stack;
        throw error;
      }
      return outcome.result as unknown as R;
    } catch (error) {
      if (error instanceof ExtractionError) throw error;
      if (signal.aborted) throw abortError(request.signal, timeoutMs);
      throw crashError(error);
    } finally {
      port1.close();
    }
  }

  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }

  /** Nest calls this on shutdown, after running files were finished or handed back. */
  async onApplicationShutdown(): Promise<void> {
    await this.destroy();
  }
}

const PROGRESS_DRAIN_MS = 500;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function abortError(callerSignal: AbortSignal | undefined, timeoutMs: number): ExtractionError {
  if (callerSignal?.aborted) return new ExtractionError('ABORTED', 'Extraction was aborted');
  return new ExtractionError(
    'TIMEOUT',
    `Extraction did not finish within ${Math.round(timeoutMs / 1000)} s`,
  );
}

function crashError(error: unknown): ExtractionError {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;
  // The code is not always carried over (e.g. across realms); the message always names it.
  if (code === 'ERR_WORKER_OUT_OF_MEMORY' || err.message.includes('ERR_WORKER_OUT_OF_MEMORY')) {
    return new ExtractionError(
      'EXTRACTOR_OUT_OF_MEMORY',
      'The extractor ran out of memory on this file',
    );
  }
  const crashed = new ExtractionError(
    'EXTRACTOR_CRASHED',
    `The extractor thread crashed: ${err.message}`,
  );
  crashed.stack = err.stack;
  return crashed;
}
