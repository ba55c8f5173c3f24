/**
 * The job lifecycle, for controllers, the processor, the scheduler and other modules (exported).
 * Every state change is one conditional statement in ExtractionJobRepository; when it does not
 * apply, the job is read once to explain why with a domain error. Enqueueing happens only after
 * the statement that made a job pending has committed.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../common/clock';
import { StatementBatcher } from '../../common/statement-batcher';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { jitterFactor } from './backoff';
import {
  IdempotencyKeyReusedError,
  InvalidJobInputError,
  OptionsTooLargeError,
  InvalidTransitionError,
  JobNotFailedError,
  JobNotFoundError,
  BulkTooLargeError,
  NoFailedJobsError,
  QuotaExceededError,
  RetriesExhaustedError,
} from './job-errors';
import { BulkReleaseService } from './bulk-release.service';
import { OwnerUsageRepository } from '../persistence/owner-usage.repository';
import { JobAction } from './job-state-machine';
import { ExtractionJob } from '../entities/extraction-job.entity';
import { JobStatus, JOB_STATUSES } from '../entities/job-enums';
import { ExtractionJobRepository } from '../persistence/extraction-job.repository';
import { ExtractionJobSweepsRepository } from '../persistence/extraction-job-sweeps.repository';
import { JobQueue } from './job-queue';
import { ReprocessFilters, ResultReuseRepository } from '../persistence/result-reuse.repository';
import {
  ClaimRequest,
  CompleteRequest,
  CreateBulkInput,
  CreateJobInput,
  FailureInput,
  JobRef,
  JobStats,
  ListJobsQuery,
  NewJob,
  Page,
} from './job.types';
import { bulkFingerprint, MAX_OPTIONS_BYTES, singleJobFingerprint } from './request-fingerprint';

/**
 * Insert attempts of a create before it settles for the newest job of the attachment: each
 * round either inserts or finds the job that blocked it, unless that one settled in between.
 */
const MAX_CREATE_ATTEMPTS = 5;

/** Refuses options larger than a job keeps (list rows and claims carry them). */
function checkOptionsSize(options: Record<string, unknown> | undefined): void {
  if (!options) return;
  const bytes = Buffer.byteLength(JSON.stringify(options));
  if (bytes > MAX_OPTIONS_BYTES) throw new OptionsTooLargeError(bytes, MAX_OPTIONS_BYTES);
}

/** A job found under the same key must have been created by the same request. */
function checkSameRequest(
  existing: ExtractionJob,
  wanted: { idempotencyKey?: string | null; idempotencyFingerprint?: string | null },
): void {
  const key = wanted.idempotencyKey;
  if (!key || existing.idempotencyKey !== key || !existing.idempotencyFingerprint) return;
  if (existing.idempotencyFingerprint !== wanted.idempotencyFingerprint) {
    throw new IdempotencyKeyReusedError(key, existing.id);
  }
}

/** Settling this job frees a slot of its owner's window (a bulk file, a reprocess attempt). */
function usesWindow(job: ExtractionJob): boolean {
  return job.kind === 'file' || job.reprocessStatus !== null;
}

@Injectable()
export class ExtractionJobService {
  private readonly logger = new Logger(ExtractionJobService.name);

  // Claims and completions from concurrent files share statements (see StatementBatcher).
  private readonly claims = new StatementBatcher<ClaimRequest, ExtractionJob | null>((requests) =>
    this.jobs.claim(requests, this.clock.now(), this.config.worker.leaseSeconds),
  );
  private readonly completions = new StatementBatcher<CompleteRequest, ExtractionJob | null>(
    (requests) => this.jobs.complete(requests, this.clock.now()),
  );

  constructor(
    private readonly jobs: ExtractionJobRepository,
    private readonly sweeps: ExtractionJobSweepsRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: MetricsService,
    // Fair scheduling (issue 13). Without a release service (unit harnesses) bulk files are
    // released at creation; without usage, no quota.
    @Optional() private readonly releases?: BulkReleaseService,
    @Optional() private readonly usage?: OwnerUsageRepository,
    @Optional() private readonly reuse?: ResultReuseRepository,
  ) {}

  // ------------------------------------------------------------ per-owner limits

