/**
 * Keeps import runs moving, in every worker: runs whose worker was lost (lease over) go back to
 * pending, and pending runs without a queue message are enqueued again. Safe on many instances
 * (SKIP LOCKED, fenced claims, Bull job ids per attempt).
 */
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { ImportRunQueue } from './import-run-queue';
import { ImportRunsRepository } from './import-runs.repository';

const BATCH = 50;

@Injectable()
export class ImportRunSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportRunSweeper.name);
  private busy = false;

  constructor(
    private readonly runs: ImportRunsRepository,
    private readonly runQueue: ImportRunQueue,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.sweep(), this.config.sweep.intervalMs);
    this.registry.addInterval('import-runs-sweep', interval);
  }

  async sweep(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      const released = await this.runs.releaseExpired(BATCH);
      const stale = await this.runs.stalePending(this.config.sweep.reconcileAfterSeconds, BATCH);
      const due = [...released, ...stale];
      for (const run of due) await this.runQueue.dispatch({ runId: run.id, attempt: run.attempt });
      if (released.length > 0) this.logger.log(`${released.length} lost import run(s) requeued`);
      return due.length;
    } catch (error) {
      this.logger.warn(`import run sweep failed: ${String(error)}`);
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
