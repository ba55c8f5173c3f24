/**
 * Runs large imports on workers: claims the attempt the message names, runs the import (one
 * transaction) reporting progress after each batch — which renews the lease and stops the import
 * when the run was claimed again elsewhere — and stores the answer, or the error.
 */
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bull';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { RUN_IMPORT_JOB, RunImportPayload } from '../../queue/import-queue.constants';
import { ImportRunLostError } from '../import-errors';
import { ImportService } from '../import.service';
import { ImportRunQueue } from './import-run-queue';
import { ImportRunsRepository } from './import-runs.repository';

/** Imports at once per worker: each holds one connection and its rows in memory. */
const CONCURRENCY = 1;

@Injectable()
export class ImportRunProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportRunProcessor.name);

  constructor(
    private readonly runQueue: ImportRunQueue,
    private readonly runs: ImportRunsRepository,
    private readonly imports: ImportService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.runQueue.queue.process(RUN_IMPORT_JOB, CONCURRENCY, (job: Job<RunImportPayload>) =>
      this.handle(job.data),
    );
  }

  /** Never throws: the outcome lives in import_runs. */
  async handle({ runId, attempt }: RunImportPayload): Promise<void> {
    const lease = this.config.worker.leaseSeconds;
    const run = await this.runs.claim(runId, attempt, lease).catch(() => null);
    if (!run) return; // no longer this message's attempt; the sweep re-enqueues what is pending
    const started = Date.now();
    try {
      const result = await this.imports.executeRun(run, (processed) =>
        this.runs.progress(run.id, run.attempt, processed, lease),
      );
      await this.runs.finish(run.id, run.attempt, { result });
      this.logger.log(
        `import run ${run.id} attempt ${run.attempt} completed in ${Date.now() - started} ms`,
      );
    } catch (error) {
      if (error instanceof ImportRunLostError) {
        this.logger.warn(`import run ${run.id} attempt ${run.attempt} was claimed again; stopped`);
        return;
      }
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`import run ${run.id} attempt ${run.attempt} failed: ${code} ${message}`);
      await this.runs
        .finish(run.id, run.attempt, { errorCode: code, errorMessage: message })
        .catch((e: unknown) => this.logger.error(`recording the failure: ${String(e)}`));
    }
  }
}
