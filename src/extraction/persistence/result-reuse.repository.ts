/**
 * SQL of result reuse: recording which extractor version and options an attempt runs with (and
 * which job's result it takes), finding a completed result to reuse, and telling which stored
 * objects completed jobs still reference (reuse shares result objects between jobs).
 */
import { Injectable } from '@nestjs/common';
import { ExtractionFormat } from '../entities/job-enums';
import { JobRef, QueueLane } from '../jobs/job.types';
import { LANE_BY_KIND } from './fair-sql';
import { JobDatabase } from './job-database';
import { allowed, S, to } from './job-sql';

/** The completed job whose result an attempt takes instead of extracting. */
export interface ReuseSource {
  id: string;
  filename: string | null;
  /**
   * The source's inline result as JSON text, `source_file` already set to the attempt's file name
   * (in SQL): it goes back into the completion as text, never parsed into the worker.
   */
  resultJson: string | null;
  resultPath: string | null;
}

export interface ReprocessFilters {
  format?: ExtractionFormat;
  extractorVersionLt?: number;
  completedBefore?: Date;
  ownerId?: string;
  dryRun?: boolean;
}

export interface ReuseKey {
  contentSha256: string;
  format: ExtractionFormat;
  extractorVersion: number;
  optionsDigest: string;
  /** Only this owner's results (scope `owner`); null = any owner (scope `global`). */
  ownerId: string | null;
}

@Injectable()
export class ResultReuseRepository {
  constructor(private readonly db: JobDatabase) {}

  /**
   * Records the version and options digest on the running attempt and, when `key` is given, looks
   * for a completed result with the same key; the found job's id goes to `reused_from` in the
   * same statement, and its stored result (if any) to `result_path`: the attempt names the object
   * before it reads or references it (docs/storage.md, "Shared objects"). A found inline result
   * comes back as JSON text with `source_file` (when it has one) set to `filename`, as a fresh
   * extraction of this attempt's file would write it. `attemptHeld` is false when the attempt is
   * no longer this worker's.
   */
  async prepareAttempt(
    ref: JobRef,
    extractorVersion: number,
    optionsDigest: string,
    key: ReuseKey | null,
    filename: string | null = null,
  ): Promise<{ attemptHeld: boolean; source: ReuseSource | null }> {
    const rows = await this.db.run(
      `WITH source AS (
         SELECT s.id, s.filename, s.result, s.result_path FROM extraction_jobs s
         WHERE $5::boolean AND s.status = ${S.completed} AND s.content_sha256 = $6
           AND s.format = $7::extraction_format AND s.extractor_version = $3 AND s.options_digest = $4
           AND ($8::text IS NULL OR s.owner_id = $8) AND s.id <> $1
         -- Locked until this statement commits: a reference to its stored result is taken here
         -- (result_path), so a concurrent deletion of the source waits and then sees it.
         ORDER BY s.completed_at DESC LIMIT 1 FOR KEY SHARE
       ), attempt AS (
         UPDATE extraction_jobs j SET extractor_version = $3, options_digest = $4,
           reused_from = (SELECT id FROM source), reuse_waiting_for = NULL,
           result_path = COALESCE((SELECT result_path FROM source), j.result_path)
         -- status as text: a condition no partial index serves, so the plan stays a lookup by id
         WHERE j.id = $1 AND j.attempt = $2 AND j.status::text = ${S.processing}
         RETURNING j.id
       )
       -- The result as text, named for this attempt's file: the worker passes it on unparsed.
       SELECT (SELECT count(*)::int FROM attempt) AS held, s.id, s.filename, s.result_path,
         (CASE WHEN $9::text IS NOT NULL AND jsonb_typeof(s.result) = 'object' AND s.result ? 'source_file'
           THEN jsonb_set(s.result, '{source_file}', to_jsonb($9::text)) ELSE s.result END)::text AS result_json
       FROM (SELECT 1) one LEFT JOIN source s ON true`,
      [
        ref.id,
        ref.attempt,
        extractorVersion,
        optionsDigest,
        key !== null,
        key?.contentSha256 ?? null,
        key?.format ?? null,
        key?.ownerId ?? null,
        filename,
      ],
    );
    const row = rows[0];
    const attemptHeld = Number(row.held) === 1;
    if (!attemptHeld || row.id === null || row.id === undefined)
      return { attemptHeld, source: null };
    return {
      attemptHeld,
      source: {
        id: row.id as string,
        filename: (row.filename as string | null) ?? null,
        resultJson: (row.result_json as string | null) ?? null,
        resultPath: (row.result_path as string | null) ?? null,
      },
    };
  }

