/**
 * Hands waiting bulk files to the queue as their owners' windows free up (see
 * BulkReleaseRepository). Called after a bulk is created or retried, after a bulk file settles,
 * and on an interval in every worker. Calls within one process coalesce: at most one release runs,
 * and a call during it makes it run once more, so a freed slot is always seen.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { BulkReleaseRepository } from '../persistence/bulk-release.repository';
import { JobQueue } from './job-queue';
import { JobRef } from './job.types';

const MIN_TURN_SPACING_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Injectable()
export class BulkReleaseService {
  private readonly logger = new Logger(BulkReleaseService.name);
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly releases: BulkReleaseRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Releases what the windows allow now; resolves when this call's turn has run. */
  async release(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = null));
    return this.running;
  }

  /** Fire and forget (after a file settles): errors are logged, the interval catches up. */
  kick(): void {
    void this.release();
  }

  private async loop(): Promise<number> {
    let released = 0;
    let first = true;
    do {
      // Files settle many times a second: a short pause between turns lets one turn fill the
      // slots of all of them (the window's headroom keeps the workers busy meanwhile).
      if (!first) await sleep(MIN_TURN_SPACING_MS);
      first = false;
      this.again = false;
      try {
        released += await this.releaseOnce();
      } catch (error) {
        this.logger.warn(`Bulk release failed; the next tick retries: ${String(error)}`);
        return released;
      }
    } while (this.again);
    return released;
  }

  private async releaseOnce(): Promise<number> {
    const { windowPerOwner, interactiveMax } = {
      windowPerOwner: this.config.fairness.windowPerOwner,
      interactiveMax: this.config.fairness.interactiveMaxFiles,
    };
    const files = await this.releases.release(this.clock.now(), windowPerOwner, interactiveMax);
    if (files.length === 0) return 0;
    const bulkFiles = files.filter((f) => f.lane !== 'background').length;
    if (bulkFiles > 0) this.metrics?.bulkFilesReleased?.inc(bulkFiles);
    const refs: JobRef[] = files.map(({ id, attempt, lane }) => ({ id, attempt, lane }));
    // dispatch never throws; a lost message is found again by the reconciler (released rows).
    await this.queue.dispatch(refs);
    return files.length;
  }
}