  /**
   * Refuses (QUOTA_EXCEEDED) when the owner's active files plus `files` would pass
   * OWNER_MAX_ACTIVE_FILES. A check before the insert, not a lock: concurrent requests of one
   * owner may pass it together by at most their number (docs/decisions.md).
   */
  async assertQuota(ownerId: string, files: number): Promise<void> {
    if (!this.usage) return;
    const { ownerMaxActiveFiles: limit, quotaRetryAfterSeconds } = this.config.fairness;
    const active = await this.usage.activeFiles(ownerId, limit + 1);
    if (active + files > limit)
      throw new QuotaExceededError(ownerId, active, files, limit, quotaRetryAfterSeconds);
  }

  /** Refuses a bulk of more than BULK_MAX_FILES files. */
  assertBulkSize(files: number): void {
    const limit = this.config.fairness.bulkMaxFiles;
    if (files > limit) throw new BulkTooLargeError(files, limit);
  }

  // ------------------------------------------------------------ creation

  /**
   * Creates a pending job and enqueues it. Idempotent: the same (owner, idempotency key), or the
   * same (record, attachment) while a job for it is live, returns that job (`created: false`).
   * The unique indexes decide, so concurrent calls cannot create two rows.
   */
  async create(input: CreateJobInput): Promise<{ job: ExtractionJob; created: boolean }> {
    checkOptionsSize(input.options);
    const { enforceLimits, ...fields } = input;
    const newJob: NewJob = {
      ...fields,
      kind: 'single',
      maxRetries: input.maxRetries ?? this.config.retry.maxRetries,
      idempotencyFingerprint: input.idempotencyKey ? singleJobFingerprint(input) : null,
    };
    try {
      if (enforceLimits) await this.assertQuota(input.ownerId, 1);
    } catch (error) {
      // A repeat of a request that created its job answers that job, quota or not.
      const existing =
        input.idempotencyKey || input.attachmentId ? await this.jobs.findConflicting(newJob) : null;
      if (existing) return { job: existing, created: false };
      throw error;
    }
    for (let i = 0; i < MAX_CREATE_ATTEMPTS; i += 1) {
      const inserted = await this.jobs.insertIfAbsent(newJob, this.clock.now());
      if (inserted) {
        this.metrics?.jobsCreated.inc({ format: inserted.format ?? 'none', kind: 'single' });
        await this.dispatch([inserted]);
        return { job: inserted, created: true };
      }
      const existing = await this.jobs.findConflicting(newJob);
      if (existing) {
        checkSameRequest(existing, newJob);
        return { job: existing, created: false };
      }
      // The conflicting job settled between the two statements: insert again.
    }
    // Other creates of the same attachment kept winning and settling in between (a busy
    // attachment): answer with the newest of them, as if this request had come a moment earlier.
    const latest = await this.jobs.findConflicting(newJob, undefined, { anyStatus: true });
    if (latest) {
      checkSameRequest(latest, newJob);
      return { job: latest, created: false };
    }
    throw new InvalidJobInputError('Could not create the job: it kept conflicting with another');
  }

  /** A bulk parent and one child per file, in one transaction; children enqueued together after. */
  async createBulk(
    input: CreateBulkInput,
  ): Promise<{ parent: ExtractionJob; children: ExtractionJob[]; created: boolean }> {
    if (input.files.length === 0) throw new InvalidJobInputError('A bulk needs at least one file');
    if (input.enforceLimits) this.assertBulkSize(input.files.length);
    checkOptionsSize(input.options);
    for (const file of input.files) checkOptionsSize(file.options);
    const fingerprint = input.idempotencyKey ? bulkFingerprint(input) : null;
    const maxRetries = input.maxRetries ?? this.config.retry.maxRetries;
    const runnable = input.files.filter((f) => !f.initialError).length;
    try {
      if (input.enforceLimits) await this.assertQuota(input.ownerId, runnable);
    } catch (error) {
      const existing = input.idempotencyKey
        ? await this.jobs.findConflicting({
            kind: 'bulk',
            ownerId: input.ownerId,
            idempotencyKey: input.idempotencyKey,
            idempotencyFingerprint: fingerprint,
            format: null,
            maxRetries,
          })
        : null;
      if (!existing) throw error;
    }
    const now = this.clock.now();
    const result = await this.jobs.transaction(async (runner) => {
      const parent = await this.jobs.insertBulkParent(
        {
          id: input.id ?? randomUUID(),
          ownerId: input.ownerId,
          format: input.format ?? null,
          targetTableId: input.targetTableId,
          idempotencyKey: input.idempotencyKey,
          idempotencyFingerprint: fingerprint,
          options: input.options,
          maxRetries,
          total: input.files.length,
          failedAtCreation: input.files.filter((f) => f.initialError).length,
        },
        now,
        runner,
      );
      if (!parent) return null;
      const children = await this.jobs.insertChildren(
        parent.id,
        input.files.map((file) => ({
          ...file,
          kind: 'file' as const,
          ownerId: input.ownerId,
          targetTableId: input.targetTableId,
          maxRetries,
        })),
        now,
        runner,
      );
      return { parent, children };
    });
    if (!result) {
      const wanted = {
        kind: 'bulk' as const,
        ownerId: input.ownerId,
        idempotencyKey: input.idempotencyKey,
        idempotencyFingerprint: fingerprint,
        format: null,
        maxRetries,
      };
      const existing = await this.jobs.findConflicting(wanted);
      if (!existing) throw new InvalidJobInputError('Could not create the bulk');
      checkSameRequest(existing, wanted);
      const children = await this.listChildren(existing.id, { pageSize: 10_000 });
      return { parent: existing, children: children.items, created: false };
    }
    for (const child of result.children)
      this.metrics?.jobsCreated.inc({ format: child.format ?? 'none', kind: 'file' });
    await this.releaseBulkFiles(result.children.filter((c) => c.status === 'pending'));
    return { ...result, created: true };
  }

