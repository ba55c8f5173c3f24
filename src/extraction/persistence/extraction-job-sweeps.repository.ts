/**
 * Sweep primitives on `extraction_jobs`. Each is safe when several instances sweep at once: rows
 * are taken with `FOR UPDATE SKIP LOCKED`, and whatever changes a job afterwards is fenced by its
 * status and attempt.
 */
import { Injectable } from '@nestjs/common';
import { JobRef, QueueLane } from '../jobs/job.types';
import { JobDatabase } from './job-database';
import { allowed, FINAL_SQL, KIND, S, to } from './job-sql';
import { LANE_BY_KIND, WAITING_FOR_WINDOW } from './fair-sql';

@Injectable()
export class ExtractionJobSweepsRepository {
  constructor(private readonly db: JobDatabase) {}

  /** Due `retrying` jobs → `pending`, claimed by this instance only (SKIP LOCKED). */
  async requeueDueRetries(now: Date, limit: number): Promise<JobRef[]> {
    const rows = await this.db.run(
      `WITH due AS (
         SELECT d.id FROM extraction_jobs d WHERE d.status = ${S.retrying} AND d.next_retry_at <= $1::timestamptz
         ORDER BY d.next_retry_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE extraction_jobs j SET status = ${to('requeue')}, next_retry_at = NULL, last_retry_at = $1::timestamptz, updated_at = $1::timestamptz
       WHERE j.id = ANY(ARRAY(SELECT id FROM due)) AND j.status = ANY($3)
       RETURNING j.id, j.attempt, ${LANE_BY_KIND('j')}`,
      [now, limit, allowed('requeue')],
    );
    return rows.map(toLaneRef);
  }

  /** Running jobs whose lease ran out (their worker is gone), oldest first. */
  async findExpiredLeases(now: Date, limit: number): Promise<JobRef[]> {
    const rows = await this.db.run(
      `SELECT j.id, j.attempt FROM extraction_jobs j
       WHERE j.status = ${S.processing} AND j.lease_expires_at < $1::timestamptz
       ORDER BY j.lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id as string, attempt: Number(r.attempt) }));
  }

  /**
   * Pending jobs untouched for `olderThanSeconds`; touching them hands each to one sweeping
   * instance (SKIP LOCKED) and keeps the next sweep from checking them again at once.
   */
  async takeStalePending(now: Date, olderThanSeconds: number, limit: number): Promise<JobRef[]> {
    const rows = await this.db.run(
      `WITH stale AS (
         SELECT s.id FROM extraction_jobs s
         WHERE s.status = ${S.pending} AND s.kind <> ${KIND.bulk} AND s.updated_at < $1::timestamptz - $2::float8 * interval '1 second'
           AND NOT ${WAITING_FOR_WINDOW('s')} -- waiting for its owner's window on purpose
         ORDER BY s.updated_at LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE extraction_jobs j SET updated_at = $1::timestamptz
       WHERE j.id = ANY(ARRAY(SELECT id FROM stale)) -- still pending: locked since it was chosen
       RETURNING j.id, j.attempt, ${LANE_BY_KIND('j')}`,
      [now, olderThanSeconds, limit],
    );
    return rows.map(toLaneRef);
  }

  /** Completed and cancelled top-level jobs settled strictly before the cutoff. */
  async countCleanable(cutoff: Date): Promise<number> {
    const rows = await this.db.run(
      `SELECT count(*)::int AS n FROM extraction_jobs j
       WHERE j.status IN ${FINAL_SQL} AND j.parent_job_id IS NULL AND j.completed_at < $1`,
      [cutoff],
    );
    return Number(rows[0].n);
  }

  async deleteCleanable(
    cutoff: Date,
    limit: number,
  ): Promise<{ deleted: number; files: string[] }> {
    const rows = await this.db.run(
      `WITH doomed AS (
         SELECT j.id FROM extraction_jobs j
         WHERE j.status IN ${FINAL_SQL} AND j.parent_job_id IS NULL AND j.completed_at < $1
         ORDER BY j.completed_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), doomed_rows AS (
         SELECT f.file_url, f.result_path FROM extraction_jobs f
         WHERE f.id = ANY(ARRAY(SELECT id FROM doomed)) OR f.parent_job_id = ANY(ARRAY(SELECT id FROM doomed))
       ), files AS (
         SELECT file_url AS key FROM doomed_rows WHERE file_url IS NOT NULL
         UNION ALL
         SELECT result_path FROM doomed_rows WHERE result_path IS NOT NULL
       ), del AS (DELETE FROM extraction_jobs j WHERE j.id = ANY(ARRAY(SELECT id FROM doomed)) RETURNING j.id)
       SELECT (SELECT count(*)::int FROM del) AS deleted, (SELECT coalesce(array_agg(key), '{}') FROM files) AS files`,
      [cutoff, limit],
    );
    return { deleted: Number(rows[0].deleted), files: rows[0].files as string[] };
  }
}

function toLaneRef(r: Record<string, unknown>): JobRef {
  const ref: JobRef = { id: r.id as string, attempt: Number(r.attempt) };
  // Interactive is the default lane: only the others are named.
  const lane = r.lane as QueueLane;
  if (lane !== 'interactive') ref.lane = lane;
  return ref;
}