  /**
   * Completed single jobs matching the filters go back to `pending` for a new attempt (up to
   * `limit`), their result left in place until the new attempt completes; a dry run only counts.
   * They wait unreleased (`released_at` null) for their owner's reprocess window, like bulk files
   * (BulkReleaseRepository), with a fresh retry budget; what the previous result came with is
   * kept in `reprocess_previous`, to be put back if the reprocess fails.
   * Bulk files are left out: a file completing twice would count twice in its bulk's counters.
   */
  async reprocess(
    filters: ReprocessFilters,
    now: Date,
    limit: number,
  ): Promise<{ matched: number; requeued: JobRef[] }> {
    const where = `j.status = ${S.completed} AND j.kind = 'single'
      AND ($1::extraction_format IS NULL OR j.format = $1)
      AND ($2::int IS NULL OR j.extractor_version IS NULL OR j.extractor_version < $2)
      AND ($3::timestamptz IS NULL OR j.completed_at < $3)
      AND ($4::text IS NULL OR j.owner_id = $4)`;
    const params = [
      filters.format ?? null,
      filters.extractorVersionLt ?? null,
      filters.completedBefore ?? null,
      filters.ownerId ?? null,
    ];
    if (filters.dryRun) {
      const rows = await this.db.run(
        `SELECT count(*)::int AS n FROM extraction_jobs j WHERE ${where}`,
        params,
      );
      return { matched: Number(rows[0].n), requeued: [] };
    }
    const rows = await this.db.run(
      `WITH picked AS (
         SELECT j.id FROM extraction_jobs j WHERE ${where}
         ORDER BY j.completed_at LIMIT $5 FOR UPDATE SKIP LOCKED
       )
       UPDATE extraction_jobs j SET status = ${S.pending}, progress = 0, updated_at = $6,
         released_at = NULL, retry_count = 0, reprocess_status = 'pending',
         reprocess_requested_at = $6, reprocess_error_code = NULL, reprocess_error_message = NULL,
         reprocess_previous = jsonb_build_object('completed_at', j.completed_at,
           'started_at', j.started_at, 'duration_ms', j.duration_ms,
           'extractor_version', j.extractor_version, 'options_digest', j.options_digest,
           'reused_from', j.reused_from, 'result_path', j.result_path, 'retry_count', j.retry_count)
       WHERE j.id = ANY(ARRAY(SELECT id FROM picked)) AND j.status = ${S.completed}
       RETURNING j.id, j.attempt`,
      [...params, limit, now],
    );
    const requeued = rows.map((r) => ({ id: r.id as string, attempt: Number(r.attempt) }));
    return { matched: requeued.length, requeued };
  }

  /**
   * Records version and digest on running attempts that do not look for a result to reuse (one
   * statement for a batch, `reused_from` cleared); answers, per request, whether the attempt is
   * still this worker's.
   */
  async recordAttempts(
    requests: Array<{ ref: JobRef; extractorVersion: number; optionsDigest: string }>,
  ): Promise<boolean[]> {
    const rows = await this.db.run(
      `UPDATE extraction_jobs j SET extractor_version = r.version, options_digest = r.digest,
         reused_from = NULL, reuse_waiting_for = NULL
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[]) AS r(id, attempt, version, digest)
       -- status as text: a condition no partial index serves, so the plan stays a lookup by id
       WHERE j.id = r.id AND j.attempt = r.attempt AND j.status::text = ${S.processing}
       RETURNING j.id, j.attempt`,
      [
        requests.map((r) => r.ref.id),
        requests.map((r) => r.ref.attempt),
        requests.map((r) => r.extractorVersion),
        requests.map((r) => r.optionsDigest),
      ],
    );
    const held = new Set(rows.map((r) => `${r.id as string}:${Number(r.attempt)}`));
    return requests.map((r) => held.has(`${r.ref.id}:${r.ref.attempt}`));
  }

