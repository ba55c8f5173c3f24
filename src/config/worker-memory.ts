/**
 * How much memory a process running extractors may use, and how its thread pool is sized to fit
 * (docs/decisions.md, "Worker memory budget"). The rule: the main thread's reserve plus, per
 * thread, its heap limit and V8's overhead beside the heap, stays within the budget.
 */

/** The main thread of a worker or API process: Nest, Bull, pg, results on their way out. */
export const MAIN_THREAD_RESERVE_MB = 256;
/**
 * What a thread holds beside its heap limit: young generation, code, and the WASM memories of the
 * IFC and STEP readers, which no heap limit bounds (~150–200 MB measured on a warm thread).
 */
export const THREAD_OVERHEAD_MB = 256;
/**
 * Default recycle threshold. A warm thread holds ~150–350 MB between ordinary files (heap plus
 * the WASM readers, measured); more than this means the last file left a spike behind.
 */
export const DEFAULT_RECYCLE_MB = 512;
/** The smallest heap limit a thread gets when the budget cannot hold one at the configured one. */
const MIN_THREAD_HEAP_MB = 64;

export interface WorkerMemoryPlan {
  /** The process's budget (WORKER_MEMORY_BUDGET_MB or the default). */
  budgetMb: number;
  /** Extractor threads after fitting the budget (≤ the configured threads). */
  threads: number;
  /** Heap limit of each thread (the configured one unless not even one thread fits). */
  memoryMb: number;
  /** A thread holding more than this (heap + buffers + WASM) after a file is recycled. */
  recycleMb: number;
}

/** What one thread costs at most, heap limit included. */
export function threadCostMb(memoryMb: number): number {
  return memoryMb + THREAD_OVERHEAD_MB;
}

/**
 * The default budget: every configured thread at its heap limit, but at most ¾ of the memory the
 * machine (or the container's cgroup) gives the process, so that one worker cannot take it all.
 */
export function defaultMemoryBudgetMb(
  threads: number,
  memoryMb: number,
  machineMb: number,
): number {
  const wanted = MAIN_THREAD_RESERVE_MB + threads * threadCostMb(memoryMb);
  return Math.min(wanted, Math.floor(machineMb * 0.75));
}

/**
 * Fits the pool into the budget: fewer threads rather than smaller heaps, since a smaller heap
 * would fail a large file permanently (EXTRACTOR_OUT_OF_MEMORY) that the configured limit lets
 * through; only when not even one thread fits is its heap limit lowered.
 */
export function planWorkerMemory(input: {
  threads: number;
  memoryMb: number;
  budgetMb?: number;
  recycleMb?: number;
  machineMb: number;
}): WorkerMemoryPlan {
  const budgetMb =
    input.budgetMb ?? defaultMemoryBudgetMb(input.threads, input.memoryMb, input.machineMb);
  const forThreads = budgetMb - MAIN_THREAD_RESERVE_MB;
  const fitting = Math.floor(forThreads / threadCostMb(input.memoryMb));
  const threads = Math.max(1, Math.min(input.threads, fitting));
  const memoryMb =
    fitting >= 1 ? input.memoryMb : Math.max(MIN_THREAD_HEAP_MB, forThreads - THREAD_OVERHEAD_MB);
  return { budgetMb, threads, memoryMb, recycleMb: input.recycleMb ?? DEFAULT_RECYCLE_MB };
}
