/**
 * Named queries on `extraction_jobs` for creation, reads and transitions. Every lifecycle step is
 * one conditional statement (`UPDATE … WHERE id AND status = ANY(allowed) [AND attempt] RETURNING
 * *`); zero rows means the transition did not apply, and the service turns that into a domain
 * error. A child's settling transition updates its bulk parent's counters in the same statement,
 * so they are always exact.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { ExtractionJob } from '../entities/extraction-job.entity';
import {
  BackoffParams,
  ClaimRequest,
  CompleteRequest,
  FailureInput,
  JobRef,
  ListQuery,
  NewJob,
} from '../jobs/job.types';
import { ExtractionFormat, JobStatus } from '../entities/job-enums';
import { JobDatabase } from './job-database';
import {
  ALL_COLUMNS,
  allowed,
  KIND,
  progressSql,
  retriesLeftSql,
  retryDelaySecondsSql,
  S,
  settleParentCte,
  to,
} from './job-sql';
import { ACTIVE_STATUSES } from '../entities/job-enums';
import { bulkProgress, finalBulkStatus } from '../jobs/bulk-progress';
import { INITIAL_STATUS } from '../jobs/job-state-machine';
import { outboxCte } from '../../events/event-sql';
import { NOT_REPROCESSING, REPROCESSING } from './fair-sql';

/**
 * The file_url a new job of owner `owner` with content `sha` takes: the object of the owner's
 * earliest job with those bytes, else `own`. Taking a reference to a shared object happens only
 * here, in the insert, with the referenced row locked (FOR KEY SHARE) until the insert commits:
 * a concurrent deletion of that row waits, and its "still referenced?" check (after its commit)
 * sees the new job; a row deleted first is skipped. So an object is never removed while a job
 * that names it is being created (docs/storage.md, "Shared objects").
 */
const SHARED_FILE_URL_SQL = (share: string, owner: string, sha: string, own: string) =>
  `CASE WHEN ${share} AND ${sha} IS NOT NULL AND ${own} IS NOT NULL THEN COALESCE((
     SELECT s.file_url FROM extraction_jobs s
     WHERE s.owner_id = ${owner} AND s.content_sha256 = ${sha} AND s.file_url IS NOT NULL
     ORDER BY s.created_at LIMIT 1 FOR KEY SHARE), ${own}) ELSE ${own} END`;

@Injectable()
export class ExtractionJobRepository {
  constructor(private readonly db: JobDatabase) {}

  async transaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Inserts unless a unique index (idempotency key, live attachment) already holds a job. */
  async insertIfAbsent(
    job: NewJob,
    now: Date,
    runner?: QueryRunner,
  ): Promise<ExtractionJob | null> {
    return this.db.job(
      `INSERT INTO extraction_jobs AS j (id, kind, owner_id, format, filename, file_url, file_size,
         content_sha256, record_id, field_id, attachment_id, target_table_id, idempotency_key,
         options, max_retries, created_at, updated_at, idempotency_fingerprint)
       VALUES ($1, $2, $3, $4, $5, ${SHARED_FILE_URL_SQL('$18::boolean', '$3', '$8::text', '$6::text')},
         $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)
       ON CONFLICT DO NOTHING
       RETURNING ${ALL_COLUMNS}`,
      [
        job.id ?? randomUUID(),
        job.kind ?? 'single',
        job.ownerId,
        job.format,
        job.filename ?? null,
        job.fileUrl ?? null,
        job.fileSize ?? null,
        job.contentSha256 ?? null,
        job.recordId ?? null,
        job.fieldId ?? null,
        job.attachmentId ?? null,
        job.targetTableId ?? null,
        job.idempotencyKey ?? null,
        JSON.stringify(job.options ?? {}),
        job.maxRetries,
        now,
        job.idempotencyFingerprint ?? null,
        job.shareStoredContent ?? false,
      ],
      runner,
    );
  }