  /**
   * Reprocessed jobs by the state of their last reprocess: `queued` (waiting or in the queue),
   * `processing`, `retrying` while it runs; then `completed` or `failed` (previous result kept).
   */
  async reprocessCounts(): Promise<Array<{ state: string; jobs: number }>> {
    const rows = await this.db.run(
      `SELECT CASE WHEN j.reprocess_status <> 'pending' THEN j.reprocess_status
                   WHEN j.status = ${S.pending} THEN 'queued' ELSE j.status::text END AS state,
              count(*)::int AS n
       FROM extraction_jobs j WHERE j.reprocess_status IS NOT NULL GROUP BY 1`,
      [],
    );
    return rows.map((r) => ({ state: r.state as string, jobs: Number(r.n) }));
  }

  /**
   * Parks a running attempt whose identical file is being extracted elsewhere: back to `pending`
   * (same attempt, no queue message, lease and worker cleared) naming the key it waits for. False
   * when the attempt is no longer this worker's.
   */
  async park(ref: JobRef, key: string, now: Date): Promise<boolean> {
    const rows = await this.db.run(
      `UPDATE extraction_jobs j SET status = ${to('release')}, reuse_waiting_for = $3,
         lease_expires_at = NULL, worker_id = NULL, progress = 0, updated_at = $4::timestamptz
       WHERE j.id = $1 AND j.attempt = $2 AND j.status = ANY($5)
       RETURNING j.id`,
      [ref.id, ref.attempt, key, now, allowed('release')],
    );
    return rows.length === 1;
  }

  /**
   * Wakes the duplicates parked on `key` (or, without a key, those parked for longer than
   * `parkedBefore`: a holder that died wakes nobody): they stop waiting and are answered for the
   * queue, in the lane they came by.
   */
  async wake(key: string | null, now: Date, parkedBefore?: Date, limit = 1000): Promise<JobRef[]> {
    const rows = await this.db.run(
      `WITH parked AS (
         SELECT p.id FROM extraction_jobs p
         WHERE p.reuse_waiting_for IS NOT NULL AND ($1::text IS NULL OR p.reuse_waiting_for = $1)
           AND ($3::timestamptz IS NULL OR p.updated_at < $3::timestamptz)
           AND p.status = ${S.pending}
         LIMIT $4 FOR UPDATE SKIP LOCKED
       )
       UPDATE extraction_jobs j SET reuse_waiting_for = NULL, updated_at = $2::timestamptz
       WHERE j.id = ANY(ARRAY(SELECT id FROM parked)) AND j.status = ${S.pending}
       RETURNING j.id, j.attempt, ${LANE_BY_KIND('j')}`,
      [key, now, parkedBefore ?? null, limit],
    );
    return rows.map((r) => {
      const ref: JobRef = { id: r.id as string, attempt: Number(r.attempt) };
      if (r.lane !== 'interactive') ref.lane = r.lane as QueueLane;
      return ref;
    });
  }

  /** The given storage URLs that some job still names as its file or its result. */
  async stillReferenced(urls: string[]): Promise<Set<string>> {
    if (urls.length === 0) return new Set();
    const rows = await this.db.run(
      `SELECT u.url FROM unnest($1::text[]) AS u(url)
       WHERE EXISTS (SELECT 1 FROM extraction_jobs j WHERE j.file_url = u.url)
          OR EXISTS (SELECT 1 FROM extraction_jobs j WHERE j.result_path = u.url)`,
      [urls],
    );
    return new Set(rows.map((r) => r.url as string));
  }
}
