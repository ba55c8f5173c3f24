/**
 * Prometheus metrics of the service (prom-client), in a registry of our own so several app
 * instances in one process (tests) do not collide. Queue depth is read from Bull at scrape time.
 */
import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EXTRACTION_QUEUE } from '../queue/extraction-queue.constants';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly jobsCreated = new Counter({
    name: 'extraction_jobs_created_total',
    help: 'Jobs created, by format and kind',
    labelNames: ['format', 'kind'],
    registers: [this.registry],
  });

  readonly jobsReprocessed = new Counter({
    name: 'extraction_jobs_reprocessed_total',
    help: 'Completed jobs sent back for a new attempt by POST /jobs/reprocess',
    registers: [this.registry],
  });

  readonly duplicatesParked = new Counter({
    name: 'extraction_duplicates_parked_total',
    help: 'Attempts that gave their worker slot back while an identical file was being extracted, by format',
    labelNames: ['format'],
    registers: [this.registry],
  });

  readonly resultsReused = new Counter({
    name: 'extraction_results_reused_total',
    help: 'Attempts completed from an identical earlier result instead of extracting, by format',
    labelNames: ['format'],
    registers: [this.registry],
  });

  readonly jobsFinished = new Counter({
    name: 'extraction_jobs_finished_total',
    help: 'Processing attempts finished, by format and resulting status',
    labelNames: ['format', 'status'],
    registers: [this.registry],
  });

  readonly processingDuration = new Histogram({
    name: 'extraction_processing_duration_seconds',
    help: 'Time from claim to completion or failure of one attempt',
    labelNames: ['format', 'status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'extraction_retries_total',
    help: 'Jobs put back to pending by the retry sweep or a manual retry',
    labelNames: ['trigger'],
    registers: [this.registry],
  });

  readonly stuckRecovered = new Counter({
    name: 'extraction_stuck_recovered_total',
    help: 'Jobs whose lease expired and that were failed as WORKER_LOST',
    registers: [this.registry],
  });

  readonly sweepRuns = new Counter({
    name: 'extraction_sweep_runs_total',
    help: 'Sweep runs, by sweep and outcome',
    labelNames: ['sweep', 'outcome'],
    registers: [this.registry],
  });

  readonly databaseStatements = new Counter({
    name: 'extraction_database_statements_total',
    help: 'SQL statements sent by the job repositories (a batch of claims or completions is one)',
    registers: [this.registry],
  });

  readonly queueWait = new Histogram({
    name: 'extraction_queue_wait_seconds',
    help: 'Time from a file becoming runnable (created, released to the queue or retried) to its claim, by lane',
    labelNames: ['lane'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly threadsRecycled = new Counter({
    name: 'extraction_extractor_threads_recycled_total',
    help: 'Extractor threads terminated to return their memory: after a file left them holding more than EXTRACTOR_RECYCLE_MB (spike), or idle while the process was over WORKER_MEMORY_BUDGET_MB (over_budget)',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly bulkFilesReleased = new Counter({
    name: 'extraction_bulk_files_released_total',
    help: 'Bulk files handed from PostgreSQL to the queue by the fair release step',
    registers: [this.registry],
  });

  /**
   * Active files (pending, retrying or processing) per owner: the owners with most by name, the
   * rest summed as owner="_other", so the label set stays bounded. The extraction module supplies
   * the numbers (`ownerActiveSource`); the gauge is rebuilt at every scrape.
   */
  ownerActiveSource?: () => Promise<Array<{ owner: string; files: number }>>;

  /**
   * Reprocessed jobs by state (queued, processing, retrying, completed, failed): the progress of
   * POST /jobs/reprocess, read from PostgreSQL at every scrape (`reprocessSource`).
   */
  reprocessSource?: () => Promise<Array<{ state: string; jobs: number }>>;

  constructor(@InjectQueue(EXTRACTION_QUEUE) queue: Queue) {
    const metrics = this as MetricsService;
    new Gauge({
      name: 'extraction_owner_active_files',
      help: 'Files pending, retrying or processing per owner (top owners by name, the rest as _other)',
      labelNames: ['owner'],
      registers: [this.registry],
      async collect() {
        if (!metrics.ownerActiveSource) return;
        try {
          const rows = await metrics.ownerActiveSource();
          this.reset();
          for (const { owner, files } of rows) this.set({ owner }, files);
        } catch {
          // Database down: the readiness probe reports it; keep the scrape working.
        }
      },
    });
    new Gauge({
      name: 'extraction_reprocess_jobs',
      help: 'Jobs sent back by POST /jobs/reprocess, by state of their reprocess (queued, processing, retrying, completed, failed)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        if (!metrics.reprocessSource) return;
        try {
          const rows = await metrics.reprocessSource();
          this.reset();
          for (const { state, jobs } of rows) this.set({ state }, jobs);
        } catch {
          // Database down: the readiness probe reports it; keep the scrape working.
        }
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'extraction_process_' });
    new Gauge({
      name: 'extraction_queue_depth',
      help: 'Messages in the extraction queue, by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await queue.getJobCounts();
          for (const [state, n] of Object.entries(counts)) this.set({ state }, Number(n));
        } catch {
          // Redis down: the readiness probe reports it; keep the scrape working.
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
