/**
 * Admits files to the extractor threads: at most one per thread at once, first come first served,
 * and none while the process is over its memory budget (RSS) and a file is still running — the
 * heap limits bound each thread's heap, this bounds what they do not (buffers, WASM memory). While
 * over budget the gate asks for idle threads to be recycled and looks again when a file finishes
 * or after a short pause. With nothing running a file is admitted whatever the RSS (after the idle
 * threads were recycled), since waiting could free nothing more.
 */
export interface MemoryGateOptions {
  slots: number;
  budgetMb: number;
  /** Called (at most once per check) while over budget: recycle idle threads. */
  onOverBudget: () => void;
  /** The process's resident memory in bytes (a parameter for tests). */
  rss?: () => number;
}

/** How often a waiting file looks at the memory again while files run. */
const OVER_BUDGET_RECHECK_MS = 100;
/** Reading the RSS costs a system call (~20 µs); a busy pool admits many files per millisecond. */
const RSS_SAMPLE_MS = 10;

function sampledRss(): () => number {
  let value = 0;
  let readAt = -Infinity;
  return () => {
    const now = performance.now();
    if (now - readAt >= RSS_SAMPLE_MS) {
      value = process.memoryUsage.rss();
      readAt = now;
    }
    return value;
  };
}

export class MemoryGate {
  private running = 0;
  private readonly waiting: Array<{ admit: () => void; refuse: (error: Error) => void }> = [];
  private recheck?: NodeJS.Timeout;
  private readonly rss: () => number;
  private readonly budgetBytes: number;

  constructor(private readonly options: MemoryGateOptions) {
    this.rss = options.rss ?? sampledRss();
    this.budgetBytes = options.budgetMb * 1024 * 1024;
  }

  /** Files admitted and not yet left. */
  get inFlight(): number {
    return this.running;
  }

  /** Resolves once the file may run; rejects with the signal's reason if it aborts meanwhile. */
  enter(signal: AbortSignal): Promise<void> {
    if (this.waiting.length === 0 && this.mayAdmit()) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: (error: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal.reason instanceof Error ? signal.reason : new Error('Stopped while waiting'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.admitWaiting();
    });
  }

  /** A file finished (however): its slot goes to the next waiting file. */
  leave(): void {
    this.running -= 1;
    this.admitWaiting();
  }

  /** The pool is shutting down: waiting files fail (as piscina fails the tasks it still queues). */
  stop(): void {
    clearTimeout(this.recheck);
    for (const waiter of this.waiting.splice(0))
      waiter.refuse(new Error('The extractor pool is shutting down'));
  }

  private mayAdmit(): boolean {
    if (this.running >= this.options.slots) return false;
    if (this.rss() <= this.budgetBytes) return true;
    this.options.onOverBudget();
    return this.running === 0;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.mayAdmit()) {
      this.running += 1;
      this.waiting.shift()!.admit();
    }
    // Blocked by memory, not by slots: nothing else would wake the queue while files run long.
    if (this.waiting.length > 0 && this.running < this.options.slots && !this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.admitWaiting();
      }, OVER_BUDGET_RECHECK_MS).unref();
    }
  }
}