  // ------------------------------------------------------------ reads

  async get(id: string, ownerId?: string): Promise<ExtractionJob> {
    const job = await this.jobs.findById(id, ownerId);
    if (!job) throw new JobNotFoundError(id);
    return job;
  }

  /** The jobs of these ids that exist, without results, in one statement (progress streams). */
  async getManyWithoutResults(ids: string[]): Promise<ExtractionJob[]> {
    if (ids.length === 0) return [];
    return this.jobs.findManyWithoutResults(ids);
  }

  async getByFileUrl(fileUrl: string): Promise<ExtractionJob | null> {
    return this.jobs.findByFileUrl(fileUrl);
  }

  async getByAttachment(attachmentId: string, recordId?: string): Promise<ExtractionJob | null> {
    return this.jobs.findByAttachment(attachmentId, recordId);
  }

  /** Top-level jobs (singles and bulk parents unless `kinds` says otherwise), newest first. */
  async list(query: ListJobsQuery = {}): Promise<Page<ExtractionJob>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { items, total } = await this.jobs.list({ ...query, page, pageSize });
    return { items, total, page, pageSize };
  }

  /** Children of a bulk in upload order. */
  async listChildren(
    parentId: string,
    query: {
      ownerId?: string;
      status?: JobStatus;
      page?: number;
      pageSize?: number;
      withoutResults?: boolean;
    } = {},
  ): Promise<Page<ExtractionJob>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const { items, total } = await this.jobs.list({
      ...query,
      parentJobId: parentId,
      page,
      pageSize,
    });
    return { items, total, page, pageSize };
  }

  async stats(ownerId?: string): Promise<JobStats> {
    const { byStatus, retryableDue } = await this.jobs.countByStatus(this.clock.now(), ownerId);
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, byStatus[s] ?? 0])) as Record<
      JobStatus,
      number
    >;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { total, byStatus: counts, retryable: retryableDue };
  }

  /** Jobs processing for longer than the timeout (admin view). */
  async findStuck(timeoutMinutes: number, limit = 100): Promise<ExtractionJob[]> {
    const cutoff = new Date(this.clock.now().getTime() - timeoutMinutes * 60_000);
    return this.jobs.findProcessingStartedBefore(cutoff, limit);
  }

  // ------------------------------------------------------------ worker side

  /** pending → processing for exactly this attempt; null when it no longer applies (skip quietly). */
  async claim(ref: JobRef, workerId: string): Promise<ExtractionJob | null> {
    return this.claims.submit({ ref, workerId });
  }

  /** Renews the lease; false means the attempt is no longer ours (cancelled, re-claimed). */
  async heartbeat(ref: JobRef): Promise<boolean> {
    return this.jobs.touch(ref, this.clock.now(), this.config.worker.leaseSeconds);
  }

  async updateProgress(ref: JobRef, progress: number): Promise<boolean> {
    const clamped = Math.max(0, Math.min(100, Math.round(progress * 100) / 100));
    return this.jobs.touch(ref, this.clock.now(), this.config.worker.leaseSeconds, clamped);
  }

  /** processing → completed; answers the job with `result` as given (not read back). */
  async complete(
    ref: JobRef,
    result: Record<string, unknown> | null,
    resultPath: string | null = null,
  ): Promise<ExtractionJob> {
    const job = await this.completeWithJson(
      ref,
      result === null ? null : JSON.stringify(result),
      resultPath,
    );
    // Not read back from the row: the job answers the result as given.
    job.result = result;
    return job;
  }

  /**
   * `complete` with the result already as JSON text (a reused result: never parsed in the worker);
   * the job comes back without `result`.
   */
  async completeWithJson(
    ref: JobRef,
    resultJson: string | null,
    resultPath: string | null = null,
  ): Promise<ExtractionJob> {
    const job = await this.completions.submit({ ref, resultJson, resultPath });
    if (!job) throw await this.refusal(ref.id, 'complete', ref.attempt);
    if (usesWindow(job)) this.releases?.kick(); // a slot of its owner's window is free
    return job;
  }

  /**
   * processing → retrying (retryable with retries left, backoff) or failed. A partial result
   * (an extractor that answered `success: false`) is kept with the failure.
   */
  async fail(
    ref: JobRef,
    failure: FailureInput,
    opts: {
      onlyIfLeaseExpired?: boolean;
      partialResult?: Record<string, unknown>;
      /** Where a partial result too large for the row was stored. */
      partialResultPath?: string;
    } = {},
  ): Promise<ExtractionJob> {
    const policy = this.config.retry;
    const job = await this.jobs.fail(
      ref,
      failure,
      {
        baseSeconds: policy.baseSeconds,
        capSeconds: policy.capSeconds,
        factor: jitterFactor(policy),
      },
      this.clock.now(),
      opts.onlyIfLeaseExpired ?? false,
      opts.partialResult ?? null,
      opts.partialResultPath ?? null,
    );
    if (!job) throw await this.refusal(ref.id, 'fail', ref.attempt);
    if (usesWindow(job)) this.releases?.kick();
    return job;
  }

  /** Graceful shutdown: give an unfinished attempt back to `pending` and enqueue it at once. */
  async release(ref: JobRef): Promise<ExtractionJob | null> {
    const job = await this.jobs.returnToPending(ref.id, ref.attempt, 'release', this.clock.now());
    if (job) await this.dispatch([job]);
    return job;
  }

  // ------------------------------------------------------------ user side

  /** Any active job → cancelled; a bulk takes its active children with it. */
  async cancel(id: string, ownerId?: string): Promise<ExtractionJob> {
    const current = await this.get(id, ownerId);
    const now = this.clock.now();
    const job =
      current.kind === 'bulk'
        ? (await this.jobs.cancelBulk(id, now)).parent
        : await this.jobs.cancelOne(id, now);
    if (!job) throw await this.refusal(id, 'cancel');
    if (job.kind !== 'single') this.releases?.kick(); // window slots (or a whole bulk) freed
    return job;
  }

  /**
   * Manual retry of a failed job (single or one bulk file): back to pending. Refused when it is
   * not failed, or when its retries are spent unless `force`.
   */
  async retry(
    id: string,
    opts: { ownerId?: string; force?: boolean } = {},
  ): Promise<ExtractionJob> {
    const current = await this.get(id, opts.ownerId);
    if (current.kind === 'bulk')
      throw new InvalidTransitionError(
        id,
        'retry',
        current.status,
        'Use bulk retry for a bulk job',
      );
    if (current.status !== 'failed') throw new JobNotFailedError(id, current.status);
    const force = opts.force ?? false;
    if (!force && current.retryCount >= current.maxRetries) {
      throw new RetriesExhaustedError(id, current.retryCount, current.maxRetries);
    }
    const now = this.clock.now();
    if (current.kind === 'file' && current.parentJobId) {
      const { retried } = await this.jobs.retryChildren(current.parentJobId, [id], force, now);
      if (retried.length === 0) throw await this.refusal(id, 'retry');
      this.metrics?.retries.inc({ trigger: 'manual' });
      await this.releaseBulkFiles(retried);
      return this.get(id);
    }
    const job = await this.jobs.retrySingle(id, force, now);
    if (!job) throw await this.refusal(id, 'retry');
    this.metrics?.retries.inc({ trigger: 'manual' });
    await this.dispatch([job]);
    return job;
  }

  /** Retries every failed file of a bulk (same job ids, completed files untouched). */
  async retryBulk(
    id: string,
    opts: { ownerId?: string } = {},
  ): Promise<{ parent: ExtractionJob; retried: JobRef[] }> {
    const current = await this.get(id, opts.ownerId);
    if (current.kind !== 'bulk')
      throw new InvalidTransitionError(id, 'retry', current.status, `Job ${id} is not a bulk job`);
    if (current.status === 'cancelled')
      throw new InvalidTransitionError(id, 'retry', current.status);
    const { parent, retried } = await this.jobs.retryChildren(id, null, true, this.clock.now());
    if (!parent) throw new JobNotFoundError(id);
    if (retried.length === 0) throw new NoFailedJobsError(id);
    this.metrics?.retries.inc({ trigger: 'bulk' }, retried.length);
    await this.releaseBulkFiles(retried);
    return { parent, retried };
  }

  /** Admin: a stuck job goes back to pending now, under a new attempt; a zombie cannot finish it. */
  async recover(id: string): Promise<ExtractionJob> {
    const job = await this.jobs.returnToPending(id, null, 'recover', this.clock.now());
    if (!job) throw await this.refusal(id, 'recover');
    await this.dispatch([job]);
    return job;
  }

  /** Deletes a settled job (a bulk with its files); returns the storage keys to remove. */
  async delete(id: string, ownerId?: string): Promise<{ files: string[] }> {
    const current = await this.get(id, ownerId);
    if (current.kind === 'file') {
      throw new InvalidTransitionError(
        id,
        'delete',
        current.status,
        'A file of a bulk is deleted with its bulk',
      );
    }
    const { deleted, files } = await this.jobs.deleteSettled(id);
    if (!deleted) throw await this.refusal(id, 'delete');
    return { files: await this.unreferencedObjects(files) };
  }

  // ------------------------------------------------------------ sweep primitives

  /** Due retries → pending → enqueued. Safe on several instances (SKIP LOCKED). */
  async requeueDueRetries(limit: number): Promise<JobRef[]> {
    const refs = await this.sweeps.requeueDueRetries(this.clock.now(), limit);
    if (refs.length > 0) this.metrics?.retries.inc({ trigger: 'sweep' }, refs.length);
    await this.dispatchRefs(refs);
    return refs;
  }

  /** Expired leases → retryable failure WORKER_LOST (guarded by attempt and lease). */
  async recoverExpiredLeases(limit: number): Promise<ExtractionJob[]> {
    const refs = await this.sweeps.findExpiredLeases(this.clock.now(), limit);
    const recovered: ExtractionJob[] = [];
    for (const ref of refs) {
      const job = await this.jobs.fail(
        ref,
        {
          code: 'WORKER_LOST',
          message: 'The worker processing this job stopped answering (lease expired)',
          retryable: true,
        },
        { ...this.backoffNow() },
        this.clock.now(),
        true,
      );
      if (job) recovered.push(job);
    }
    if (recovered.length > 0) this.metrics?.stuckRecovered.inc(recovered.length);
    return recovered;
  }

  /**
   * Pending jobs untouched for a while. `isQueued` tells whether the queue still holds their
   * message; those without one are enqueued again.
   */
  async reconcileStalePending(
    olderThanSeconds: number,
    limit: number,
    isQueued: (ref: JobRef) => Promise<boolean>,
    asOf: Date = this.clock.now(),
  ): Promise<JobRef[]> {
    return (await this.reconcileBatch(olderThanSeconds, limit, isQueued, asOf)).lost;
  }

  /**
   * One reconcile batch: pending jobs not updated for `olderThanSeconds` before `asOf` are checked
   * (and touched to `asOf`, so repeating with the same `asOf` moves on to the next ones); those
   * without a queue message are enqueued. `checked` tells the caller whether the batch was full.
   */
  async reconcileBatch(
    olderThanSeconds: number,
    limit: number,
    isQueued: (ref: JobRef) => Promise<boolean>,
    asOf: Date = this.clock.now(),
  ): Promise<{ checked: number; lost: JobRef[] }> {
    const stale = await this.sweeps.takeStalePending(asOf, olderThanSeconds, limit);
    const lost: JobRef[] = [];
    for (const ref of stale) if (!(await isQueued(ref))) lost.push(ref);
    await this.dispatchRefs(lost);
    return { checked: stale.length, lost };
  }

  /**
   * Completed and cancelled jobs settled strictly before now − retention. Dry run only counts.
   * Returns the storage keys of what was deleted, for the caller to remove.
   */
  async cleanup(opts: {
    olderThanDays: number;
    dryRun?: boolean;
    limit?: number;
  }): Promise<{ count: number; files: string[] }> {
    const cutoff = new Date(this.clock.now().getTime() - opts.olderThanDays * 86_400_000);
    if (opts.dryRun) return { count: await this.sweeps.countCleanable(cutoff), files: [] };
    const { deleted, files } = await this.sweeps.deleteCleanable(cutoff, opts.limit ?? 1000);
    return { count: deleted, files: await this.unreferencedObjects(files) };
  }

  /**
   * Runs matching completed jobs again as new attempts (after an extractor fix): they go back to
   * `pending` with their previous result kept until the new attempt completes (or fails: then the
   * job stays completed with it). They reach the queue through the fair path, like bulk files:
   * each owner's reprocess window, in the background lane behind interactive and bulk work. At
   * most `limit` per call; call again for more.
   */
  async reprocess(
    filters: ReprocessFilters,
    limit = 10_000,
  ): Promise<{ dryRun: boolean; matched: number; requeued: number }> {
    if (!this.reuse) throw new Error('Reprocessing needs the result reuse repository');
    const { matched, requeued } = await this.reuse.reprocess(filters, this.clock.now(), limit);
    if (requeued.length > 0) {
      if (this.releases) await this.releases.release();
      else await this.dispatchRefs(requeued.map((r) => ({ ...r, lane: 'background' as const })));
    }
    this.metrics?.jobsReprocessed.inc(requeued.length);
    return { dryRun: filters.dryRun === true, matched, requeued: requeued.length };
  }

  /**
   * Of the objects some jobs stopped naming (deleted jobs, a result replaced), those no job names
   * any more, for the caller to remove: jobs share objects (a reused result, a content-addressed
   * upload), and an object goes only with the last job that references it. Call it after the
   * statement that dropped the references has committed (docs/storage.md, "Shared objects").
   */
  async unreferencedObjects(files: string[]): Promise<string[]> {
    const unique = [...new Set(files)];
    if (!this.reuse || unique.length === 0) return unique;
    const kept = await this.reuse.stillReferenced(unique);
    return unique.filter((url) => !kept.has(url));
  }

  // ------------------------------------------------------------ helpers

  private backoffNow() {
    const policy = this.config.retry;
    return {
      baseSeconds: policy.baseSeconds,
      capSeconds: policy.capSeconds,
      factor: jitterFactor(policy),
    };
  }

  /**
   * Bulk files made pending (created, retried) wait for the release step, which hands them to the
   * queue within their owner's window; without one (unit harnesses) they are enqueued at once.
   */
  private async releaseBulkFiles(files: JobRef[]): Promise<void> {
    if (files.length === 0) return;
    if (this.releases) await this.releases.release();
    else await this.dispatchRefs(files.map((f) => ({ id: f.id, attempt: f.attempt })));
  }

  private async dispatch(jobs: ExtractionJob[]): Promise<void> {
    // A bulk file handed back (shutdown, admin recovery) keeps the bulk lane, a reprocess attempt
    // the background lane.
    await this.dispatchRefs(
      jobs.map((j) => ({
        id: j.id,
        attempt: j.attempt,
        ...(j.kind === 'file' ? { lane: 'bulk' as const } : {}),
        ...(j.reprocessStatus === 'pending' ? { lane: 'background' as const } : {}),
      })),
    );
  }

  private async dispatchRefs(refs: JobRef[]): Promise<void> {
    if (refs.length === 0) return;
    try {
      await this.queue.dispatch(refs);
    } catch (error) {
      // Never lose a created job to a queue outage: it stays pending for the reconciler.
      this.logger.warn(
        `Enqueue of ${refs.length} job(s) failed; the reconciler will retry: ${String(error)}`,
      );
    }
  }

  /** Explains why a conditional transition did not apply. */
  private async refusal(id: string, action: JobAction, attempt?: number): Promise<Error> {
    const job = await this.jobs.findById(id);
    if (!job) return new JobNotFoundError(id);
    if (action === 'cancel' && job.reprocessStatus === 'pending')
      return new InvalidTransitionError(
        id,
        action,
        'completed',
        `Job ${id} is completed; its reprocess runs in the background`,
      );
    if (attempt !== undefined && job.attempt !== attempt) {
      return new InvalidTransitionError(
        id,
        action,
        job.status,
        `Attempt ${attempt} of job ${id} is stale (current attempt ${job.attempt})`,
      );
    }
    if (action === 'retry' && job.status === 'failed')
      return new RetriesExhaustedError(id, job.retryCount, job.maxRetries);
    return new InvalidTransitionError(id, action, job.status);
  }
}
