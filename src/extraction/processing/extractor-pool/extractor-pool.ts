/**
 * Runs extractors in a pool of worker threads, never on the event loop. Each task has a timeout,
 * a heap limit per thread and can be aborted; a thread that crashes or runs out of memory fails
 * its own task only and is replaced by the pool.
 *
 * Stopping a task (timeout or caller abort) is cooperative first: the task's signal fires in its
 * thread (over a BroadcastChannel) and an extractor that checks it stops and leaves the thread
 * warm; one that does not within ABORT_GRACE_MS (a loop that never yields) has its thread
 * terminated.
 *
 * Memory (docs/decisions.md, "Worker memory budget"): the threads are sized to the budget by the
 * configuration; the memory gate starts no file while the process is over it; a thread that holds
 * more than `recycleMb` after a file is recycled (thread-recycler.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Piscina } from 'piscina';
import { ExtractionError } from '../../extractors/extraction-error';
import {
  BaseExtractionResult,
  ExtractionFormat,
  ExtractorOptions,
  ProgressUpdate,
} from '../../extractors/extractor';
import { ExtractorTask, ExtractorTaskOutcome, isProgressMessage } from './extractor-task';
import { MemoryGate } from './memory-gate';
import { RecycleReason, ThreadRecycler } from './thread-recycler';

export interface ExtractorPoolOptions {
  threads: number;
  /** Heap limit per thread. */
  memoryMb: number;
  timeoutMs: number;
  /** No file starts while the process's RSS is above this (and another file runs). */
  memoryBudgetMb: number;
  /** A thread holding more than this after a file is recycled. */
  recycleMb: number;
  /** Called for every thread recycled (metrics). */
  onThreadRecycled?: (reason: RecycleReason) => void;
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

/**
 * The thread's entry file: the compiled `.js` beside this file (dist/), or, when running from the
 * sources (Jest, ts-node), the `.ts` file compiled on load by ts-node in the thread.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const compiled = join(__dirname, 'extractor.worker.js');
  if (existsSync(compiled)) return { filename: compiled };
  const source = join(__dirname, 'extractor.worker.ts');
  if (existsSync(source))
    return {
      filename: source,
      execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
    };
  throw new Error(`Extractor worker not found beside ${__filename}`);
}

export class ExtractorPool {
  private readonly piscina: Piscina;
  private nextTaskId = 0;
  /** Progress receivers of the running tasks, by task id. */
  private readonly progressRoutes = new Map<number, (update: ProgressUpdate) => void>();
  /** Tells the threads which task to stop (a task does not know its thread). */
  private readonly abortChannel = new BroadcastChannel(`extractor-abort-${randomUUID()}`);
  private readonly recycler: ThreadRecycler;
  /** Files beyond the threads (a worker's concurrency may exceed its threads) wait here. */
  private readonly gate: MemoryGate;
  private lastOverBudgetWarning = 0;

  constructor(private readonly options: ExtractorPoolOptions) {
    this.recycler = new ThreadRecycler(options.onThreadRecycled);
    this.gate = new MemoryGate({
      slots: options.threads,
      budgetMb: options.memoryBudgetMb,
      onOverBudget: () => {
        this.warnOverBudget();
        this.recycler.retireIdle();
      },
    });
    this.piscina = new Piscina({
      ...workerEntry(),
      minThreads: Math.min(1, options.threads),
      maxThreads: options.threads,
      // The gate admits one file per thread; a file may still wait here for a recycled thread's
      // replacement.
      maxQueue: Infinity,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
      loadBalancer: this.recycler.balance,
      workerData: {
        overridesModule: options.overridesModule,
        abortChannel: this.abortChannel.name,
      },
    });
    this.recycler.attach(this.piscina);
    this.piscina.on('message', (message: unknown) => {
      if (isProgressMessage(message)) this.progressRoutes.get(message.taskId)?.(message.update);
    });
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  async run<R extends BaseExtractionResult = BaseExtractionResult>(
    request: ExtractionRequest,
  ): Promise<R> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    if (request.signal?.aborted) throw abortError(request.signal, timeoutMs);
    const taskId = ++this.nextTaskId;
    // One timer for both the caller's abort and the timeout (AbortSignal.any and
    // AbortSignal.timeout cost more than the rest of a trivial task).
    const terminate = new AbortController();
    const leaveGate = new AbortController();
    let stopping = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      leaveGate.abort();
      this.abortChannel.postMessage(taskId);
      graceTimer = setTimeout(() => terminate.abort(), ABORT_GRACE_MS);
    };
    const timer = setTimeout(stop, timeoutMs);
    request.signal?.addEventListener('abort', stop, { once: true });

    // Progress and the result travel on different channels: the result says how many updates
    // came before it, and a finished run waits for them so none is lost.
    let received = 0;
    let allReceived: (() => void) | undefined;
    this.progressRoutes.set(taskId, (update) => {
      received += 1;
      request.onProgress?.(update);
      allReceived?.();
    });
    const task: ExtractorTask = {
      taskId,
      format: request.format,
      filePath: request.filePath,
      filename: request.filename,
      options: request.options,
    };
    try {
      await this.gate.enter(leaveGate.signal);
      let outcome: ExtractorTaskOutcome;
      try {
        outcome = (await this.piscina.run(task, {
          signal: terminate.signal,
        })) as ExtractorTaskOutcome;
        this.afterTask(outcome);
      } finally {
        // The thread is free (or gone): the next file may start while this one drains progress.
        this.gate.leave();
      }
      if (stopping) throw abortError(request.signal, timeoutMs);
      if (received < outcome.progressSent) {
        const drained = new Promise<void>((resolve) => {
          allReceived = () => received >= outcome.progressSent && resolve();
        });
        await Promise.race([drained, delay(PROGRESS_DRAIN_MS)]);
      }
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
      if (stopping) throw abortError(request.signal, timeoutMs);
      throw crashError(error);
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      request.signal?.removeEventListener('abort', stop);
      this.progressRoutes.delete(taskId);
    }
  }

  private warnOverBudget(): void {
    const now = Date.now();
    if (now - this.lastOverBudgetWarning < OVER_BUDGET_WARNING_INTERVAL_MS) return;
    this.lastOverBudgetWarning = now;
    const rssMb = Math.round(process.memoryUsage.rss() / (1024 * 1024));
    new Logger(ExtractorPool.name).warn(
      `Process memory ${rssMb} MB is over the budget of ${this.options.memoryBudgetMb} MB ` +
        '(WORKER_MEMORY_BUDGET_MB): files start only as running ones finish, idle extractor ' +
        'threads are recycled',
    );
  }

  /** A thread that holds more than the threshold after its file is recycled. */
  private afterTask({ memory }: ExtractorTaskOutcome): void {
    if (memory.heldMb > this.options.recycleMb) this.recycler.retire(memory.threadId, 'spike');
    else this.recycler.settled(memory.threadId);
  }

  async destroy(): Promise<void> {
    this.gate.stop();
    this.abortChannel.close();
    await this.piscina.destroy();
  }

  /** Nest calls this on shutdown, after running files were finished or handed back. */
  async onApplicationShutdown(): Promise<void> {
    await this.destroy();
  }
}

const PROGRESS_DRAIN_MS = 500;
/** At most one over-budget warning per minute: the state may last while files run. */
const OVER_BUDGET_WARNING_INTERVAL_MS = 60_000;
/** How long a stopped task may take to notice its signal before its thread is terminated. */
const ABORT_GRACE_MS = 1000;

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
