/**
 * The Bull processor: one message = one file (a single job or one child of a bulk). It claims the
 * row for the message's attempt, loads the file from storage, runs the extractor in the thread
 * pool with heartbeats and throttled progress, then completes or fails the attempt. Everything a
 * message does is fenced by its attempt, so a duplicate or stale message changes nothing.
 * Registered only in worker processes (role `worker` or `all`), with concurrency from config.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { resultObjectKey } from '../../storage/object-key';
import { DomainError } from '../../common/domain-error';
import { InvalidTransitionError } from '../jobs/job-errors';
import { ExtractionJob } from '../entities/extraction-job.entity';
import { ExtractionJobService } from '../jobs/extraction-job.service';
import { JobQueue } from '../jobs/job-queue';
import { JobRef } from '../jobs/job.types';
import { ExtractorPool } from './extractor-pool/extractor-pool';
import { ExtractionError } from '../extractors/extraction-error';
import { classifyFailure } from './failure-classifier';
import { ResultReuseService } from './result-reuse.service';
import { CONTROL_OPTIONS } from '../extractors/options-digest';

type StopReason = 'lost' | 'shutdown';

const DB_RETRY_FIRST_DELAY_MS = 100;
const DB_RETRY_MAX_DELAY_MS = 1000;
/** After this, a write gives up: the sweeps (reconcile, expired leases) take the job over. */
const DB_RETRY_GIVE_UP_MS = 10 * 60 * 1000;

interface RunningFile {
  ref: JobRef;
  controller: AbortController;
  done: Promise<void>;
}

