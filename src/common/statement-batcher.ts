/**
 * Coalesces concurrent calls into one database statement ("group commit"): the first call goes at
 * once; calls that arrive while a batch is in flight wait and go together in the next one. A lone
 * call costs no extra latency; a busy worker sends one statement for many files.
 *
 * If a batch fails, each of its items is run again on its own, so one bad item (a value the
 * database refuses, a deadlock with another worker) fails only itself.
 */
export type BatchRunner<I, O> = (items: I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class StatementBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = false;

  /** `run` answers one output per item, in the items' order. */
  constructor(
    private readonly run: BatchRunner<I, O>,
    private readonly maxBatchSize = 256,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.inFlight) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      await this.runBatch(batch);
    }
    this.inFlight = false;
  }

  private async runBatch(batch: Waiting<I, O>[]): Promise<void> {
    let outputs: O[];
    try {
      outputs = await this.run(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map((w) => this.runBatch([w])));
      return;
    }
    batch.forEach((w, i) => w.resolve(outputs[i]));
  }
}