  /**
   * The job that blocked an insert: same (owner, route kind, idempotency key) first, else the
   * live job of the same (record, attachment). With `anyStatus`, the newest job of that
   * attachment whatever its state (the live one that blocked may have settled since).
   */
  async findConflicting(
    job: Omit<NewJob, 'kind'> & { kind?: 'single' | 'file' | 'bulk' },
    runner?: QueryRunner,
    opts: { anyStatus?: boolean } = {},
  ): Promise<ExtractionJob | null> {
    return this.db.job(
      `SELECT ${ALL_COLUMNS} FROM extraction_jobs j
       WHERE ($2::text IS NOT NULL AND j.owner_id = $1 AND j.kind = $6 AND j.idempotency_key = $2)
          OR ($4::text IS NOT NULL AND j.record_id IS NOT DISTINCT FROM $3 AND j.attachment_id = $4
              AND ($7::boolean OR j.status = ANY($5)))
       ORDER BY (j.idempotency_key IS NOT DISTINCT FROM $2) DESC, j.created_at DESC LIMIT 1`,
      [
        job.ownerId,
        job.idempotencyKey ?? null,
        job.recordId ?? null,
        job.attachmentId ?? null,
        ACTIVE_STATUSES,
        job.kind ?? 'single',
        opts.anyStatus ?? false,
      ],
      runner,
    );
  }

  async insertBulkParent(
    parent: {
      id?: string;
      ownerId: string;
      format: ExtractionFormat | null;
      targetTableId?: string | null;
      idempotencyKey?: string | null;
      idempotencyFingerprint?: string | null;
      options?: Record<string, unknown>;
      maxRetries: number;
      total: number;
      failedAtCreation: number;
    },
    now: Date,
    runner: QueryRunner,
  ): Promise<ExtractionJob | null> {
    const settledAll = parent.failedAtCreation >= parent.total;
    const counters = {
      total: parent.total,
      processed: parent.failedAtCreation,
      failed: parent.failedAtCreation,
      cancelled: 0,
    };
    return this.db.job(
      `INSERT INTO extraction_jobs AS j (id, kind, owner_id, format, target_table_id, idempotency_key,
         options, max_retries, total_items, processed_items, failed_items, progress, status,
         completed_at, created_at, updated_at, idempotency_fingerprint)
       VALUES ($1, ${KIND.bulk}, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $13, $14)
       ON CONFLICT DO NOTHING
       RETURNING ${ALL_COLUMNS}`,
      [
        parent.id ?? randomUUID(),
        parent.ownerId,
        parent.format,
        parent.targetTableId ?? null,
        parent.idempotencyKey ?? null,
        JSON.stringify(parent.options ?? {}),
        parent.maxRetries,
        parent.total,
        parent.failedAtCreation,
        bulkProgress({ total: parent.total, processed: parent.failedAtCreation }),
        settledAll ? finalBulkStatus(counters) : INITIAL_STATUS,
        settledAll ? now : null,
        now,
        parent.idempotencyFingerprint ?? null,
      ],
      runner,
    );
  }

  /** All children of a bulk in one statement (arrays unnested), in the given order. */
  async insertChildren(
    parentId: string,
    children: NewJob[],
    now: Date,
    runner: QueryRunner,
  ): Promise<ExtractionJob[]> {
    const col = <T>(pick: (c: NewJob, i: number) => T) => children.map(pick);
    return this.db.jobs(
      `INSERT INTO extraction_jobs AS j (id, kind, parent_job_id, owner_id, format, filename, file_url,
         file_size, content_sha256, target_table_id, options, max_retries, status, error_code,
         error_message, completed_at, created_at, updated_at)
       SELECT c.id, ${KIND.file}, $1, c.owner_id, c.format::extraction_format, c.filename,
         ${SHARED_FILE_URL_SQL('c.share', 'c.owner_id', 'c.content_sha256', 'c.file_url')},
         c.file_size, c.content_sha256, c.target_table_id, c.options::jsonb, c.max_retries,
         CASE WHEN c.error_code IS NULL THEN ${S.pending} ELSE ${S.failed} END::extraction_job_status,
         c.error_code, c.error_message,
         CASE WHEN c.error_code IS NULL THEN NULL ELSE $2::timestamptz END,
         $2::timestamptz + c.ord * interval '1 microsecond', $2
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
                   $10::text[], $11::text[], $12::int[], $13::text[], $14::text[], $15::boolean[])
            WITH ORDINALITY AS c(id, owner_id, format, filename, file_url, file_size, content_sha256,
                   target_table_id, options, max_retries, error_code, error_message, share, ord)
       ORDER BY c.ord
       RETURNING ${ALL_COLUMNS}`,
      [
        parentId,
        now,
        col((c) => c.id ?? randomUUID()),
        col((c) => c.ownerId),
        col((c) => c.format),
        col((c) => c.filename ?? null),
        col((c) => c.fileUrl ?? null),
        col((c) => c.fileSize ?? null),
        col((c) => c.contentSha256 ?? null),
        col((c) => c.targetTableId ?? null),
        col((c) => JSON.stringify(c.options ?? {})),
        col((c) => c.maxRetries),
        col((c) => c.initialError?.code ?? null),
        col((c) => c.initialError?.message ?? null),
        col((c) => c.shareStoredContent ?? false),
      ],
      runner,
    );
  }