@Injectable()
export class BulkExtractionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BulkExtractionService.name);
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly running = new Map<string, RunningFile>();
  private stopping = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: ExtractionJobService,
    private readonly pool: ExtractorPool,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly reuse: ResultReuseService,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = this.config.worker.concurrency;
    // Registered here rather than with @Process so the concurrency comes from the validated config.
    this.queue.consume(concurrency, (ref) => this.handle(ref));
    this.logger.log(`Worker ${this.workerId} taking extraction jobs, concurrency ${concurrency}`);
  }

  /** Stop taking messages, let running files finish within the grace period, hand back the rest. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    this.logger.log(
      `Shutting down (${signal ?? 'no signal'}): ${this.running.size} file(s) running`,
    );
    await this.queue
      .stopConsuming()
      .catch((error) => this.logger.warn(`Pausing the queue failed: ${String(error)}`));
    const graceOver = sleep(this.config.worker.shutdownGraceMs);
    await Promise.race([this.allDone(), graceOver]);
    for (const file of this.running.values())
      file.controller.abort('shutdown' satisfies StopReason);
    await Promise.race([this.allDone(), sleep(5000)]);
  }

  private async allDone(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((f) => f.done));
  }

  /** Never throws: Bull only carries the message; outcomes live in the database. */
  async handle(ref: JobRef): Promise<void> {
    if (this.stopping) return; // left pending; the reconciler or another worker takes it
    const job = await this.claimPatiently(ref);
    if (job === undefined) return; // the database stayed away; the reconciler takes the job
    if (!job) {
      this.logger.debug?.(`Skipping job ${ref.id} attempt ${ref.attempt}: no longer claimable`);
      return;
    }
    this.observeQueueWait(ref, job);
    const claimed: JobRef = { id: job.id, attempt: job.attempt };
    const controller = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.running.set(job.id, { ref: claimed, controller, done });
    try {
      await this.process(job, claimed, controller);
    } finally {
      this.running.delete(job.id);
      finish();
    }
  }

  /** Since the file became runnable (created, released from its window, or requeued). */
  private observeQueueWait(ref: JobRef, job: ExtractionJob): void {
    const since = Math.max(
      job.createdAt.getTime(),
      job.releasedAt?.getTime() ?? 0,
      job.lastRetryAt?.getTime() ?? 0,
    );
    const claimedAt = job.startedAt?.getTime() ?? Date.now();
    this.metrics.queueWait.observe(
      { lane: ref.lane ?? 'interactive' },
      Math.max(0, claimedAt - since) / 1000,
    );
  }

  /**
   * The claim, retried while the database is unreachable: the message stays in this handler, so
   * nothing is dropped and the file starts the moment the database answers. `null` = not
   * claimable; `undefined` = gave up (shutdown, or a long outage: the reconciler takes the job).
   */
  private async claimPatiently(ref: JobRef): Promise<ExtractionJob | null | undefined> {
    try {
      return await this.patiently(`Claim of job ${ref.id}`, () =>
        this.jobs.claim(ref, this.workerId),
      );
    } catch (error) {
      this.logger.error(
        `Claim of job ${ref.id} attempt ${ref.attempt} left pending: ${String(error)}`,
      );
      return undefined;
    }
  }

  /**
   * Runs a database write again while it fails for an infrastructure reason (connection refused
   * or reset, a restart, a failover), so an outage delays outcomes instead of losing them to lease
   * expiry. Domain errors (a refused transition) end it at once; every write here is fenced by its
   * attempt, so a repeat after a lost reply changes nothing. Gives up on shutdown or after a long
   * outage, rethrowing the last error.
   */
  private async patiently<T>(what: string, write: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (
      let delay = DB_RETRY_FIRST_DELAY_MS;
      ;
      delay = Math.min(delay * 2, DB_RETRY_MAX_DELAY_MS)
    ) {
      try {
        return await write();
      } catch (error) {
        if (error instanceof DomainError || this.stopping) throw error;
        if (Date.now() - started > DB_RETRY_GIVE_UP_MS) throw error;
        if (delay === DB_RETRY_FIRST_DELAY_MS) {
          this.logger.warn(`${what} failed, retrying until the database answers: ${String(error)}`);
        }
        await sleep(delay);
      }
    }
  }

  private async process(
    job: ExtractionJob,
    ref: JobRef,
    controller: AbortController,
  ): Promise<void> {
    const started = Date.now();
    const context = () =>
      `job ${ref.id} attempt ${ref.attempt} (${job.format}, ${Date.now() - started} ms)`;
    const heartbeat = setInterval(
      () => {
        this.jobs
          .heartbeat(ref)
          .then((alive) => {
            if (!alive) controller.abort('lost' satisfies StopReason);
          })
          .catch((error) => this.logger.warn(`Heartbeat of ${context()} failed: ${String(error)}`));
      },
      Math.max(250, (this.config.worker.leaseSeconds * 1000) / 3),
    );
    let releaseReuse: (() => Promise<void>) | undefined;
    try {
      if (!job.format) throw new ExtractionError('UNSUPPORTED_FORMAT', 'The job has no format');
      // Retried like the other writes while the database is unreachable (the lookup records the
      // attempt's extractor version and options digest).
      const plan = await this.patiently(`Reuse lookup of job ${ref.id}`, () =>
        this.reuse.begin(job, ref),
      );
      releaseReuse = plan.release;
      if (!plan.attemptHeld) {
        clearInterval(heartbeat);
        this.logger.log(`Stopped ${context()}: cancelled or taken over`);
        return;
      }
      if (plan.parked) {
        // An identical file is being extracted: this slot goes to other files meanwhile.
        clearInterval(heartbeat);
        this.metrics.duplicatesParked.inc({ format: job.format });
        this.logger.log(`Parked ${context()}: an identical file is being extracted`);
        return;
      }
      if (plan.source) {
        clearInterval(heartbeat);
        const reused = await this.reuse.resultFrom(job, plan.source);
        await this.patiently(`Completion of job ${ref.id}`, () =>
          this.jobs.completeWithJson(ref, reused.inlineJson, reused.resultPath),
        );
        await this.dropReferences(job, reused.resultPath, plan.source.resultPath);
        this.observe(job, 'completed', started);
        this.metrics.resultsReused.inc({ format: job.format });
        this.logger.log(`Completed ${context()} from the result of job ${plan.source.id}`);
        return;
      }
      const result = await this.extract(job, ref, controller);
      clearInterval(heartbeat);
      if (result.success === false) {
        await this.failUnsuccessful(job, ref, result, started, context);
        return;
      }
      const { inline, resultPath } = await this.storeResult(job, result);
      await this.patiently(`Completion of job ${ref.id}`, () =>
        this.jobs.complete(ref, inline, resultPath),
      );
      await this.dropReferences(job, resultPath);
      this.observe(job, 'completed', started);
      this.logger.log(`Completed ${context()}`);
    } catch (error) {
      clearInterval(heartbeat);
      await this.handleFailure(job, ref, controller, error, started, context);
    } finally {
      await releaseReuse?.();
    }
  }

  /**
   * After a completion that replaced what the job named (a reprocess's previous result, the
   * source's result copied under this job's name), removes those objects unless another job
   * still names them. Best effort: an object left behind costs bytes, never a result.
   */
  private async dropReferences(
    job: ExtractionJob,
    resultPath: string | null,
    ...alsoNamed: Array<string | null>
  ): Promise<void> {
    const previous = job.reprocessStatus === 'pending' ? job.reprocessPrevious?.result_path : null;
    const dropped = [previous, ...alsoNamed].filter(
      (url): url is string => !!url && url !== resultPath,
    );
    if (dropped.length === 0) return;
    try {
      const gone = await this.jobs.unreferencedObjects(dropped);
      await deleteStoredFiles(this.storage, gone, this.logger);
    } catch (error) {
      this.logger.warn(`Objects no longer named by job ${job.id} kept: ${String(error)}`);
    }
  }

  private async extract(
    job: ExtractionJob,
    ref: JobRef,
    controller: AbortController,
  ): Promise<Record<string, unknown>> {
    if (!job.format) throw new ExtractionError('UNSUPPORTED_FORMAT', 'The job has no format');
    if (!job.fileUrl) throw new ExtractionError('CORRUPT_FILE', 'The job has no stored file');
    const key = this.storage.keyFromUrl(job.fileUrl);
    const format = job.format;
    const onProgress = this.progressWriter(ref, controller);
    return this.storage.withLocalFile(
      key,
      (filePath) =>
        this.pool.run({
          format,
          filePath,
          filename: job.filename ?? key,
          options: withoutControlOptions(job.options),
          signal: controller.signal,
          onProgress: ({ progress }) => onProgress(progress),
        }) as unknown as Promise<Record<string, unknown>>,
    );
  }

  /** Writes progress at most once per interval; a refused write means the attempt is gone. */
  private progressWriter(ref: JobRef, controller: AbortController): (progress: number) => void {
    let last = 0;
    let writing = false;
    return (progress) => {
      const now = Date.now();
      if (writing || now - last < this.config.worker.progressIntervalMs || progress >= 100) return;
      last = now;
      writing = true;
      this.jobs
        .updateProgress(ref, progress)
        .then((alive) => {
          if (!alive) controller.abort('lost' satisfies StopReason);
        })
        .catch((error) =>
          this.logger.warn(`Progress write for job ${ref.id} failed: ${String(error)}`),
        )
        .finally(() => (writing = false));
    };
  }

  /** Small results stay inline; large ones go to storage and the row points at them. */
  private async storeResult(
    job: ExtractionJob,
    result: Record<string, unknown>,
  ): Promise<{ inline: Record<string, unknown> | null; resultPath: string | null }> {
    const json = JSON.stringify(result);
    if (Buffer.byteLength(json) <= this.config.http.inlineResultMaxBytes)
      return { inline: result, resultPath: null };
    const key = resultObjectKey(job.ownerId, job.id, job.attempt);
    await this.storage.putBuffer(key, json, { contentType: 'application/json' });
    return { inline: null, resultPath: this.storage.urlFor(key) };
  }

  private async handleFailure(
    job: ExtractionJob,
    ref: JobRef,
    controller: AbortController,
    error: unknown,
    started: number,
    context: () => string,
  ): Promise<void> {
    const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : null;
    if (reason === 'shutdown') {
      await this.jobs
        .release(ref)
        .catch((e) => this.logger.error(`Hand-back of ${context()} failed: ${String(e)}`));
      this.logger.log(`Handed back ${context()} for another worker`);
      return;
    }
    if (reason === 'lost') {
      this.logger.log(`Stopped ${context()}: cancelled or taken over`);
      return;
    }
    const failure = classifyFailure(error);
    try {
      const failed = await this.patiently(`Failure record of job ${ref.id}`, () =>
        this.jobs.fail(ref, failure),
      );
      this.observe(job, failed.status, started);
      this.logger.warn(
        `${failed.status === 'retrying' ? 'Will retry' : 'Failed'} ${context()}: ${failure.code} ${failure.message}`,
      );
    } catch (failError) {
      if (failError instanceof InvalidTransitionError) {
        this.logger.log(`Not recording failure of ${context()}: ${failError.message}`);
      } else {
        // The database stayed away: the lease will expire and stuck recovery retries the file.
        this.logger.error(`Could not record failure of ${context()}: ${String(failError)}`);
      }
    }
  }

  /** The extractor read the file but could not make sense of it: permanent, partial result kept. */
  private async failUnsuccessful(
    job: ExtractionJob,
    ref: JobRef,
    result: Record<string, unknown>,
    started: number,
    context: () => string,
  ): Promise<void> {
    const errors = Array.isArray(result.errors) ? (result.errors as unknown[]).map(String) : [];
    const message =
      errors.length > 0 ? errors.join('; ') : 'The extractor could not read this file';
    // Kept like a completed result: inline when small, else in storage (GET /jobs/{id}/result).
    let stored: { inline: Record<string, unknown> | null; resultPath: string | null } = {
      inline: null,
      resultPath: null,
    };
    try {
      // A failed reprocess keeps the previous result, not this partial one.
      if (job.reprocessStatus !== 'pending') stored = await this.storeResult(job, result);
    } catch (error) {
      this.logger.warn(`Partial result of ${context()} not kept: ${String(error)}`);
    }
    try {
      const failed = await this.patiently(`Failure record of job ${ref.id}`, () =>
        this.jobs.fail(
          ref,
          { code: 'EXTRACTION_UNSUCCESSFUL', message, retryable: false },
          {
            partialResult: stored.inline ?? undefined,
            partialResultPath: stored.resultPath ?? undefined,
          },
        ),
      );
      this.observe(job, failed.status, started);
      this.logger.warn(`Failed ${context()}: EXTRACTION_UNSUCCESSFUL ${message}`);
    } catch (error) {
      this.logger.log(`Not recording failure of ${context()}: ${String(error)}`);
    }
  }

  private observe(job: ExtractionJob, status: string, started: number): void {
    const labels = { format: job.format ?? 'none', status };
    this.metrics.jobsFinished.inc(labels);
    this.metrics.processingDuration.observe(labels, (Date.now() - started) / 1000);
  }
}

/** The options the extractor reads: service options (force_reextract) are not its business. */
function withoutControlOptions(options: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...options };
  for (const name of CONTROL_OPTIONS) delete rest[name];
  return rest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
