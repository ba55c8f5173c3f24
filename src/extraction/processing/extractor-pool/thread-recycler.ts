/**
 * Terminates extractor threads that hold too much memory, so it goes back to the system at once
 * instead of when the idle thread is reclaimed (a V8 heap rarely shrinks, a WASM memory never).
 *
 * A thread can only be terminated while idle: piscina hands a waiting task to a thread in the same
 * turn in which that thread's previous result arrives, before the pool reads the result. So a
 * thread to recycle is first marked *retiring* — the load balancer gives it no more tasks — and is
 * terminated as soon as it has none (at once, or after the one it was given in that turn). Piscina
 * handles the exit of a thread without tasks as a normal one: it drops the thread and starts
 * another when needed (minThreads, or the next task).
 */
import type { Piscina } from 'piscina';

/** piscina's view of one thread, as its events and load balancer see it (live getters). */
export interface PoolThread {
  id: number;
  currentUsage: number;
}

export type RecycleReason = 'spike' | 'over_budget';

export class ThreadRecycler {
  private piscina?: Piscina;
  private readonly threads = new Map<number, PoolThread>();
  private readonly retiring = new Set<number>();

  constructor(private readonly onRecycled?: (reason: RecycleReason) => void) {}

  /** piscina's `loadBalancer`: the first idle thread that is not retiring (tasks are abortable). */
  readonly balance = <T extends PoolThread>(_task: unknown, workers: T[]): T | null =>
    workers.find((w) => w.currentUsage === 0 && !this.retiring.has(w.id)) ?? null;

  attach(piscina: Piscina): void {
    this.piscina = piscina;
    piscina.on('workerCreate', (thread: PoolThread) => this.threads.set(thread.id, thread));
    piscina.on('workerDestroy', (thread: PoolThread) => {
      this.threads.delete(thread.id);
      this.retiring.delete(thread.id);
    });
  }

  /** Marks a thread to recycle and terminates it once idle. */
  retire(threadId: number, reason: RecycleReason): void {
    if (this.retiring.has(threadId) || !this.threads.has(threadId)) return;
    this.retiring.add(threadId);
    this.onRecycled?.(reason);
    this.terminateIfIdle(threadId);
  }

  /** Recycles every idle thread (the process is over its memory budget). */
  retireIdle(): void {
    for (const thread of this.threads.values())
      if (thread.currentUsage === 0) this.retire(thread.id, 'over_budget');
  }

  /** After a task of this thread settled: a retiring thread that is now idle goes. */
  settled(threadId: number): void {
    if (this.retiring.has(threadId)) this.terminateIfIdle(threadId);
  }

  private terminateIfIdle(threadId: number): void {
    if (this.threads.get(threadId)?.currentUsage !== 0) return;
    void this.piscina?.threads.find((worker) => worker.threadId === threadId)?.terminate();
  }
}