  // ---------------------------------------------------------------- reads

  /** Several jobs by id in one statement, without their results (progress polls). */
  async findManyWithoutResults(ids: string[]): Promise<ExtractionJob[]> {
    return this.db.jobs(
      `SELECT ${this.db.columnsButResult} FROM extraction_jobs j WHERE j.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async findById(id: string, ownerId?: string): Promise<ExtractionJob | null> {
    return this.db.job(
      `SELECT ${ALL_COLUMNS} FROM extraction_jobs j WHERE j.id = $1 AND ($2::text IS NULL OR j.owner_id = $2)`,
      [id, ownerId ?? null],
    );
  }

  async findByFileUrl(fileUrl: string): Promise<ExtractionJob | null> {
    return this.db.job(
      `SELECT ${ALL_COLUMNS} FROM extraction_jobs j WHERE j.file_url = $1 ORDER BY j.created_at DESC LIMIT 1`,
      [fileUrl],
    );
  }

  /** The live job for an attachment if there is one, else the latest. */
  async findByAttachment(attachmentId: string, recordId?: string): Promise<ExtractionJob | null> {
    return this.db.job(
      `SELECT ${ALL_COLUMNS} FROM extraction_jobs j
       WHERE j.attachment_id = $1 AND ($2::text IS NULL OR j.record_id = $2)
       ORDER BY (j.status = ANY($3)) DESC, j.created_at DESC, j.id DESC LIMIT 1`,
      [attachmentId, recordId ?? null, ACTIVE_STATUSES],
    );
  }

  async list(query: ListQuery): Promise<{ items: ExtractionJob[]; total: number }> {
    // The status filter reads the status the owner sees: a job whose reprocess waits or runs is
    // still `completed` for its owner (ownerView), not `pending`/`processing`.
    const where = `($1::text IS NULL OR j.owner_id = $1) AND ($2::extraction_job_status IS NULL
        OR (j.status = $2 AND (j.reprocess_status IS DISTINCT FROM 'pending' OR j.reprocess_previous IS NULL))
        OR ($2 = ${S.completed} AND j.reprocess_status = 'pending' AND j.reprocess_previous IS NOT NULL))
      AND ($3::extraction_format IS NULL OR j.format = $3)
      AND (CASE WHEN $4::uuid IS NULL THEN j.parent_job_id IS NULL ELSE j.parent_job_id = $4 END)
      AND ($5::extraction_job_kind[] IS NULL OR j.kind = ANY($5))`;
    const params = [
      query.ownerId ?? null,
      query.status ?? null,
      query.format ?? null,
      query.parentJobId ?? null,
      query.kinds ?? null,
    ];
    const order = query.parentJobId ? 'j.created_at ASC, j.id ASC' : 'j.created_at DESC, j.id DESC';
    const [countRows, items] = await Promise.all([
      this.db.run(`SELECT count(*)::int AS total FROM extraction_jobs j WHERE ${where}`, params),
      this.db.jobs(
        `SELECT ${query.withoutResults ? this.db.columnsButResult : ALL_COLUMNS} FROM extraction_jobs j WHERE ${where} ORDER BY ${order} LIMIT $6 OFFSET $7`,
        [...params, query.pageSize, (query.page - 1) * query.pageSize],
      ),
    ]);
    return { items, total: Number(countRows[0].total) };
  }

  async countByStatus(
    now: Date,
    ownerId?: string,
  ): Promise<{ byStatus: Partial<Record<JobStatus, number>>; retryableDue: number }> {
    const rows = await this.db.run(
      `SELECT j.status::text AS status, count(*)::int AS n,
              count(*) FILTER (WHERE j.status = ${S.retrying} AND j.next_retry_at <= $2)::int AS due
       FROM extraction_jobs j WHERE j.kind <> ${KIND.bulk} AND ($1::text IS NULL OR j.owner_id = $1)
       GROUP BY j.status`,
      [ownerId ?? null, now],
    );
    const byStatus: Partial<Record<JobStatus, number>> = {};
    let retryableDue = 0;
    for (const row of rows) {
      byStatus[row.status as JobStatus] = Number(row.n);
      retryableDue += Number(row.due);
    }
    return { byStatus, retryableDue };
  }

  async findProcessingStartedBefore(cutoff: Date, limit: number): Promise<ExtractionJob[]> {
    return this.db.jobs(
      `SELECT ${ALL_COLUMNS} FROM extraction_jobs j WHERE j.status = ${S.processing} AND j.started_at < $1
       ORDER BY j.started_at LIMIT $2`,
      [cutoff, limit],
    );
  }

  // ---------------------------------------------------------------- worker transitions

  /**
   * pending → processing for the attempts the messages name (one statement for a batch); also
   * opens their bulk parents. Answers, per request in order, the claimed job or null.
   */
  async claim(
    requests: ClaimRequest[],
    now: Date,
    leaseSeconds: number,
  ): Promise<Array<ExtractionJob | null>> {
    return byDistinctIds(requests, (distinct) => this.claimDistinct(distinct, now, leaseSeconds));
  }

  private async claimDistinct(
    requests: ClaimRequest[],
    now: Date,
    leaseSeconds: number,
  ): Promise<Array<ExtractionJob | null>> {
    const jobs = await this.db.jobs(
      `WITH claimed AS (
         UPDATE extraction_jobs j SET status = ${to('claim')}, attempt = j.attempt + 1,
           worker_id = ($3::text[])[array_position($1::uuid[], j.id)],
           started_at = $4::timestamptz, heartbeat_at = $4::timestamptz, lease_expires_at = $4::timestamptz + $5::float8 * interval '1 second',
           progress = 0, completed_at = NULL, error_code = NULL, error_message = NULL,
           error_stack = NULL, updated_at = $4::timestamptz
         WHERE j.id = ANY($1::uuid[]) AND j.attempt = ($2::int[])[array_position($1::uuid[], j.id)]
           AND j.status = ANY($6) AND j.kind <> ${KIND.bulk}
         RETURNING ${ALL_COLUMNS}
       ), opened AS (
         UPDATE extraction_jobs p SET status = ${S.processing}, started_at = COALESCE(p.started_at, $4::timestamptz), updated_at = $4::timestamptz
         -- status as text: a condition no index serves, so the plan stays a lookup by id
         WHERE p.id = ANY(ARRAY(SELECT parent_job_id FROM claimed)) AND p.status::text = ${S.pending}
         RETURNING p.id
       )
       SELECT * FROM claimed`,
      [
        requests.map((r) => r.ref.id),
        requests.map((r) => r.ref.attempt),
        requests.map((r) => r.workerId),
        now,
        leaseSeconds,
        allowed('claim'),
      ],
    );
    // A claimed row carries the next attempt number.
    return matchInOrder(
      requests,
      jobs,
      (r, job) => job.id === r.ref.id && job.attempt === r.ref.attempt + 1,
    );
  }

  /** Renews the lease (and records progress when given) for the claimed attempt only. */
  async touch(ref: JobRef, now: Date, leaseSeconds: number, progress?: number): Promise<boolean> {
    const rows = await this.db.run(
      `UPDATE extraction_jobs j SET heartbeat_at = $3::timestamptz, lease_expires_at = $3::timestamptz + $4::float8 * interval '1 second',
         progress = COALESCE($5, j.progress), updated_at = $3::timestamptz
       WHERE j.id = $1 AND j.attempt = $2 AND j.status = ANY($6)
       RETURNING j.id`,
      [ref.id, ref.attempt, now, leaseSeconds, progress ?? null, allowed('heartbeat')],
    );
    return rows.length === 1;
  }

  /**
   * processing → completed for the claimed attempts (one statement for a batch). The jobs come
   * back without `result` (the caller has it; results may be large).
   */
  async complete(requests: CompleteRequest[], now: Date): Promise<Array<ExtractionJob | null>> {
    return byDistinctIds(requests, (distinct) => this.completeDistinct(distinct, now));
  }

  private async completeDistinct(
    requests: CompleteRequest[],
    now: Date,
  ): Promise<Array<ExtractionJob | null>> {
    const jobs = await this.db.jobs(
      `WITH child AS (
         UPDATE extraction_jobs j SET status = ${to('complete')}, progress = 100,
           result = ($3::text[])[array_position($1::uuid[], j.id)]::jsonb,
           result_path = ($4::text[])[array_position($1::uuid[], j.id)],
           reprocess_status = CASE WHEN ${REPROCESSING('j')} THEN 'completed' ELSE j.reprocess_status END,
           completed_at = $5::timestamptz, duration_ms = GREATEST(0, (extract(epoch FROM ($5::timestamptz - j.started_at)) * 1000))::int,
           lease_expires_at = NULL, next_retry_at = NULL, updated_at = $5::timestamptz
         WHERE j.id = ANY($1::uuid[]) AND j.attempt = ($2::int[])[array_position($1::uuid[], j.id)]
           AND j.status = ANY($6)
         RETURNING ${this.db.columnsButResult}
       ), ${settleParentCte(5)},
       ${outboxCte(5, [{ from: 'child', type: `'job.completed'` }], 'parent')}
       SELECT * FROM child`,
      [
        requests.map((r) => r.ref.id),
        requests.map((r) => r.ref.attempt),
        requests.map((r) => r.resultJson),
        requests.map((r) => r.resultPath),
        now,
        allowed('complete'),
      ],
    );
    return matchInOrder(
      requests,
      jobs,
      (r, job) => job.id === r.ref.id && job.attempt === r.ref.attempt,
    );
  }

  /**
   * processing → retrying (retryable, retries left; next_retry_at by backoff) or failed.
   * With `onlyIfLeaseExpired` it applies only when the lease really ran out (stuck recovery).
   * A reprocess attempt that fails for good goes back to `completed` with its previous result and
   * what came with it (`reprocess_previous`), the failure recorded as the reprocess's
   * (`reprocess_status` failed, `reprocess_error_*`) and no event: for its owner nothing changed.
   */
  async fail(
    ref: JobRef,
    failure: FailureInput,
    backoff: BackoffParams,
    now: Date,
    onlyIfLeaseExpired = false,
    partialResult: Record<string, unknown> | null = null,
    partialResultPath: string | null = null,
  ): Promise<ExtractionJob | null> {
    const retriesLeft = retriesLeftSql('$3', 'j.retry_count', 'j.max_retries');
    // A reprocess attempt failing for good: the previous result stays (see above).
    const restore = `(NOT ${retriesLeft} AND ${REPROCESSING('j')})`;
    const previous = (field: string) => `(j.reprocess_previous->>'${field}')`;
    return this.db.job(
      `WITH child AS (
         UPDATE extraction_jobs j SET
           status = CASE WHEN ${retriesLeft} THEN ${S.retrying} WHEN ${restore} THEN ${S.completed}
             ELSE ${S.failed} END::extraction_job_status,
           next_retry_at = CASE WHEN ${retriesLeft}
             THEN $4::timestamptz + ${retryDelaySecondsSql('j.retry_count', '$5::float8', '$6::float8', '$7::float8')} * interval '1 second' ELSE NULL END,
           retry_count = CASE WHEN ${retriesLeft} THEN j.retry_count + 1
             WHEN ${restore} THEN ${previous('retry_count')}::int ELSE j.retry_count END,
           completed_at = CASE WHEN ${retriesLeft} THEN NULL
             WHEN ${restore} THEN ${previous('completed_at')}::timestamptz ELSE $4::timestamptz END,
           duration_ms = CASE WHEN ${restore} THEN ${previous('duration_ms')}::int
             ELSE GREATEST(0, (extract(epoch FROM ($4::timestamptz - j.started_at)) * 1000))::int END,
           started_at = CASE WHEN ${restore} THEN ${previous('started_at')}::timestamptz ELSE j.started_at END,
           extractor_version = CASE WHEN ${restore} THEN ${previous('extractor_version')}::int ELSE j.extractor_version END,
           options_digest = CASE WHEN ${restore} THEN ${previous('options_digest')} ELSE j.options_digest END,
           reused_from = CASE WHEN ${restore} THEN ${previous('reused_from')}::uuid ELSE j.reused_from END,
           progress = CASE WHEN ${restore} THEN 100 ELSE j.progress END,
           reprocess_status = CASE WHEN ${restore} THEN 'failed' ELSE j.reprocess_status END,
           reprocess_error_code = CASE WHEN ${restore} THEN $8 ELSE j.reprocess_error_code END,
           reprocess_error_message = CASE WHEN ${restore} THEN $9 ELSE j.reprocess_error_message END,
           error_code = CASE WHEN ${restore} THEN NULL ELSE $8 END,
           error_message = CASE WHEN ${restore} THEN NULL ELSE $9 END,
           error_stack = CASE WHEN ${restore} THEN NULL ELSE $10 END,
           result = CASE WHEN ${restore} THEN j.result ELSE COALESCE($13::jsonb, j.result) END,
           result_path = CASE WHEN ${restore} THEN ${previous('result_path')}
             ELSE COALESCE($14::text, j.result_path) END,
           lease_expires_at = NULL, updated_at = $4::timestamptz
         WHERE j.id = $1 AND j.attempt = $2 AND j.status = ANY($11)
           AND (NOT $12 OR j.lease_expires_at < $4::timestamptz)
         RETURNING ${ALL_COLUMNS}
       ), ${settleParentCte(4)},
       ${outboxCte(4, [{ from: 'child', type: `CASE WHEN c.status = ${S.retrying} THEN 'job.retrying' ELSE 'job.failed' END`, retryable: '$3::boolean', where: `c.status <> ${S.completed}` }], 'parent')}
       SELECT * FROM child`,
      [
        ref.id,
        ref.attempt,
        failure.retryable,
        now,
        backoff.baseSeconds,
        backoff.capSeconds,
        backoff.factor,
        failure.code,
        failure.message,
        failure.stack ?? null,
        allowed('fail'),
        onlyIfLeaseExpired,
        partialResult === null ? null : JSON.stringify(partialResult),
        partialResultPath,
      ],
    );
  }

  /** Hands a running job back to `pending` (graceful shutdown; admin recovery without attempt). */
  async returnToPending(
    id: string,
    attempt: number | null,
    action: 'release' | 'recover',
    now: Date,
  ): Promise<ExtractionJob | null> {
    return this.db.job(
      `UPDATE extraction_jobs j SET status = ${to(action)}, lease_expires_at = NULL, worker_id = NULL,
         next_retry_at = NULL, progress = 0, updated_at = $3::timestamptz
       WHERE j.id = $1 AND ($2::int IS NULL OR j.attempt = $2) AND j.status = ANY($4) AND j.kind <> ${KIND.bulk}
       RETURNING ${ALL_COLUMNS}`,
      [id, attempt, now, allowed(action)],
    );
  }

  // ---------------------------------------------------------------- user transitions

  async cancelOne(id: string, now: Date): Promise<ExtractionJob | null> {
    return this.db.job(
      `WITH child AS (
         UPDATE extraction_jobs j SET status = ${to('cancel')}, completed_at = $2::timestamptz, lease_expires_at = NULL,
           next_retry_at = NULL, updated_at = $2::timestamptz
         WHERE j.id = $1 AND j.status = ANY($3) AND j.kind <> ${KIND.bulk}
           AND ${NOT_REPROCESSING('j')} -- completed for its owner: nothing to cancel
         RETURNING ${ALL_COLUMNS}
       ), ${settleParentCte(2)},
       ${outboxCte(2, [{ from: 'child', type: `'job.cancelled'` }], 'parent')}
       SELECT * FROM child`,
      [id, now, allowed('cancel')],
    );
  }

  /** Cancels a bulk parent and its active children; the counters take the cancelled children. */
  async cancelBulk(
    id: string,
    now: Date,
  ): Promise<{ parent: ExtractionJob | null; cancelled: string[] }> {
    const rows = await this.db.run(
      `WITH kids AS (
         UPDATE extraction_jobs c SET status = ${to('cancel')}, completed_at = $2::timestamptz, lease_expires_at = NULL,
           next_retry_at = NULL, updated_at = $2::timestamptz
         WHERE c.parent_job_id = $1 AND c.status = ANY($3)
           AND EXISTS (SELECT 1 FROM extraction_jobs p WHERE p.id = $1 AND p.status = ANY($3))
         RETURNING c.*
       ), n AS (SELECT count(*)::int AS k FROM kids), bulk AS (
         UPDATE extraction_jobs j SET status = ${to('cancel')}, completed_at = $2::timestamptz, updated_at = $2::timestamptz,
           processed_items = j.processed_items + n.k, cancelled_items = j.cancelled_items + n.k,
           progress = ${progressSql('j.processed_items + n.k', 'j.total_items')}
         FROM n
         WHERE j.id = $1 AND j.kind = ${KIND.bulk} AND j.status = ANY($3)
         RETURNING ${ALL_COLUMNS}
       ), ${outboxCte(2, [
         { from: 'kids', type: `'job.cancelled'` },
         { from: 'bulk', type: `'job.cancelled'` },
       ])}
       SELECT bulk.*, (SELECT coalesce(array_agg(id), '{}') FROM kids) AS cancelled_ids FROM bulk`,
      [id, now, allowed('cancel')],
    );
    const row = rows[0];
    return {
      parent: row ? this.db.toJob(row) : null,
      cancelled: row ? (row.cancelled_ids as string[]) : [],
    };
  }

  /** failed → pending for one single job (manual retry). */
  async retrySingle(id: string, force: boolean, now: Date): Promise<ExtractionJob | null> {
    return this.db.job(
      `UPDATE extraction_jobs j SET status = ${to('retry')}, retry_count = j.retry_count + 1, last_retry_at = $2::timestamptz,
         next_retry_at = NULL, error_code = NULL, error_message = NULL, error_stack = NULL,
         result = NULL, result_path = NULL, progress = 0, completed_at = NULL, updated_at = $2::timestamptz
       WHERE j.id = $1 AND j.kind = ${KIND.single} AND j.status = ANY($3) AND ($4 OR j.retry_count < j.max_retries)
       RETURNING ${ALL_COLUMNS}`,
      [id, now, allowed('retry'), force],
    );
  }

  /**
   * failed → pending for the failed children of a bulk (all of them, or the listed ones), and the
   * parent reopened with its counters reduced, in one statement. Returns the children retried.
   */
  async retryChildren(
    parentId: string,
    childIds: string[] | null,
    force: boolean,
    now: Date,
  ): Promise<{ parent: ExtractionJob | null; retried: JobRef[] }> {
    const rows = await this.db.run(
      `WITH kids AS (
         UPDATE extraction_jobs c SET status = ${to('retry')}, retry_count = c.retry_count + 1, last_retry_at = $2::timestamptz,
           next_retry_at = NULL, error_code = NULL, error_message = NULL, error_stack = NULL,
           result = NULL, result_path = NULL, progress = 0, completed_at = NULL, updated_at = $2::timestamptz,
           released_at = NULL -- back through the owner's window (BulkReleaseRepository)
         WHERE c.parent_job_id = $1 AND c.status = ANY($3) AND ($4::uuid[] IS NULL OR c.id = ANY($4))
           AND ($5 OR c.retry_count < c.max_retries)
           AND c.file_url IS NOT NULL
           AND EXISTS (SELECT 1 FROM extraction_jobs p WHERE p.id = $1 AND p.status <> ${S.cancelled})
         RETURNING c.id, c.attempt
       ), n AS (SELECT count(*)::int AS k FROM kids)
       UPDATE extraction_jobs j SET
         processed_items = j.processed_items - n.k, failed_items = j.failed_items - n.k,
         progress = ${progressSql('j.processed_items - n.k', 'j.total_items')},
         status = CASE WHEN n.k > 0 THEN ${S.processing} ELSE j.status END::extraction_job_status,
         completed_at = CASE WHEN n.k > 0 THEN NULL ELSE j.completed_at END,
         duration_ms = CASE WHEN n.k > 0 THEN NULL ELSE j.duration_ms END,
         updated_at = $2::timestamptz
       FROM n
       WHERE j.id = $1 AND j.kind = ${KIND.bulk}
       RETURNING ${ALL_COLUMNS},
         (SELECT coalesce(json_agg(json_build_object('id', id, 'attempt', attempt)), '[]') FROM kids) AS retried`,
      [parentId, now, allowed('retry'), childIds, force],
    );
    const row = rows[0];
    return {
      parent: row ? this.db.toJob(row) : null,
      retried: row ? (row.retried as JobRef[]) : [],
    };
  }

  /** Deletes a settled single job or bulk (children by cascade); returns the stored files to remove. */
  async deleteSettled(id: string): Promise<{ deleted: boolean; files: string[] }> {
    const rows = await this.db.run(
      `WITH target AS (
         SELECT j.id FROM extraction_jobs j WHERE j.id = $1 AND j.kind <> ${KIND.file}
           AND (j.status = ANY($2) OR ${REPROCESSING('j')}) -- completed for its owner
         FOR UPDATE
       ), files AS (
         SELECT f.file_url AS key FROM extraction_jobs f WHERE (f.id IN (SELECT id FROM target) OR f.parent_job_id IN (SELECT id FROM target)) AND f.file_url IS NOT NULL
         UNION ALL
         SELECT f.result_path FROM extraction_jobs f WHERE (f.id IN (SELECT id FROM target) OR f.parent_job_id IN (SELECT id FROM target)) AND f.result_path IS NOT NULL
       ), del AS (DELETE FROM extraction_jobs j USING target t WHERE j.id = t.id RETURNING j.id)
       SELECT (SELECT count(*)::int FROM del) AS deleted, (SELECT coalesce(array_agg(key), '{}') FROM files) AS files`,
      [id, allowed('delete')],
    );
    return { deleted: Number(rows[0].deleted) === 1, files: rows[0].files as string[] };
  }
}

/**
 * Runs a batch statement whose rows are looked up by id (`array_position`), which needs each id
 * once: a job named again in the same batch (a duplicate or stale message) goes in a following
 * statement, where the transition decides as it would alone.
 */
async function byDistinctIds<R extends { ref: JobRef }>(
  requests: R[],
  run: (distinct: R[]) => Promise<Array<ExtractionJob | null>>,
): Promise<Array<ExtractionJob | null>> {
  const seen = new Set<string>();
  const first: number[] = [];
  const again: number[] = [];
  requests.forEach((r, i) => {
    (seen.has(r.ref.id) ? again : first).push(i);
    seen.add(r.ref.id);
  });
  const answers = new Array<ExtractionJob | null>(requests.length);
  const firstAnswers = await run(first.map((i) => requests[i]));
  first.forEach((i, k) => (answers[i] = firstAnswers[k]));
  if (again.length > 0) {
    const againAnswers = await byDistinctIds(
      again.map((i) => requests[i]),
      run,
    );
    again.forEach((i, k) => (answers[i] = againAnswers[k]));
  }
  return answers;
}

/** Pairs each request with the row it produced (same id and the attempt `matches` expects). */
function matchInOrder<R>(
  requests: R[],
  jobs: ExtractionJob[],
  matches: (request: R, job: ExtractionJob) => boolean,
): Array<ExtractionJob | null> {
  return requests.map((request) => jobs.find((job) => matches(request, job)) ?? null);
}
